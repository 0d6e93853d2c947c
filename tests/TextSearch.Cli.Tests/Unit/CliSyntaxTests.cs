using TextSearch.Cli.Syntax;

namespace TextSearch.Cli.Tests.Unit;

/// <summary>The command line as System.CommandLine reads it, with the CLI's own rules and messages.</summary>
public sealed class CliSyntaxTests
{
    private static CliRequest Read(params string[] args) => new CliSyntax().Read(args, _ => null);

    private static Invocation Parse(params string[] args) => Parse(new Dictionary<string, string>(), args);

    private static Invocation Parse(Dictionary<string, string> env, params string[] args) =>
        Assert.IsType<Invocation>(new CliSyntax().Read(args, name => env.GetValueOrDefault(name)));

    private static UsageException Fails(params string[] args) =>
        Assert.Throws<UsageException>(() => Read(args));

    [Fact]
    public void Defaults()
    {
        var i = Parse("search", "قسد");

        Assert.Equal(CommandKind.Search, i.Command.Kind);
        Assert.Equal(["قسد"], i.Arguments);
        Assert.Equal(new Uri("http://localhost:50051"), i.Server);
        Assert.Equal("http://localhost:50051", i.ServerText);
        Assert.Null(i.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), i.UnaryDeadline);
        Assert.Null(i.StreamDeadline);
        Assert.False(i.Json);
        Assert.False(i.Visual);
        Assert.False(i.Brackets);
        Assert.Null(i.Color);
        Assert.Null(i.PageSize);
        Assert.Null(i.PageToken);
    }

    [Fact]
    public void Options_go_before_or_after_the_command_with_a_space_or_an_equals_sign()
    {
        var i = Parse("--server=http://10.0.0.5:6000", "--json", "search", "--page-size", "20", "قسد", "--page-token=abc=", "--timeout", "2.5", "--snippets=3");

        Assert.Equal(new Uri("http://10.0.0.5:6000"), i.Server);
        Assert.True(i.Json);
        Assert.Equal(20, i.PageSize);
        Assert.Equal("abc=", i.PageToken);
        Assert.Equal(3, i.Snippets);
        Assert.Equal(TimeSpan.FromSeconds(2.5), i.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(2.5), i.UnaryDeadline);
        Assert.Equal(TimeSpan.FromSeconds(2.5), i.StreamDeadline);
        Assert.Equal(["قسد"], i.Arguments);
    }

    [Fact]
    public void Timeout_zero_means_no_deadline()
    {
        var i = Parse("--timeout", "0", "get", "x");

        Assert.Null(i.UnaryDeadline);
        Assert.Null(i.StreamDeadline);
    }

    [Fact]
    public void Double_dash_ends_the_options()
    {
        var i = Parse("search", "--", "-word other");

        Assert.Equal(["-word other"], i.Arguments);
    }

    [Theory]
    [InlineData("-داعش")]
    [InlineData("-٥")]
    [InlineData("-5")]
    [InlineData("-")]
    public void Text_that_starts_with_a_dash_but_not_a_latin_letter_is_an_argument(string text)
    {
        Assert.Equal([text], Parse("search", text).Arguments);
    }

    [Fact]
    public void A_dash_and_an_arabic_letter_is_a_query_word_in_search_and_snippet()
    {
        Assert.Equal(["-داعش"], Parse("search", "-داعش").Arguments);
        Assert.Equal(["-داعش"], Parse("--json", "search", "-داعش", "--page-size", "5").Arguments);
        Assert.Equal(["الرقة -داعش"], Parse("search", "الرقة -داعش").Arguments);
        Assert.Equal(["004_7d9db1b0e6b1bccf", "-داعش"], Parse("snippet", "004_7d9db1b0e6b1bccf", "-داعش").Arguments);
        Assert.Equal(["-داعش", "الرقة"], Parse("snippet", "-داعش", "الرقة").Arguments);
        Assert.Equal("-داعش", Parse("bench", "--query", "-داعش").Bench!.Query);
    }

    [Theory]
    [InlineData("search: too many arguments (expected QUERY, got 2); quote text that contains spaces, e.g. textsearch search \"two words\".", "search", "الرقة", "-داعش")]
    [InlineData("snippet: too many arguments (expected DOC_ID QUERY, got 3); quote text that contains spaces, e.g. textsearch snippet \"two words\".", "snippet", "d", "الرقة", "-داعش")]
    public void An_unquoted_second_word_is_counted_as_an_argument_even_with_a_dash(string message, params string[] args)
    {
        // -داعش is a word like الرقة, never an unknown option: the query just has to be one argument.
        Assert.Equal(message, Fails(args).Message);
    }

    [Fact]
    public void Words_that_only_look_special_to_system_commandline_are_text()
    {
        Assert.Equal(["@user"], Parse("search", "@user").Arguments);
        Assert.Equal(["[diagram]"], Parse("search", "[diagram]").Arguments);
        Assert.Equal(["search"], Parse("search", "search").Arguments);
        Assert.Equal(["true"], Parse("get", "--json", "true").Arguments);
        Assert.Equal("unknown command '[diagram]'.", Fails("[diagram]", "search", "x").Message);
        Assert.StartsWith("unknown option '-hx'", Fails("search", "-hx").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_option_takes_the_next_word_as_its_value_whatever_it_looks_like()
    {
        var i = Parse("search", "x", "--page-token", "--json");

        Assert.Equal("--json", i.PageToken);
        Assert.False(i.Json);
        Assert.Equal("-abc", Parse("search", "x", "--page-token", "-abc").PageToken);
    }

    [Fact]
    public void A_command_option_may_stand_before_the_command_and_values_may_follow_a_colon()
    {
        var i = Parse("--page-size", "5", "--snippets=2", "--server:http://cli-host:1/", "search", "x");

        Assert.Equal(5, i.PageSize);
        Assert.Equal(2, i.Snippets);
        Assert.Equal("http://cli-host:1", i.ServerText);
    }

    [Fact]
    public void The_command_may_follow_the_double_dash()
    {
        Assert.Equal(["-word"], Parse("--json", "--", "search", "-word").Arguments);
        Assert.Equal("get", Assert.IsType<ShowHelp>(Read("--", "help", "get")).Topic?.Name);
    }

    [Fact]
    public void A_dash_and_a_latin_letter_is_an_unknown_option_with_a_hint()
    {
        var e = Fails("search", "-word");

        Assert.Contains("unknown option '-word'", e.Message, StringComparison.Ordinal);
        Assert.Contains("put '--' before it", e.Message, StringComparison.Ordinal);
        Assert.Equal("search", e.Command);
    }

    [Fact]
    public void Every_short_command_line_is_read_or_refused_in_the_clis_own_words()
    {
        string[] vocabulary =
        [
            "search", "snippet", "bench", "help", "x", "-داعش", "-w", "--", "--json", "--json=1", "--page-size", "5", "--query",
            "--count", "--duration", "--frobnicate", "@f", "", "-h", "--version",
        ];
        string[] systemCommandLineWords = ["Unrecognized", "Required", "expects", "Cannot parse", "not provided", "argument '"];
        var lines = vocabulary.Select(w => new[] { w })
            .Concat(vocabulary.SelectMany(a => vocabulary.Select(b => new[] { a, b })))
            .Concat(vocabulary.SelectMany(a => vocabulary.SelectMany(b => vocabulary.Select(c => new[] { a, b, c }))));
        var refused = 0;
        foreach (var line in lines)
        {
            try
            {
                Assert.NotNull(new CliSyntax().Read(line, _ => null));
            }
            catch (UsageException e)
            {
                refused++;
                Assert.False(systemCommandLineWords.Any(w => e.Message.Contains(w, StringComparison.Ordinal)), $"[{string.Join(" | ", line)}]: {e.Message}");
            }
        }

        Assert.InRange(refused, 1000, 8419);
    }

    [Fact]
    public void Server_comes_from_the_option_then_the_environment_then_the_default()
    {
        var env = new Dictionary<string, string> { ["TEXTSEARCH_SERVER"] = "http://env-host:7000/" };

        Assert.Equal("http://env-host:7000", Parse(env, "get", "x").ServerText);
        Assert.Equal("http://cli-host:1", Parse(env, "get", "x", "--server", "http://cli-host:1").ServerText);
        Assert.Equal("http://localhost:50051", Parse(new Dictionary<string, string> { ["TEXTSEARCH_SERVER"] = " " }, "get", "x").ServerText);
    }

    [Fact]
    public void A_bad_server_from_the_environment_names_the_variable()
    {
        var e = Assert.Throws<UsageException>(() => new CliSyntax().Read(["get", "x"], n => n == "TEXTSEARCH_SERVER" ? "ftp://x" : null));

        Assert.StartsWith("TEXTSEARCH_SERVER 'ftp://x' is not an http:// or https:// URL", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Visual_comes_from_the_flags_then_the_environment()
    {
        var visualEnv = new Dictionary<string, string> { ["TEXTSEARCH_BIDI"] = "Visual" };

        Assert.True(Parse("--visual", "get", "x").Visual);
        Assert.True(Parse(visualEnv, "get", "x").Visual);
        Assert.False(Parse(visualEnv, "get", "x", "--logical").Visual);
        Assert.False(Parse(new Dictionary<string, string> { ["TEXTSEARCH_BIDI"] = "logical" }, "get", "x").Visual);
    }

    [Fact]
    public void Colour_switches()
    {
        Assert.True(Parse("get", "x", "--color").Color);
        Assert.False(Parse("get", "x", "--no-color").Color);
        Assert.Contains("contradict", Fails("get", "x", "--color", "--no-color").Message, StringComparison.Ordinal);
        Assert.Contains("contradict", Fails("get", "x", "--visual", "--logical").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("snippet", "DOC_ID", "QUERY")]
    [InlineData("index", "PATH")]
    [InlineData("normalize", "TEXT")]
    public void Every_command_declares_its_arguments(string command, params string[] arguments)
    {
        Assert.Equal(arguments, new CliSyntax().Find(command)!.Positionals.Select(a => a.Name));
        Assert.Equal(arguments.Length, Parse([command, .. arguments.Select(a => a.ToLowerInvariant())]).Arguments.Count);
    }

    [Fact]
    public void Help_and_version()
    {
        Assert.Null(Assert.IsType<ShowHelp>(Read("--help")).Topic);
        Assert.Null(Assert.IsType<ShowHelp>(Read("help")).Topic);
        Assert.Equal("get", Assert.IsType<ShowHelp>(Read("help", "get")).Topic?.Name);
        Assert.Equal("index", Assert.IsType<ShowHelp>(Read("index", "-h")).Topic?.Name);
        Assert.Equal("search", Assert.IsType<ShowHelp>(Read("search", "--help", "--page-size", "0")).Topic?.Name);
        Assert.IsType<ShowVersion>(Read("--version"));
        Assert.IsType<ShowVersion>(Read("get", "x", "--version"));
    }

    [Theory]
    [InlineData("no command given.")]
    [InlineData("unknown command 'serch'.", "serch", "x")]
    [InlineData("search: missing QUERY (without one, give --source, --from, --to or --facets to list the matching documents).", "search")]
    [InlineData("snippet: missing DOC_ID and QUERY.", "snippet")]
    [InlineData("option --json is given more than once.", "--json", "get", "x", "--json")]
    [InlineData("option --json does not take a value.", "--json=yes", "get", "x")]
    [InlineData("option --snippets does not apply to 'get'.", "get", "x", "--snippets", "2")]
    [InlineData("option --page-token needs a value (TOKEN).", "search", "x", "--page-token")]
    [InlineData("--page-token must not be empty.", "search", "x", "--page-token", "")]
    [InlineData("--page-size must be a whole number from 1 to 100; got '101'.", "search", "x", "--page-size", "101")]
    [InlineData("--page-size must be a whole number from 1 to 100; got '1.5'.", "search", "x", "--page-size", "1.5")]
    [InlineData("--snippets must be a whole number from 1 to 10; got '11'.", "snippet", "d", "x", "--snippets", "11")]
    [InlineData("--timeout must be a number of seconds between 0 (no deadline) and 86400; got 'soon'.", "--timeout", "soon", "get", "x")]
    [InlineData("--server 'http://' is not an http:// or https:// URL (e.g. http://localhost:50051).", "--server", "http://", "get", "x")]
    [InlineData("help takes at most one command name.", "help", "get", "search")]
    [InlineData("unknown command 'yes'.", "yes", "get", "x")]
    [InlineData("unknown command 'x'.", "--json", "--", "x")]
    [InlineData("option --json does not take a value.", "--json=1", "get", "x")]
    [InlineData("unknown option '-w' (to pass text that starts with '-', put '--' before it: textsearch search -- '-w').", "search", "-w", "--json=1")]
    [InlineData("unknown command 'frobnicate'.", "help", "frobnicate")]
    [InlineData("unknown option '--frobnicate'.", "search", "x", "--frobnicate=3")]
    [InlineData("option --json does not take a value.", "--json:yes", "get", "x")]
    [InlineData("option --page-token needs a value (TOKEN).", "search", "x", "--page-token=")]
    [InlineData("option --page-size is given more than once.", "search", "x", "--page-size", "1", "--page-size=2")]
    public void Usage_errors(string message, params string[] args)
    {
        Assert.Equal(message, Fails(args).Message);
    }
}
