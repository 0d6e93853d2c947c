using TextSearch.Analysis;
using TextSearch.Search;
using TextSearch.Search.Query;
using TextSearch.Search.Snippets;

namespace TextSearch.Testing;

public static class TestSupport
{
    public static string SeedsPath => Path.Combine(AppContext.BaseDirectory, "seeds");

    public static SynonymMap Synonyms { get; } =
        SynonymMap.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "synonyms.txt")), TextAnalyzer.Default);

    public static QueryParser Parser { get; } = new(TextAnalyzer.Default, Synonyms);

    public static SnippetBuilder Snippets { get; } = new(TextAnalyzer.Default);

    public static SearchEngine Engine(ISearchBackend backend) => new(backend, Parser, Snippets);

    /// <summary>Every hit of <paramref name="query"/>, a page of one at a time through the page tokens (at most <paramref name="limit"/>).</summary>
    public static async Task<List<(string Id, float Score)>> PagesOfOne(SearchEngine engine, string query, int limit = 20)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var hits = new List<(string Id, float Score)>();
        string? token = null;
        do
        {
            var page = await engine.SearchAsync(new SearchRequestModel(query, 1, token), default);
            hits.AddRange(page.Hits.Select(h => (h.Document.Id, h.Score)));
            token = page.NextPageToken;
        }
        while (token is not null && hits.Count < limit);
        return hits;
    }

    public static string TempDir() => Path.Combine(Path.GetTempPath(), "textsearch-tests", Guid.NewGuid().ToString("N"));

    public static TextSearchException AssertInvalid(Action action)
    {
        var ex = Assert.Throws<TextSearchException>(action);
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        return ex;
    }
}
