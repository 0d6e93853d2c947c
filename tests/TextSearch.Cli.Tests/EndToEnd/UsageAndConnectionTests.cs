using TextSearch.Cli.Tests.Support;

namespace TextSearch.Cli.Tests.EndToEnd;

/// <summary>Help, usage errors (exit 2) and an unreachable server (exit 1): none of these needs a running server.</summary>
public sealed class UsageAndConnectionTests
{
    [Theory]
    [InlineData(new string[0], "textsearch: no command given.")]
    [InlineData(new[] { "frobnicate" }, "textsearch: unknown command 'frobnicate'.")]
    [InlineData(new[] { "search" }, "textsearch: search: missing QUERY (without one, give --source, --from, --to or --facets to list the matching documents).")]
    [InlineData(new[] { "search", "x", "--to", "2017-31-12" }, "textsearch: --to must be a date as YYYY-MM-DD, e.g. 2017-01-31; got '2017-31-12'.")]
    [InlineData(new[] { "related" }, "textsearch: related: missing ID.")]
    [InlineData(new[] { "snippet", "doc" }, "textsearch: snippet: missing QUERY.")]
    [InlineData(new[] { "get", "a", "b" }, "textsearch: get: too many arguments (expected ID, got 2); quote text that contains spaces, e.g. textsearch get \"two words\".")]
    [InlineData(new[] { "search", "x", "--page-size", "0" }, "textsearch: --page-size must be a whole number from 1 to 100; got '0'.")]
    [InlineData(new[] { "search", "x", "--page-size" }, "textsearch: option --page-size needs a value (N).")]
    [InlineData(new[] { "get", "x", "--page-size", "5" }, "textsearch: option --page-size does not apply to 'get'.")]
    [InlineData(new[] { "search", "x", "--frobnicate" }, "textsearch: unknown option '--frobnicate'.")]
    [InlineData(new[] { "--server", "localhost:50051", "get", "x" }, "textsearch: --server 'localhost:50051' is not an http:// or https:// URL (e.g. http://localhost:50051).")]
    [InlineData(new[] { "--timeout", "-1", "get", "x" }, "textsearch: --timeout must be a number of seconds between 0 (no deadline) and 86400; got '-1'.")]
    [InlineData(new[] { "help", "frobnicate" }, "textsearch: unknown command 'frobnicate'.")]
    public async Task Usage_errors_exit_2_with_a_clear_message(string[] args, string message)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal(message, result.StderrLines[0]);
        Assert.StartsWith("Run 'textsearch help", result.StderrLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_bidi_variable_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync(["normalize", "x"], new Dictionary<string, string> { ["TEXTSEARCH_BIDI"] = "sideways" });

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("textsearch: TEXTSEARCH_BIDI must be 'visual' or 'logical'; got 'sideways'.", result.StderrLines[0]);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_lists_every_command_and_exits_0(string flag)
    {
        var result = await CliRunner.RunAsync(flag);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("textsearch: the command-line client", result.Stdout, StringComparison.Ordinal);
        foreach (var command in new[] { "normalize TEXT", "analyze TEXT", "search [QUERY]", "snippet DOC_ID QUERY", "get ID", "delete ID", "index PATH", "suggest TEXT", "related ID" })
        {
            Assert.Contains("  " + command, result.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("TEXTSEARCH_SERVER", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Command_help_shows_its_own_options()
    {
        var viaFlag = await CliRunner.RunAsync("search", "--help");
        var viaHelp = await CliRunner.RunAsync("help", "search");
        var index = await CliRunner.RunAsync("index", "--help");

        Assert.Equal(0, viaFlag.ExitCode);
        Assert.Equal(viaFlag.Stdout, viaHelp.Stdout);
        Assert.StartsWith(
            "Usage: textsearch search [--page-size N] [--page-token TOKEN] [--snippets N] [--source S]... [--from DATE] [--to DATE] [--sort ORDER] " +
            "[--facets LIST] [--facet-size N] [QUERY]\n",
            viaFlag.Stdout,
            StringComparison.Ordinal);
        Assert.DoesNotContain("--page-size", index.Stdout, StringComparison.Ordinal);
        Assert.Contains("title = the first non-empty", index.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Run 'textsearch help' for usage.", "frobnicate")]
    [InlineData("Run 'textsearch help' for usage.", "--json", "--json")]
    [InlineData("Run 'textsearch help search' for usage.", "search", "x", "--page-size", "0")]
    [InlineData("Run 'textsearch help get' for usage.", "get", "x", "--frobnicate")]
    [InlineData("Run 'textsearch help bench' for usage.", "bench", "--query", "x", "--concurrency", "0")]
    [InlineData("Run 'textsearch help index' for usage.", "index", "/nonexistent/docs.jsonl")]
    public async Task A_usage_error_is_one_line_and_a_hint_to_the_right_help(string hint, params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(2, result.StderrLines.Length);
        Assert.StartsWith("textsearch: ", result.StderrLines[0], StringComparison.Ordinal);
        Assert.Equal(hint, result.StderrLines[1]);
    }

    [Fact]
    public async Task Help_rows_are_the_name_and_its_value_then_the_description()
    {
        var general = (await CliRunner.RunAsync("help")).Stdout;
        var bench = (await CliRunner.RunAsync("help", "bench")).Stdout;

        Assert.Contains("\n  search [QUERY]          Ranked search with highlighted snippets, filters, sort orders and facets.\n", general, StringComparison.Ordinal);
        Assert.Contains("\n  suggest TEXT            Complete the last word of TEXT from the indexed words.\n", general, StringComparison.Ordinal);
        Assert.Contains("\n  --source S              Only documents from source S; repeat it for any of several sources.\n", general, StringComparison.Ordinal);
        Assert.Contains("\n  help [COMMAND]          Show this help, or a command's.\n", general, StringComparison.Ordinal);
        Assert.Contains("\n  --server URL            The server (default http://localhost:50051, or $TEXTSEARCH_SERVER).\n", general, StringComparison.Ordinal);
        Assert.Contains("\n  --page-size N           Hits per page, 1 to 100 (default 10).\n", general, StringComparison.Ordinal);
        Assert.Contains("\n  -h, --help              Show help.\n", general, StringComparison.Ordinal);
        Assert.Contains("\n  --                      End of options: what follows is text, even if it starts with '-'.\n", general, StringComparison.Ordinal);
        Assert.StartsWith(
            "Usage: textsearch bench [--call CALL] [--query Q] [--queries FILE] [--docs FILE] [--unique-ids] [--concurrency N] [--connections N] " +
            "[--count N] [--duration TIME] [--warmup N] [--page-size N] [--snippets N] [--source S]... [--from DATE] [--to DATE] [--sort ORDER] " +
            "[--facets LIST] [--facet-size N] [--count-errors] [--emit-request FILE]\n",
            bench,
            StringComparison.Ordinal);
        Assert.Contains("\n  --duration TIME         bench: run for this long instead of --count: 30s, 2m, 1m30s, 500ms, 1h.\n", bench, StringComparison.Ordinal);
        Assert.Contains("\n  --count-errors          bench: include failed calls in the latency statistics (like ghz --count-errors).\n", bench, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_a_version()
    {
        var result = await CliRunner.RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^textsearch \d+\.\d+\.\d+", result.Stdout);
    }

    [Theory]
    [InlineData("normalize", "x")]
    [InlineData("analyze", "x")]
    [InlineData("search", "قسد")]
    [InlineData("snippet", "id", "x")]
    [InlineData("get", "id")]
    [InlineData("delete", "id")]
    public async Task A_server_that_is_down_is_one_line_and_exit_1(params string[] args)
    {
        var result = await CliRunner.RunAsync(["--server", "http://127.0.0.1:1", .. args]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("textsearch: cannot reach the server at http://127.0.0.1:1 (is it running?)", Assert.Single(result.StderrLines));
        Assert.Equal(string.Empty, result.Stdout);
    }
}
