using TextSearch.Search.Query;

namespace TextSearch.Search;

/// <summary>
/// Where a page of results starts: after the hit with this score and id (ties broken by id), inside the rescoring
/// window (<see cref="Rescored"/>, scores of the full ranking) or past it (scores of the first phase).
/// </summary>
public readonly record struct SearchCursor(float Score, string Id, bool Rescored = false);

/// <summary>A document a backend did not store, and why.</summary>
public sealed record DocumentFailure(string Id, ErrorKind Kind, string Reason);

/// <summary>A hit: its score, and whether it came from the rescoring window (full ranking) or past it (first phase).</summary>
public sealed record BackendHit(string Id, float Score, Document Document, bool Rescored = false);

public sealed record BackendPage(IReadOnlyList<BackendHit> Hits, long TotalHits);

/// <summary>
/// A bulk write. Documents added through it become durable and searchable together when <see cref="CommitAsync"/>
/// completes, and not before. Disposed without a commit (its stream failed or was abandoned), none of them becomes
/// visible on an engine that stages writes (the embedded engine); Elasticsearch cannot take back what it has indexed.
/// Calls are not concurrent: each waits for the one before it.
/// </summary>
public interface IBulkWriter : IAsyncDisposable
{
    /// <summary>Adds valid documents; returns those the engine refused. Throws when the bulk as a whole failed (then it cannot be committed).</summary>
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
    /// descending, then id ascending. Returns up to <paramref name="size"/> hits after <paramref name="after"/>; the
    /// total counts every match. A window of 0 ranks every match by the full ranking.
    /// </summary>
    Task<BackendPage> SearchAsync(SearchQuery query, int size, SearchCursor? after, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    Task<BackendHealth> CheckHealthAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A secret that belongs to this index: created with it, kept across restarts, the same for every server that
    /// serves it, and never shown to clients. Page tokens are signed with it, so a token cannot be forged and only
    /// works on the index that issued it. At least 32 bytes.
    /// </summary>
    Task<byte[]> GetSecretAsync(CancellationToken cancellationToken);
}
