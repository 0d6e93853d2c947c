using TextSearch.Cli.Bench;
using TextSearch.Cli.Syntax;

namespace TextSearch.Cli.Tests.Unit;

public sealed class BenchSettingsTests
{
    private static Invocation Parse(params string[] args) => Assert.IsType<Invocation>(new CliSyntax().Read(args, _ => null));

    private static UsageException Fails(params string[] args) => Assert.Throws<UsageException>(() => new CliSyntax().Read(args, _ => null));

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("1h2m3s", 3_723_000)]
    [InlineData("90", 90_000)]
    [InlineData("0.25", 250)]
    [InlineData(" 10S ", 10_000)]
    [InlineData("1s500ms", 1_500)]
    public void Durations_are_written_like_go_and_ghz(string text, double milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), BenchSettings.ParseDuration(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("10x")]
    [InlineData("-1s")]
    [InlineData("1..5s")]
    [InlineData("10 s")]
    [InlineData("5d")]
    [InlineData("ten seconds")]
    public void Anything_else_is_not_a_duration(string text)
    {
        Assert.Null(BenchSettings.ParseDuration(text));
    }

    [Fact]
    public void Defaults()
    {
        var i = Parse("bench", "--query", "قسد");
        var b = i.Bench!;

        Assert.Equal(CommandKind.Bench, i.Command.Kind);
        Assert.Empty(i.Arguments);
        Assert.Equal(BenchCall.Search, b.Call);
        Assert.Equal("قسد", b.Query);
        Assert.Equal(16, b.Concurrency);
        Assert.Equal(1, b.Connections);
        Assert.Equal(1000, b.Count);
        Assert.Null(b.Duration);
        Assert.Equal(0, b.Warmup);
        Assert.False(b.CountErrors);
        Assert.False(b.UniqueIds);
        Assert.Null(b.EmitRequestPath);
        Assert.Equal(TimeSpan.FromSeconds(30), i.UnaryDeadline);
        Assert.Null(Parse("search", "x").Bench);
    }

    [Fact]
    public void Every_option()
    {
        var i = Parse(
            "--server", "http://127.0.0.1:50151", "bench", "--call=search", "--queries", "q.txt", "--concurrency", "64", "--connections", "4",
            "--duration", "2m", "--warmup", "100", "--page-size", "20", "--snippets", "2", "--count-errors", "--timeout", "5", "--json");
        var b = i.Bench!;

        Assert.Equal("q.txt", b.QueriesPath);
        Assert.Equal(64, b.Concurrency);
        Assert.Equal(4, b.Connections);
        Assert.Null(b.Count);
        Assert.Equal(TimeSpan.FromMinutes(2), b.Duration);
        Assert.Equal(100, b.Warmup);
        Assert.True(b.CountErrors);
        Assert.Equal(20, i.PageSize);
        Assert.Equal(2, i.Snippets);
        Assert.Equal(TimeSpan.FromSeconds(5), i.UnaryDeadline);
        Assert.True(i.Json);
    }

    [Fact]
    public void Upsert_and_normalize()
    {
        var upsert = Parse("bench", "--call", "UPSERT", "--docs", "d.jsonl.gz", "--unique-ids", "--count", "50").Bench!;
        var normalize = Parse("bench", "--call", "normalize", "--queries", "texts.txt", "--emit-request", "body.bin").Bench!;

        Assert.Equal((BenchCall.Upsert, "d.jsonl.gz", true, 50L), (upsert.Call, upsert.DocsPath, upsert.UniqueIds, upsert.Count!.Value));
        Assert.Equal((BenchCall.Normalize, "texts.txt", "body.bin"), (normalize.Call, normalize.QueriesPath, normalize.EmitRequestPath));
    }

    [Theory]
    [InlineData("bench --call search needs --query TEXT or --queries FILE (one per line).", "bench")]
    [InlineData("bench --call normalize needs --query TEXT or --queries FILE (one per line).", "bench", "--call", "normalize")]
    [InlineData("give --query or --queries, not both.", "bench", "--query", "a", "--queries", "f")]
    [InlineData("give --count or --duration, not both.", "bench", "--query", "a", "--count", "5", "--duration", "5s")]
    [InlineData("--call must be search, normalize or upsert; got 'snippet'.", "bench", "--call", "snippet")]
    [InlineData("--call upsert needs --docs FILE (.jsonl, .jsonl.gz, .txt or a folder).", "bench", "--call", "upsert")]
    [InlineData("--call upsert sends documents: use --docs FILE, not --query or --queries.", "bench", "--call", "upsert", "--docs", "d", "--query", "x")]
    [InlineData("--docs applies only to --call upsert.", "bench", "--query", "x", "--docs", "d")]
    [InlineData("--unique-ids applies only to --call upsert.", "bench", "--query", "x", "--unique-ids")]
    [InlineData("--page-size applies only to --call search.", "bench", "--call", "normalize", "--query", "x", "--page-size", "5")]
    [InlineData("--connections (5) cannot exceed --concurrency (4): every connection needs a worker.", "bench", "--query", "x", "--concurrency", "4", "--connections", "5")]
    [InlineData("--concurrency must be a whole number from 1 to 10000; got '0'.", "bench", "--query", "x", "--concurrency", "0")]
    [InlineData("--count must be a whole number from 1 to 2147483647; got '-3'.", "bench", "--query", "x", "--count", "-3")]
    [InlineData("--warmup must be a whole number from 0 to 2147483647; got 'some'.", "bench", "--query", "x", "--warmup", "some")]
    [InlineData("--duration must be a time such as 30s, 2m, 1m30s, 500ms or 1h (at most 24h); got '0s'.", "bench", "--query", "x", "--duration", "0s")]
    [InlineData("--duration must be a time such as 30s, 2m, 1m30s, 500ms or 1h (at most 24h); got '25h'.", "bench", "--query", "x", "--duration", "25h")]
    [InlineData("--query must not be empty.", "bench", "--query", "")]
    [InlineData("bench takes no arguments; got 'قسد' (options start with --).", "bench", "قسد")]
    [InlineData("option --query does not apply to 'search'.", "search", "x", "--query", "y")]
    [InlineData("option --concurrency does not apply to 'index'.", "index", "p", "--concurrency", "2")]
    public void Usage_errors(string message, params string[] args)
    {
        var e = Fails(args);

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Help_lists_bench_and_its_options_apart()
    {
        var syntax = new CliSyntax();
        var general = HelpText.For(syntax, null);
        var bench = HelpText.For(syntax, syntax.Find("bench"));

        Assert.Contains("  bench ", general, StringComparison.Ordinal);
        Assert.DoesNotContain("--concurrency", general, StringComparison.Ordinal);
        Assert.Contains("textsearch help bench", general, StringComparison.Ordinal);
        Assert.StartsWith("Usage: textsearch bench [--call CALL] [--query Q] [--queries FILE]", bench, StringComparison.Ordinal);
        Assert.Contains("--concurrency N", bench, StringComparison.Ordinal);
        Assert.Contains("Exit code: 0 when every counted call returned OK, 1 when any did not", bench, StringComparison.Ordinal);
    }
}
