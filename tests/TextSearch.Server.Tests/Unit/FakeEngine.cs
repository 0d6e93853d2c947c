using TextSearch.Search;
using TextSearch.Search.Query;
using TextSearch.Search.Snippets;

namespace TextSearch.Server.Tests.Unit;

/// <summary>An <see cref="ISearchEngine"/> that records what the services ask and answers what the test set.</summary>
internal sealed class FakeEngine : ISearchEngine
{
    public List<object> Calls { get; } = [];

    public SearchResultModel SearchResult { get; set; } = new([], 0, null, new QueryParser(Analysis.TextAnalyzer.Default, SynonymMap.Empty).Parse("x"));

    public Document Stored { get; set; } = new() { Id = "stored" };

    public IReadOnlyList<Fragment> Fragments { get; set; } = [];

    public List<BulkEntry> BulkEntries { get; } = [];

    public BulkResult BulkResult { get; set; } = new(0, []);

    public Exception? Failure { get; set; }

    public Task<SearchResultModel> SearchAsync(SearchRequestModel request, CancellationToken cancellationToken) =>
        Answer(request, SearchResult);

    public Task<(Document Document, IReadOnlyList<Fragment> Fragments)> SnippetAsync(
        string? documentId, string? query, int maxSnippets, int fragmentChars, CancellationToken cancellationToken) =>
        Answer((documentId, query, maxSnippets, fragmentChars), (Stored, Fragments));

    public IReadOnlyList<SuggestionModel> Suggestions { get; set; } = [];

    public Task<IReadOnlyList<SuggestionModel>> SuggestAsync(string? prefix, int size, CancellationToken cancellationToken) =>
        Answer(("suggest", prefix, size), Suggestions);

    public Task<SearchResultModel> RelatedAsync(
        string? documentId, int pageSize, SearchFilter? filter, int maxSnippets, int fragmentChars, CancellationToken cancellationToken) =>
        Answer(("related", documentId, pageSize, filter), SearchResult);

    public Task<Document> GetAsync(string? id, CancellationToken cancellationToken) => Answer(("get", id), Stored);

    public Task<Document?> FindAsync(string? id, CancellationToken cancellationToken) => Answer(("find", id), (Document?)Stored);

    public Task DeleteAsync(string? id, CancellationToken cancellationToken) => Answer(("delete", id), true);

    public Task UpsertAsync(Document document, CancellationToken cancellationToken) => Answer(document, true);

    public async Task<BulkResult> BulkUpsertAsync(IAsyncEnumerable<BulkEntry> entries, CancellationToken cancellationToken)
    {
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            BulkEntries.Add(entry);
        }

        return await Answer("bulk", BulkResult);
    }

    private Task<T> Answer<T>(object call, T result)
    {
        Calls.Add(call);
        return Failure is null ? Task.FromResult(result) : Task.FromException<T>(Failure);
    }
}
