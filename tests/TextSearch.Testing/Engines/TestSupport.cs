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

    public static string TempDir() => Path.Combine(Path.GetTempPath(), "textsearch-tests", Guid.NewGuid().ToString("N"));

    public static TextSearchException AssertInvalid(Action action)
    {
        var ex = Assert.Throws<TextSearchException>(action);
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        return ex;
    }
}
