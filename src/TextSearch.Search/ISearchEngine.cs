using TextSearch.Search.Snippets;

namespace TextSearch.Search;

/// <summary>
/// The search service the transports call: it validates every request, owns every search rule (query model, limits,
/// paging, batching, ranking options, snippets and highlights) and reports failures as <see cref="TextSearchException"/>
/// with a field where one is at fault. <see cref="SearchEngine"/> implements it over any <see cref="ISearchBackend"/>.
/// </summary>
public interface ISearchEngine
{
    /// <summary>A page of ranked hits with snippets and title highlights.</summary>
    Task<SearchResultModel> SearchAsync(SearchRequestModel request, CancellationToken cancellationToken);

    /// <summary>Snippets of one document, with the document they were cut from.</summary>
    Task<(Document Document, IReadOnlyList<Fragment> Fragments)> SnippetAsync(
        string? documentId, string? query, int maxSnippets, int fragmentChars, CancellationToken cancellationToken);

    /// <summary>Completions of the last word typed (<see cref="SearchEngine.SuggestAsync"/>).</summary>
    Task<IReadOnlyList<SuggestionModel>> SuggestAsync(string? prefix, int size, CancellationToken cancellationToken);

    /// <summary>The documents most like one document (<see cref="SearchEngine.RelatedAsync"/>); NOT_FOUND when it does not exist.</summary>
    Task<SearchResultModel> RelatedAsync(string? documentId, int pageSize, SearchFilter? filter, int maxSnippets, int fragmentChars, CancellationToken cancellationToken);

    /// <summary>The stored document; NOT_FOUND when there is none.</summary>
    Task<Document> GetAsync(string? id, CancellationToken cancellationToken);

    /// <summary>The stored document, or null when there is none.</summary>
    Task<Document?> FindAsync(string? id, CancellationToken cancellationToken);

    /// <summary>Deletes a document; NOT_FOUND when there was none. Durable when the task completes.</summary>
    Task DeleteAsync(string? id, CancellationToken cancellationToken);

    /// <summary>Stores one document; durable and searchable when the task completes.</summary>
    Task UpsertAsync(Document document, CancellationToken cancellationToken);

    /// <summary>Stores a stream of documents (see <see cref="SearchEngine.BulkUpsertAsync"/>).</summary>
    Task<BulkResult> BulkUpsertAsync(IAsyncEnumerable<BulkEntry> entries, CancellationToken cancellationToken);
}
