using TextSearch.Cli.Tests.Support;

namespace TextSearch.Cli.Tests.EndToEnd;

/// <summary>Help, usage errors (exit 2) and an unreachable server (exit 1): none of these needs a running server.</summary>
public sealed class UsageAndConnectionTests
{
    [Theory]
    [InlineData(new string[0], "textsearch: no command given.")]
    [InlineData(new[] { "frobnicate" }, "textsearch: unknown command 'frobnicate'.")]
    [InlineData(new[] { "search" }, "textsearch: search: missing QUERY.")]
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
        foreach (var command in new[] { "normalize TEXT", "analyze TEXT", "search QUERY", "snippet DOC_ID QUERY", "get ID", "delete ID", "index PATH" })
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
        Assert.StartsWith("Usage: textsearch search [--page-size N] [--page-token TOKEN] [--snippets N] QUERY\n", viaFlag.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--page-size", index.Stdout, StringComparison.Ordinal);
        Assert.Contains("title = the first non-empty", index.Stdout, StringComparison.Ordinal);
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
