using TextSearch.Search.Query;

namespace TextSearch.Search;

/// <summary>
/// Where a page of results starts: after the hit with this score and id (ties broken by id), inside the rescoring
/// window (<see cref="Rescored"/>, scores of the full ranking) or past it (scores of the first phase).
/// With a date sort, <see cref="SortValue"/> is the hit's date in Unix milliseconds (<see cref="BackendSearch.MissingDate"/>
/// for a document without one), the first sort key.
/// </summary>
public readonly record struct SearchCursor(float Score, string Id, bool Rescored = false, long SortValue = 0);

/// <summary>
/// What a backend searches: the query (no clauses: every document), a filter that never changes scores, the order,
/// the facets to count over every match, and a document to leave out. With a date sort every match is ranked by the
/// full ranking (no window).
/// </summary>
public sealed record BackendSearch(SearchQuery Query, int Size, SearchCursor? After = null)
{
    public FilterSpec Filter { get; init; } = FilterSpec.None;

    public SortOrder Sort { get; init; } = SortOrder.Relevance;

    public IReadOnlyList<FacetField> Facets { get; init; } = [];

    /// <summary>Values per facet (the backend may return more; the engine keeps this many).</summary>
    public int FacetSize { get; init; } = Limits.DefaultFacetSize;

    /// <summary>A document never returned nor counted (Related leaves out its own document).</summary>
    public string? ExcludeId { get; init; }

    /// <summary>
    /// True when every match is ranked by the full ranking, without a first phase: no rescoring window, a date sort
    /// (the score only breaks ties), or a listing (every score is 1).
    /// </summary>
    public bool RanksInOnePhase(int window) => window <= 0 || Sort != SortOrder.Relevance || Query.ListsAll;

    /// <summary>The sort value of a document without a date: after every dated one, in either direction.</summary>
    public static long MissingDate(SortOrder sort) => sort == SortOrder.Oldest ? long.MaxValue : long.MinValue;
}

/// <summary>A document a backend did not store, and why.</summary>
public sealed record DocumentFailure(string Id, ErrorKind Kind, string Reason);

/// <summary>A hit: its score, and whether it came from the rescoring window (full ranking) or past it (first phase).</summary>
public sealed record BackendHit(string Id, float Score, Document Document, bool Rescored = false)
{
    /// <summary>With a date sort: the date's sort value (see <see cref="SearchCursor.SortValue"/>).</summary>
    public long SortValue { get; init; }
}

public sealed record BackendPage(IReadOnlyList<BackendHit> Hits, long TotalHits)
{
    /// <summary>The requested facets, in the order asked.</summary>
    public IReadOnlyList<FacetResult> Facets { get; init; } = [];
}

/// <summary>
/// A bulk write. Documents added through it become durable and searchable together when <see cref="CommitAsync"/>
/// completes, and not before. Disposed without a commit (its stream failed or was abandoned), none of them becomes
/// visible on an engine that stages writes (the embedded engine); Elasticsearch cannot take back what it has indexed.
/// Calls are not concurrent: each waits for the one before it.
/// </summary>
public interface IBulkWriter : IAsyncDisposable
{
    /// <summary>
    /// Adds valid documents; returns those the engine refused. Throws when the bulk as a whole failed (then it cannot be
    /// committed). An engine may return before the documents are indexed (the embedded engine queues them for its
    /// indexing threads): a failure to index them is then thrown by a later call or by <see cref="CommitAsync"/>.
    /// </summary>
    Task<IReadOnlyList<DocumentFailure>> AddAsync(IReadOnlyList<Document> documents, CancellationToken cancellationToken);

    /// <summary>Makes every document added so far (less the refused ones) durable and searchable; throws if any of them could not be kept.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}

public enum BackendHealth
{
    Serving,
    NotServing,
}

/// <summary>
/// A search engine backend (embedded Lucene.NET, Elasticsearch). It stores documents and ranks a
/// <see cref="SearchQuery"/>; everything above (parsing, synonyms, snippets, paging tokens) is shared.
/// </summary>
public interface ISearchBackend : IAsyncDisposable
{
    string Name { get; }

    /// <summary>
    /// Upserts documents. When the task completes, every document not listed in the returned failures is durable
    /// and searchable. A failure of the whole batch (the engine is down) throws instead.
    /// </summary>
    Task<IReadOnlyList<DocumentFailure>> UpsertAsync(IReadOnlyList<Document> documents, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a bulk write (a BulkUpsertDocuments stream): documents added through it become durable and searchable
    /// together, when <see cref="IBulkWriter.CommitAsync"/> completes.
    /// </summary>
    IBulkWriter BeginBulk();

    Task<Document?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes a document; false if there was none with that id. Durable when the task completes.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Ranks in two phases (<see cref="RankingOptions.RescoreWindow"/>): a cheap first phase orders every match, its top
    /// window is ordered by the full ranking, and the hits past it keep the first phase's order. Within each, by score
    /// descending, then id ascending. Returns up to <see cref="BackendSearch.Size"/> hits after
    /// <see cref="BackendSearch.After"/>; the total and the facets count every match of the query and the filter. A
    /// window of 0 ranks every match by the full ranking. A date sort orders every match by date (the missing last),
    /// then by the full ranking's score, then id.
    /// </summary>
    Task<BackendPage> SearchAsync(BackendSearch search, CancellationToken cancellationToken);

    /// <summary>
    /// Completions of a normalized word prefix: the indexed words (<see cref="Analysis.SuggestTerms"/>) that start with
    /// it, the <paramref name="size"/> held by most documents (ties by word), each with its spelling held by most
    /// documents (ties by spelling). Counts are of live documents.
    /// </summary>
    Task<IReadOnlyList<SuggestEntry>> SuggestAsync(string prefix, int size, CancellationToken cancellationToken);

    /// <summary>How many live documents hold each stem in their body field (the title included).</summary>
    Task<IReadOnlyDictionary<string, long>> DocumentFrequenciesAsync(IReadOnlyCollection<string> stems, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    Task<BackendHealth> CheckHealthAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A secret that belongs to this index: created with it, kept across restarts, the same for every server that
    /// serves it, and never shown to clients. Page tokens are signed with it, so a token cannot be forged and only
    /// works on the index that issued it. At least 32 bytes.
    /// </summary>
    Task<byte[]> GetSecretAsync(CancellationToken cancellationToken);
}

/// <summary>Shorthands over <see cref="ISearchBackend"/>.</summary>
public static class SearchBackendExtensions
{
    /// <summary>A page of a ranked query, with no filter, facets or other order.</summary>
    public static Task<BackendPage> SearchAsync(this ISearchBackend backend, SearchQuery query, int size, SearchCursor? after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return backend.SearchAsync(new BackendSearch(query, size, after), cancellationToken);
    }
}
