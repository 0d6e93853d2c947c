namespace TextSearch.Relevance.Tests;

public sealed class EvalOptionsTests
{
    [Fact]
    public void Indexed_asks_only_the_questions_of_a_given_server()
    {
        var options = EvalOptions.Parse(["--qa", "qa.json", "--server", "http://127.0.0.1:5901", "--indexed"]);
        Assert.NotNull(options);
        Assert.True(options.Indexed);
        Assert.False(EvalOptions.Parse(["--qa", "qa.json", "--server", "http://127.0.0.1:5901"])!.Indexed);
    }

    [Fact]
    public void Indexed_without_a_server_is_refused()
    {
        // The in-process server starts on an empty index: without the corpus every question would miss.
        Assert.Null(EvalOptions.Parse(["--qa", "qa.json", "--indexed"]));
    }
}
