using System.Globalization;
using System.Text;
using TextSearch.Cli.Tests.Support;

namespace TextSearch.Cli.Tests.EndToEnd;

/// <summary>What the CLI gains from TextSearch.Client: API keys, and index in acknowledged batches.</summary>
public sealed class ClientLibraryTests : IDisposable
{
    private const string ReadKey = "cli-read-key-5e7a1c";
    private const string WriteKey = "cli-write-key-9d3b2f";

    private readonly string _dir = Directory.CreateTempSubdirectory("textsearch-cli-lib-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Dictionary<string, string> Key(string key) => new() { [Cli.CliApp.ApiKeyVariable] = key };

    [Fact]
    public async Task The_api_key_comes_from_TEXTSEARCH_API_KEY()
    {
        await using var server = await ConfiguredServer.StartAsync(
            ["--TextSearch:Auth:ReadKeys:0", ReadKey, "--TextSearch:Auth:WriteKeys:0", WriteKey]);
        string[] normalize = ["--server", server.Address.ToString(), "normalize", "ٱلرَّحْمَٰنِ"];

        var without = await CliRunner.RunAsync(normalize);
        Assert.Equal(1, without.ExitCode);
        Assert.StartsWith("textsearch: UNAUTHENTICATED: ", Assert.Single(without.StderrLines), StringComparison.Ordinal);

        var with = await CliRunner.RunAsync(normalize, Key(ReadKey));
        Assert.True(with.ExitCode == 0, with.ToString());
        Assert.Equal("الرحمن\n", with.Stdout);

        var path = Path.Combine(_dir, "one.jsonl");
        File.WriteAllText(path, """{"id": "cli-key-1", "title": "عنوان", "body": "نص"}""" + "\n", new UTF8Encoding(false));
        var denied = await CliRunner.RunAsync(["--server", server.Address.ToString(), "index", path], Key(ReadKey));
        Assert.Equal(1, denied.ExitCode);
        Assert.StartsWith("textsearch: PERMISSION_DENIED: ", Assert.Single(denied.StderrLines), StringComparison.Ordinal);
        var indexed = await CliRunner.RunAsync(["--server", server.Address.ToString(), "index", path], Key(WriteKey));
        Assert.True(indexed.ExitCode == 0, indexed.ToString());
    }

    [Fact]
    public async Task An_index_that_fails_after_a_batch_says_what_was_stored_and_refused_before_the_error()
    {
        var documents = new ScriptedDocumentService { FailCalls = { 2 }, FailWith = Grpc.Core.StatusCode.PermissionDenied };
        await using var server = await FakeServer.StartAsync(documents);
        var path = Path.Combine(_dir, "many.jsonl");
        var lines = new StringBuilder();
        for (var i = 0; i < 501; i++)
        {
            var id = i == 7 ? "bad" : "doc-" + i.ToString(CultureInfo.InvariantCulture);
            lines.Append(CultureInfo.InvariantCulture, $$"""{"id": "{{id}}", "title": "عنوان", "body": "نص"}""").Append('\n');
        }

        File.WriteAllText(path, lines.ToString(), new UTF8Encoding(false));
        var result = await CliRunner.RunAsync(["--server", server.Address.ToString(), "index", path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(2, documents.BulkCalls.Count); // 500, then the 501st, refused as a whole
        Assert.Equal(
            [
                "textsearch: stopped: 499 documents stored in 1 acknowledged batches, 1 refused, before the failure",
                $"textsearch: {path}:8: bad document",
            ],
            result.StderrLines.Take(2));
        Assert.StartsWith("textsearch: PERMISSION_DENIED: scripted failure of call #2", result.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_api_key_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync(["--server", "http://127.0.0.1:1", "get", "x"], Key("has a space"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ApiKey must be printable ASCII", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_of_more_than_a_batch_reports_failures_at_their_position_in_the_input()
    {
        await using var server = await ConfiguredServer.StartAsync([]);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var lines = new StringBuilder();
        for (var i = 0; i < 1_201; i++)
        {
            var id = i == 700 ? new string('x', 300) : $"cli-batch-{tag}-{i.ToString(CultureInfo.InvariantCulture)}";
            lines.Append(CultureInfo.InvariantCulture, $$"""{"id": "{{id}}", "title": "عنوان {{i}}", "body": "نص دفعة{{tag}}"}""").Append('\n');
        }

        var path = Path.Combine(_dir, "many.jsonl");
        File.WriteAllText(path, lines.ToString(), new UTF8Encoding(false));

        var result = await CliRunner.RunAsync(["--server", server.Address.ToString(), "index", path, "--json"]);

        Assert.Equal(1, result.ExitCode);
        var json = result.Json();
        Assert.Equal(1_200, json.GetProperty("upserted").GetInt32());
        var failure = Assert.Single(json.GetProperty("failures").EnumerateArray().ToList());
        Assert.Equal(700, failure.GetProperty("index").GetInt32()); // in the second batch, at 200 within it
        Assert.StartsWith($"textsearch: {path}:701 (id 'xxx", Assert.Single(result.StderrLines), StringComparison.Ordinal);

        var search = await CliRunner.RunAsync(["--server", server.Address.ToString(), "search", "دفعة" + tag, "--json", "--page-size", "1"]);
        Assert.Equal("1200", search.Json().GetProperty("totalHits").GetString());
    }
}
