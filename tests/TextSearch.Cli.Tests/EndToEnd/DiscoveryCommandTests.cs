using System.Globalization;
using System.Text;
using System.Text.Json;
using TextSearch.Cli.Tests.Support;
using TextSearch.V1;

namespace TextSearch.Cli.Tests.EndToEnd;

/// <summary>
/// search with filters, sort orders and facets, suggest and related, through <c>CliApp.RunAsync</c> against a real
/// server. Documents indexed here have a source and a made-up word of their own, so the seeds are never disturbed.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DiscoveryCommandTests(ServerFixture server) : IDisposable
{
    private const string DemocracyId = "001_0cdae21df2de8709";

    private readonly string _dir = Directory.CreateTempSubdirectory("textsearch-cli-discovery-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<CliResult> Run(params string[] args) => CliRunner.RunAsync(["--server", server.Address.ToString(), .. args]);

    /// <summary>
    /// Indexes one document per date (null: undated) through <c>textsearch index</c>, under a new source and with a new
    /// word in every body; returns both. Document i has the id SOURCE-i.
    /// </summary>
    private async Task<(string Source, string Marker)> IndexAsync(params string?[] dates)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var source = "مصدر" + tag;
        var marker = "كمثرونيا" + Arabic(tag) + "ق"; // ends in a letter no suffix rule strips
        var lines = dates.Select((date, i) => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = $"{source}-{i}",
            ["title"] = $"خبر رقم {i}",
            ["body"] = $"نص عن {marker} وعن غيره {i}",
            ["source"] = source,
            ["date"] = date,
        }));
        var path = Path.Combine(_dir, tag + ".jsonl");
        await File.WriteAllLinesAsync(path, lines, new UTF8Encoding(false));
        var indexed = await Run("index", path);
        Assert.True(indexed.ExitCode == 0, indexed.ToString());
        return (source, marker);
    }

    /// <summary>Hex digits as Arabic letters: a word of one script, so that it stays one token of its own.</summary>
    private static string Arabic(string hex) => string.Concat(hex.Select(c => "بتثجحخدذرزسشصضطظ"[Convert.ToInt32(c.ToString(), 16)]));

    private static List<string> Ids(JsonElement response) => [.. response.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()!)];

    private static List<string> HumanIds(CliResult result) =>
        [.. result.StdoutLines.Where(l => l.StartsWith("    id ", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])];

    [Fact]
    public async Task A_search_without_a_query_lists_a_sources_documents_with_facet_tables()
    {
        var (source, _) = await IndexAsync("2016-03-05", "2016-03-20T10:00:00Z", "2016-07-01", null);

        var result = await Run("search", "--source", source, "--facets", "source,published_at");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal([$"{source}-0", $"{source}-1", $"{source}-2", $"{source}-3"], HumanIds(result).Order(StringComparer.Ordinal));
        Assert.Contains(
            $"facet source:\n    source        count\n    {source}      4\n\n" +
            "facet published_at:\n    month    count\n    2016-03      2\n    2016-07      1\n\n" +
            "total hits: 4\n",
            result.Stdout,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_has_the_facets_and_their_counts_match_the_filtered_hits()
    {
        var all = (await Run("--json", "search", "دير الزور", "--facets", "source", "--facet-size", "100")).Json();
        var facet = Assert.Single(all.GetProperty("facets").EnumerateArray().ToList());
        Assert.Equal("source", facet.GetProperty("field").GetString());
        var values = facet.GetProperty("values").EnumerateArray().ToList();
        Assert.NotEmpty(values);

        foreach (var value in values)
        {
            var filtered = await Run("--json", "search", "دير الزور", "--source", value.GetProperty("value").GetString()!, "--page-size", "100");
            Assert.True(filtered.ExitCode == 0, filtered.ToString());
            var json = filtered.Json();
            Assert.Equal(value.GetProperty("count").GetString(), json.GetProperty("totalHits").GetString());
            Assert.Equal(long.Parse(value.GetProperty("count").GetString()!, CultureInfo.InvariantCulture), json.GetProperty("hits").GetArrayLength());
        }
    }

    [Fact]
    public async Task From_and_to_include_their_whole_days_in_utc()
    {
        var (source, marker) = await IndexAsync("2016-03-04T23:59:59Z", "2016-03-05T00:00:00Z", "2016-03-05T23:59:59Z", "2016-03-06T00:00:00Z", null);

        var day = (await Run("--json", "search", marker, "--from", "2016-03-05", "--to", "2016-03-05")).Json();
        var from = (await Run("--json", "search", marker, "--from", "2016-03-05")).Json();
        var to = (await Run("--json", "search", marker, "--to", "2016-03-05")).Json();

        Assert.Equal([$"{source}-1", $"{source}-2"], Ids(day).Order(StringComparer.Ordinal));
        Assert.Equal([$"{source}-1", $"{source}-2", $"{source}-3"], Ids(from).Order(StringComparer.Ordinal));
        Assert.Equal([$"{source}-0", $"{source}-1", $"{source}-2"], Ids(to).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Newest_and_oldest_order_by_date_with_undated_documents_last()
    {
        var (source, marker) = await IndexAsync("2013-05-01", null, "2013-01-01", "2013-09-01", "2013-03-01");

        var newest = (await Run("--json", "search", marker, "--sort", "newest")).Json();
        var oldest = await Run("search", "--source", source, "--sort", "oldest");

        Assert.Equal([$"{source}-3", $"{source}-0", $"{source}-4", $"{source}-2", $"{source}-1"], Ids(newest));
        Assert.True(oldest.ExitCode == 0, oldest.ToString());
        Assert.Equal([$"{source}-2", $"{source}-4", $"{source}-0", $"{source}-3", $"{source}-1"], HumanIds(oldest));
    }

    [Fact]
    public async Task The_printed_next_page_command_pages_through_a_sorted_filtered_listing()
    {
        var (source, _) = await IndexAsync("2012-01-01", "2012-02-01", "2012-03-01", "2012-04-01", "2012-05-01");
        string[] args = ["search", "--source", source, "--from", "2012-02-01", "--sort", "newest", "--page-size", "2"];
        var seen = new List<string>();
        for (var page = 0; page < 3; page++)
        {
            var result = await Run(args);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("total hits: 4\n", result.Stdout, StringComparison.Ordinal);
            seen.AddRange(HumanIds(result));
            var next = result.StdoutLines.SingleOrDefault(l => l.StartsWith("next page: textsearch ", StringComparison.Ordinal));
            if (next is null)
            {
                break;
            }

            // Nothing in it needs quoting here, so its words are the arguments.
            args = next["next page: textsearch ".Length..].Split(' ');
        }

        Assert.Equal([$"{source}-4", $"{source}-3", $"{source}-2", $"{source}-1"], seen);
    }

    [Fact]
    public async Task Suggest_prints_the_servers_completions_as_a_table()
    {
        var expected = await new SearchService.SearchServiceClient(server.Channel).SuggestAsync(new SuggestRequest { Prefix = "قوات الديمو" });

        var result = await Run("suggest", "قوات الديمو");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(expected.Suggestions, s => s.Text == "قوات الديموقراطية");
        var lines = result.StdoutLines;
        Assert.Matches(@"^suggestion\s+normalized\s+documents$", lines[0]);
        Assert.Equal(expected.Suggestions.Count + 1, lines.Length);
        for (var i = 0; i < expected.Suggestions.Count; i++)
        {
            var s = expected.Suggestions[i];
            Assert.Matches($"^{s.Text}\\s+{s.Normalized}\\s+{s.Count}$", lines[i + 1]);
        }
    }

    [Fact]
    public async Task Suggest_json_and_size()
    {
        var json = (await Run("--json", "suggest", "الديمو")).Json();
        var one = (await Run("--json", "suggest", "ال", "--size", "1")).Json();

        Assert.Contains(json.GetProperty("suggestions").EnumerateArray(), s => s.GetProperty("text").GetString() == "الديموقراطية");
        Assert.Equal(1, one.GetProperty("suggestions").GetArrayLength());
    }

    [Fact]
    public async Task A_blank_suggest_prefix_is_the_servers_invalid_argument()
    {
        var result = await Run("suggest", "  ");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("textsearch: INVALID_ARGUMENT [prefix]: ", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Related_never_lists_the_document_itself()
    {
        var human = await Run("related", DemocracyId);
        var json = (await Run("--json", "related", DemocracyId, "--page-size", "2")).Json();

        Assert.True(human.ExitCode == 0, human.ToString());
        var ids = HumanIds(human);
        Assert.NotEmpty(ids);
        Assert.DoesNotContain(DemocracyId, ids);
        Assert.Contains("total hits: ", human.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("next page", human.Stdout, StringComparison.Ordinal);
        Assert.Equal(ids.Take(2), Ids(json));
    }

    [Fact]
    public async Task Related_with_a_source_keeps_only_that_source()
    {
        var all = (await Run("--json", "related", DemocracyId, "--page-size", "100")).Json();
        var source = all.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("source").GetString()!).First(s => s.Length > 0);

        var filtered = (await Run("--json", "related", DemocracyId, "--page-size", "100", "--source", source)).Json();

        var hits = filtered.GetProperty("hits").EnumerateArray().ToList();
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal(source, h.GetProperty("source").GetString()));
        Assert.Equal(all.GetProperty("hits").EnumerateArray().Count(h => h.GetProperty("source").GetString() == source), hits.Count);
    }

    [Fact]
    public async Task Related_of_an_unknown_document_is_not_found()
    {
        var result = await Run("related", "no-such-document");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("textsearch: NOT_FOUND: document 'no-such-document' does not exist.", Assert.Single(result.StderrLines));
    }

    [Theory]
    [InlineData("textsearch: --from must be a date as YYYY-MM-DD, e.g. 2017-01-31; got '01/02/2017'.", "search", "x", "--from", "01/02/2017")]
    [InlineData("textsearch: --sort must be relevance, newest or oldest; got 'random'.", "search", "x", "--sort", "random")]
    [InlineData("textsearch: --facets must be a comma-separated list of source and published_at (e.g. source,published_at); got 'author'.", "search", "--facets", "author")]
    public async Task Bad_values_are_usage_errors_that_never_reach_the_server(string message, params string[] args)
    {
        var result = await Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([message, $"Run 'textsearch help {args[0]}' for usage."], result.StderrLines);
        Assert.Equal(string.Empty, result.Stdout);
    }
}
