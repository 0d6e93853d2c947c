using TextSearch.Search.Query;

namespace TextSearch.Search;

/// <summary>Where a page of results starts: after the hit with this score and id (ties broken by id).</summary>
public readonly record struct SearchCursor(float Score, string Id);

/// <summary>A document a backend did not store, and why.</summary>
public sealed record DocumentFailure(string Id, ErrorKind Kind, string Reason);

public sealed record BackendHit(string Id, float Score, Document Document);

public sealed record BackendPage(IReadOnlyList<BackendHit> Hits, long TotalHits);

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
    /// Applies documents without waiting for them to become durable: a later <see cref="UpsertAsync"/> or
    /// <see cref="FlushAsync"/> makes them durable and searchable. For bulk streams, whose acknowledgement is the
    /// end of the stream. A backend without the distinction upserts durably.
    /// </summary>
    Task<IReadOnlyList<DocumentFailure>> UpsertDeferredAsync(IReadOnlyList<Document> documents, CancellationToken cancellationToken) =>
        UpsertAsync(documents, cancellationToken);

    /// <summary>Makes every write applied so far durable and searchable.</summary>
    Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task<Document?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes a document; false if there was none with that id. Durable when the task completes.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Ranks by score descending, then id ascending; returns up to <paramref name="size"/> hits after <paramref name="after"/>.</summary>
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
