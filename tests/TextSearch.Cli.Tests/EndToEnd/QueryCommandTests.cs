using System.Globalization;
using TextSearch.Cli.Tests.Support;
using TextSearch.V1;

namespace TextSearch.Cli.Tests.EndToEnd;

/// <summary>normalize, analyze, search and snippet through <c>CliApp.RunAsync</c> against a real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class QueryCommandTests(ServerFixture server)
{
    private const string Esc = "\u001b";

    private static readonly string[] SeedIds =
    [
        "000_e7c410046469def3", "001_0cdae21df2de8709", "002_efd2be0952ca666b", "003_46747d5c7beb1e50", "004_7d9db1b0e6b1bccf",
    ];

    private Task<CliResult> Run(params string[] args) => CliRunner.RunAsync(["--server", server.Address.ToString(), .. args]);

    [Fact]
    public async Task Normalize_prints_the_normalized_text()
    {
        var result = await Run("normalize", "ٱلرَّحْمَٰنِ");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("الرحمن\n", result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Normalize_json_is_the_response_message()
    {
        var result = await Run("normalize", "ٱلرَّحْمَٰنِ", "--json");

        Assert.Equal(0, result.ExitCode);
        var json = result.Json();
        Assert.Equal("الرحمن", json.GetProperty("normalized").GetString());
        Assert.True(json.GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task Normalize_visual_prints_right_to_left_text_reversed()
    {
        var result = await Run("--visual", "normalize", "ٱلرَّحْمَٰنِ");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("نمحرلا\n", result.Stdout);
    }

    [Fact]
    public async Task Visual_order_can_come_from_the_environment()
    {
        var result = await CliRunner.RunAsync(
            ["--server", server.Address.ToString(), "normalize", "كتاب ١٢٣"],
            new Dictionary<string, string> { ["TEXTSEARCH_BIDI"] = "visual" });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("123 باتك\n", result.Stdout);
    }

    [Fact]
    public async Task Analyze_prints_the_servers_tokens_as_a_table()
    {
        const string text = "في الرحمن 4900";
        var expected = (await new NormalizationService.NormalizationServiceClient(server.Channel).AnalyzeAsync(new AnalyzeRequest { Text = text })).Tokens;

        var result = await Run("analyze", text);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdoutLines;
        Assert.Equal(expected.Count + 1, lines.Length);
        Assert.Matches(@"^pos\s+text\s+term\s+stem\s+flags$", lines[0]);
        for (var i = 0; i < expected.Count; i++)
        {
            var t = expected[i];
            var flags = string.Join(",", new[] { t.Stopword ? "stopword" : null, t.Number ? "number" : null }.OfType<string>());
            Assert.Equal([t.Position.ToString(CultureInfo.InvariantCulture), t.Text, t.Term, t.Stem, .. flags.Length > 0 ? new[] { flags } : []],
                lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        Assert.EndsWith("number", lines[3], StringComparison.Ordinal);

        // Columns line up: every row starts its "text" column where the header does.
        var column = lines[0].IndexOf("text", StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.NotEqual(' ', l[column]));
        Assert.All(lines.Skip(1), l => Assert.Equal(' ', l[column - 1]));
    }

    [Fact]
    public async Task Analyze_json_lists_the_tokens_with_code_point_offsets()
    {
        var result = await Run("analyze", "ٱلرَّحْمَٰنِ كتب", "--json");

        Assert.Equal(0, result.ExitCode);
        var tokens = result.Json().GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal(2, tokens.Count);
        Assert.Equal("ٱلرَّحْمَٰنِ", tokens[0].GetProperty("text").GetString());
        Assert.Equal("الرحمن", tokens[0].GetProperty("term").GetString());
        Assert.Equal("ٱلرَّحْمَٰنِ ".Length, tokens[1].GetProperty("start").GetInt32());
        Assert.False(tokens[1].GetProperty("stopword").GetBoolean());
    }

    [Fact]
    public async Task Search_lists_the_five_seed_hits_with_ids_scores_and_totals()
    {
        var result = await Run("search", "قسد");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Stderr);
        Assert.All(SeedIds, id => Assert.Contains($"id {id}  ·  score ", result.Stdout, StringComparison.Ordinal));
        for (var rank = 1; rank <= 5; rank++)
        {
            Assert.Contains($"\n{rank}. ", "\n" + result.Stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("\n6. ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("total hits: 5\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("next page token: (none, last page)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("source الخليج", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("date 2017-10-14", result.Stdout, StringComparison.Ordinal);

        // Not a terminal: no escape sequences, no brackets.
        Assert.DoesNotContain(Esc, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("[قسد]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_with_arabic_indic_digits_finds_the_article_with_4900()
    {
        var result = await Run("search", "٤٩٠٠", "--brackets");

        Assert.True(result.ExitCode == 0, result.ToString());
        var firstHit = result.StdoutLines[1];
        Assert.StartsWith("    id 004_7d9db1b0e6b1bccf", firstHit, StringComparison.Ordinal);
        Assert.Contains("[4900]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_json_has_hits_snippets_highlights_and_totals()
    {
        var result = await Run("--json", "search", "قسد");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(result.StdoutLines);
        var json = result.Json();
        Assert.Equal("5", json.GetProperty("totalHits").GetString()); // int64 is a string in proto3 JSON
        Assert.Equal(string.Empty, json.GetProperty("nextPageToken").GetString());
        Assert.Equal("قسد", json.GetProperty("normalizedQuery").GetString());
        var hits = json.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(5, hits.Count);
        Assert.Equal(SeedIds, hits.Select(h => h.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        foreach (var hit in hits)
        {
            Assert.True(hit.GetProperty("score").GetDouble() > 0);
            Assert.False(string.IsNullOrEmpty(hit.GetProperty("title").GetString()));
            var snippet = hit.GetProperty("snippets")[0];
            Assert.False(string.IsNullOrEmpty(snippet.GetProperty("text").GetString()));
            Assert.NotEqual(0, snippet.GetProperty("highlights").GetArrayLength());
        }

        var dated = hits.Single(h => h.GetProperty("id").GetString() == "000_e7c410046469def3");
        Assert.StartsWith("2017-10-14T", dated.GetProperty("publishedAt").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("search", "-داعش")]
    [InlineData("search", "الرقة -داعش")]
    [InlineData("snippet", "004_7d9db1b0e6b1bccf", "-داعش")]
    public async Task A_query_word_with_a_dash_and_an_arabic_letter_needs_no_double_dash(params string[] args)
    {
        var bare = await Run([args[0], "--json", .. args[1..]]);
        var afterDoubleDash = await Run([args[0], "--json", "--", .. args[1..]]);

        Assert.True(bare.ExitCode == 0, bare.ToString());
        Assert.Equal(string.Empty, bare.Stderr);
        Assert.Equal(afterDoubleDash.Stdout, bare.Stdout);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, bare.Json().ValueKind);
    }

    [Fact]
    public async Task Search_pages_through_all_hits_with_the_printed_token()
    {
        var seen = new List<string>();
        string? token = null;
        for (var page = 0; page < 3; page++)
        {
            string[] args = token is null ? ["search", "قسد", "--page-size", "2"] : ["search", "قسد", "--page-size", "2", "--page-token", token];
            var result = await Run(args);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("total hits: 5\n", result.Stdout, StringComparison.Ordinal);
            seen.AddRange(result.StdoutLines.Where(l => l.StartsWith("    id ", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));

            var tokenLine = result.StdoutLines.Single(l => l.StartsWith("next page token: ", StringComparison.Ordinal));
            token = tokenLine["next page token: ".Length..];
            if (page < 2)
            {
                Assert.DoesNotContain("(none", token, StringComparison.Ordinal);
                Assert.Contains($"next page: textsearch search --page-size 2 --page-token {token} قسد", result.Stdout, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal("(none, last page)", token);
            }
        }

        Assert.Equal(SeedIds, seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Highlights_are_coloured_on_a_terminal()
    {
        var result = await CliRunner.RunAsync(["--server", server.Address.ToString(), "search", "قسد"], stdoutIsTerminal: true);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"{Esc}[1;33mقسد{Esc}[0m", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("[قسد]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_color_turns_colour_off_and_color_forces_it_on()
    {
        var env = new Dictionary<string, string> { ["NO_COLOR"] = "1" };
        var off = await CliRunner.RunAsync(["--server", server.Address.ToString(), "search", "قسد"], env, stdoutIsTerminal: true);
        var forced = await CliRunner.RunAsync(["--server", server.Address.ToString(), "search", "قسد", "--color"], env, stdoutIsTerminal: false);
        var never = await CliRunner.RunAsync(["--server", server.Address.ToString(), "search", "قسد", "--no-color"], stdoutIsTerminal: true);

        Assert.DoesNotContain(Esc, off.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{Esc}[1;33mقسد{Esc}[0m", forced.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Esc, never.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Brackets_mark_highlights_in_plain_output()
    {
        var result = await Run("search", "قسد", "--brackets");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"[قسد]\"", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Esc, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snippet_prints_numbered_passages_with_highlights()
    {
        var result = await Run("snippet", "004_7d9db1b0e6b1bccf", "4900", "--brackets");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdoutLines;
        Assert.InRange(lines.Length, 1, 3); // at most the default of 3 snippets
        for (var i = 0; i < lines.Length; i++)
        {
            Assert.StartsWith($"{i + 1}. ", lines[i], StringComparison.Ordinal);
            Assert.Contains("[4900] شخص", lines[i], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Snippet_json_points_its_highlights_at_the_query()
    {
        var result = await Run("snippet", "004_7d9db1b0e6b1bccf", "٤٩٠٠", "--snippets", "1", "--json");

        Assert.Equal(0, result.ExitCode);
        var snippets = result.Json().GetProperty("snippets").EnumerateArray().ToList();
        var snippet = Assert.Single(snippets);
        var text = snippet.GetProperty("text").GetString()!;
        var highlight = snippet.GetProperty("highlights")[0];

        // Code-point offsets; this text has no surrogate pairs, so they are string indices too.
        var start = highlight.GetProperty("start").GetInt32();
        Assert.Equal("4900", text[start..highlight.GetProperty("end").GetInt32()]);
    }

    [Fact]
    public async Task Search_without_hits_says_so()
    {
        var result = await Run("search", "zzzqqqxxy");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("no hits\ntotal hits: 0\nnext page token: (none, last page)\n", result.Stdout);
    }

    [Fact]
    public async Task Server_errors_print_the_status_code_and_message()
    {
        var result = await Run("search", "قسد", "--page-token", "not-a-token");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith("textsearch: INVALID_ARGUMENT [page_token]: the page token is ", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Unknown_document_is_not_found()
    {
        var result = await Run("get", "no-such-document");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.Equal("textsearch: NOT_FOUND: document 'no-such-document' does not exist.", line);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Snippet_of_an_unknown_document_is_not_found()
    {
        var result = await Run("snippet", "no-such-document", "قسد");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("textsearch: NOT_FOUND: ", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deadline_that_passes_is_deadline_exceeded()
    {
        var result = await Run("--timeout", "0.000001", "search", "قسد");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("textsearch: DEADLINE_EXCEEDED: ", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_can_come_from_the_environment()
    {
        var env = new Dictionary<string, string> { ["TEXTSEARCH_SERVER"] = server.Address.ToString() };
        var fromEnv = await CliRunner.RunAsync(["normalize", "أحمد"], env);
        var overridden = await CliRunner.RunAsync(
            ["normalize", "أحمد", "--server", server.Address.ToString()],
            new Dictionary<string, string> { ["TEXTSEARCH_SERVER"] = "http://127.0.0.1:1" });

        Assert.Equal("احمد\n", fromEnv.Stdout);
        Assert.Equal("احمد\n", overridden.Stdout);
    }

    [Fact]
    public async Task The_public_entry_point_writes_plain_text_to_the_given_writers()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CliApp.RunAsync(["--server", server.Address.ToString(), "search", "قسد", "--page-size", "1"], stdout, stderr, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.StartsWith("1. ", stdout.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Esc, stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, stderr.ToString());
    }

    [Fact]
    public async Task Json_errors_still_go_to_stderr_and_leave_stdout_empty()
    {
        var result = await Run("--json", "get", "no-such-document");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.StartsWith("textsearch: NOT_FOUND: ", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }
}
