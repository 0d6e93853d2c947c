using System.Text;
using Grpc.Core;
using TextSearch.Cli.Tests.Support;
using TextSearch.V1;

namespace TextSearch.Cli.Tests.EndToEnd;

/// <summary><c>textsearch bench</c> through <c>CliApp.RunAsync</c> against the in-process server.</summary>
[Collection(ServerCollection.Name)]
public sealed class BenchCommandTests(ServerFixture server) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("textsearch-bench-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<CliResult> Run(params string[] args) => CliRunner.RunAsync(["--server", server.Address.ToString(), .. args]);

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text, Encoding.UTF8);
        return path;
    }

    [Fact]
    public async Task Search_bench_makes_exactly_the_requested_calls_all_ok()
    {
        var result = await Run("bench", "--query", "قسد", "--count", "200", "--concurrency", "8");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Stderr);
        var text = result.Stdout;
        Assert.Matches(@"\n  Call:\s+textsearch\.v1\.SearchService\.Search\n", text);
        Assert.Matches(@"\n  Count:\s+200\n", text);
        Assert.Matches(@"\n  Requests/sec:\s+\d+\.\d\d\n", text);
        Assert.Contains("Response time histogram:", text, StringComparison.Ordinal);
        Assert.Matches(@"\n  99 % in \d+\.\d\d ms\n", text);
        Assert.Matches(@"\n  \[OK\]\s+200 responses\n", text);
        Assert.DoesNotContain("Error distribution", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_parses_and_adds_up()
    {
        var result = await Run("bench", "--query", "قسد", "--count", "200", "--concurrency", "8", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal("textsearch.v1.SearchService.Search", json.GetProperty("call").GetString());
        Assert.Equal(200, json.GetProperty("count").GetInt64());
        Assert.Equal(200, json.GetProperty("ok").GetInt64());
        Assert.Equal(200, json.GetProperty("status_codes").GetProperty("OK").GetInt64());
        Assert.Single(json.GetProperty("status_codes").EnumerateObject());
        Assert.Equal(0, json.GetProperty("errors").GetArrayLength());
        Assert.True(json.GetProperty("rps").GetDouble() > 0);
        Assert.True(json.GetProperty("total_ms").GetDouble() > 0);
        var percentiles = new[] { "fastest_ms", "p10_ms", "p25_ms", "p50_ms", "p75_ms", "p90_ms", "p95_ms", "p99_ms", "slowest_ms" }
            .Select(name => json.GetProperty(name).GetDouble()).ToArray();
        Assert.Equal(percentiles.Order(), percentiles);
        Assert.InRange(json.GetProperty("average_ms").GetDouble(), percentiles[0], percentiles[^1]);
        Assert.Equal(200, json.GetProperty("histogram").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()));
    }

    [Fact]
    public async Task Queries_from_a_file_with_warmup_and_several_connections()
    {
        var queries = File("queries.txt", "قسد\n\n\"دير الزور\"\nالرقة -داعش\n  \nالموصل\n");

        var result = await Run("bench", "--queries", queries, "--count", "60", "--warmup", "12", "--concurrency", "6", "--connections", "3", "--page-size", "3", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal(60, json.GetProperty("count").GetInt64());
        Assert.Equal(60, json.GetProperty("status_codes").GetProperty("OK").GetInt64());
        Assert.Equal(12, json.GetProperty("warmup").GetInt64());
        Assert.Equal(3, json.GetProperty("connections").GetInt32());
        // One SocketsHttpHandler per channel: three channels, three TCP connections, no more.
        Assert.Equal(3, json.GetProperty("connections_opened").GetInt32());
    }

    [Fact]
    public async Task Normalize_bench()
    {
        var result = await Run("bench", "--call", "normalize", "--query", "ٱلرَّحْمَٰنِ", "--count", "100", "--concurrency", "4", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal("textsearch.v1.NormalizationService.Normalize", json.GetProperty("call").GetString());
        Assert.Equal(100, json.GetProperty("status_codes").GetProperty("OK").GetInt64());
    }

    [Fact]
    public async Task Upsert_bench_with_unique_ids_stores_a_document_per_call()
    {
        var docs = File(
            "docs.jsonl",
            "{\"id\":\"benchdoc-a\",\"title\":\"zqxbench alpha\",\"body\":\"zqxbench load test alpha\"}\n" +
            "{\"id\":\"benchdoc-b\",\"title\":\"zqxbench beta\",\"body\":\"zqxbench load test beta\"}\n");

        var result = await Run("bench", "--call", "upsert", "--docs", docs, "--unique-ids", "--count", "10", "--concurrency", "4", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal("textsearch.v1.DocumentService.UpsertDocument", json.GetProperty("call").GetString());
        Assert.Equal(10, json.GetProperty("status_codes").GetProperty("OK").GetInt64());
        var tag = json.GetProperty("unique_id_tag").GetString();
        var documents = new DocumentService.DocumentServiceClient(server.Channel);
        for (var n = 0; n < 10; n++)
        {
            var id = $"benchdoc-{(n % 2 == 0 ? 'a' : 'b')}-{tag}-{n}";
            Assert.Equal(id, (await documents.GetDocumentAsync(new GetDocumentRequest { Id = id })).Id);
        }
    }

    [Fact]
    public async Task Upsert_bench_without_unique_ids_rewrites_the_same_documents()
    {
        var docs = File("same.jsonl", "{\"id\":\"benchdoc-same\",\"title\":\"zqxbench same\",\"body\":\"zqxbench same body\"}\n");

        var result = await Run("bench", "--call", "upsert", "--docs", docs, "--count", "5", "--concurrency", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"\[OK\]\s+5 responses", result.Stdout);
        var stored = await new DocumentService.DocumentServiceClient(server.Channel).GetDocumentAsync(new GetDocumentRequest { Id = "benchdoc-same" });
        Assert.Equal("zqxbench same", stored.Title);
    }

    [Fact]
    public async Task Calls_the_server_rejects_are_counted_by_status_and_exit_1()
    {
        // A query over 1,024 characters is INVALID_ARGUMENT.
        var result = await Run("bench", "--query", new string('ك', 1100), "--count", "20", "--concurrency", "4", "--json");

        Assert.Equal(1, result.ExitCode);
        var json = result.Json();
        Assert.Equal(20, json.GetProperty("count").GetInt64());
        Assert.Equal(20, json.GetProperty("status_codes").GetProperty("InvalidArgument").GetInt64());
        var error = Assert.Single(json.GetProperty("errors").EnumerateArray());
        Assert.Equal("InvalidArgument", error.GetProperty("code").GetString());
        Assert.Equal(20, error.GetProperty("count").GetInt64());
        Assert.Equal("textsearch: bench: 20 of 20 calls did not return OK (InvalidArgument 20)", Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task Duration_stops_by_itself()
    {
        var result = await Run("bench", "--call", "normalize", "--query", "قسد", "--duration", "1s", "--concurrency", "4", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.True(json.GetProperty("count").GetInt64() > 0);
        Assert.True(json.GetProperty("total_ms").GetDouble() >= 1000, result.ToString());
        Assert.False(json.GetProperty("cancelled").GetBoolean());
    }

    [Fact]
    public async Task Ctrl_c_stops_the_run_and_reports_what_was_done()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        var env = new CliEnvironment(_ => null, false, false, null);

        var code = await CliApp.RunAsync(
            ["--server", server.Address.ToString(), "bench", "--call", "normalize", "--query", "قسد", "--duration", "2m", "--concurrency", "4", "--json"],
            stdout,
            stderr,
            env,
            cancellation.Token);

        Assert.Equal(130, code);
        using var json = System.Text.Json.JsonDocument.Parse(stdout.ToString());
        Assert.True(json.RootElement.GetProperty("cancelled").GetBoolean());
        Assert.False(json.RootElement.GetProperty("status_codes").TryGetProperty("Cancelled", out _));
        Assert.Equal("textsearch: cancelled", stderr.ToString().Trim());
    }

    [Fact]
    public async Task The_emitted_request_is_a_grpc_frame_the_server_answers()
    {
        var body = Path.Combine(_dir, "body.bin");

        var result = await Run("bench", "--query", "قسد", "--page-size", "10", "--emit-request", body);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"wrote 15 bytes to {body}: one gRPC message", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("for POST /textsearch.v1.SearchService/Search\n", result.Stdout, StringComparison.Ordinal);

        // Send the bytes as they are, the way h2load -d does: an HTTP/2 POST with the gRPC headers.
        using var http = new HttpClient(new SocketsHttpHandler());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, "/textsearch.v1.SearchService/Search"))
        {
            Version = new Version(2, 0),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(await System.IO.File.ReadAllBytesAsync(body)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        using var response = await http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
        var answer = SearchResponse.Parser.ParseFrom(bytes.AsSpan(5));
        Assert.Equal(5, answer.TotalHits);
    }

    [Fact]
    public async Task Bench_searches_carry_the_filter_sort_and_facets_of_the_search_options()
    {
        var body = Path.Combine(_dir, "filtered.bin");

        var result = await Run("bench", "--query", "قسد", "--source", "الخليج", "--from", "2017-10-01", "--to", "2017-10-31", "--sort", "newest", "--facets", "source", "--emit-request", body);

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = SearchRequest.Parser.ParseFrom((await System.IO.File.ReadAllBytesAsync(body)).AsSpan(5));
        Assert.Equal(["الخليج"], request.Filter.Sources);
        Assert.Equal(new DateTimeOffset(2017, 10, 1, 0, 0, 0, TimeSpan.Zero), request.Filter.PublishedAfter.ToDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2017, 11, 1, 0, 0, 0, TimeSpan.Zero), request.Filter.PublishedBefore.ToDateTimeOffset());
        Assert.Equal((SortOrder.Newest, "source"), (request.Sort, request.Facets.Single()));

        // And the server answers it: the one seed from that source, dated in October 2017.
        var run = await Run("bench", "--query", "قسد", "--source", "الخليج", "--from", "2017-10-01", "--to", "2017-10-31", "--facets", "source", "--count", "5", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
    }
}

/// <summary>bench against a server that is not there: every call is UNAVAILABLE, and that is a result, not a crash.</summary>
public sealed class BenchWithoutServerTests
{
    [Fact]
    public async Task A_server_that_is_down_gives_unavailable_statuses()
    {
        var result = await CliRunner.RunAsync("--server", "http://127.0.0.1:1", "bench", "--query", "قسد", "--count", "20", "--concurrency", "4", "--connections", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"\n  Count:\s+20\n", result.Stdout);
        Assert.Matches(@"\n  \[Unavailable\]\s+20 responses\n", result.Stdout);
        Assert.Matches(@"Error distribution:\n  \[20\]\s+Unavailable: .+\n", result.Stdout);
        Assert.Contains("(0 opened)", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("textsearch: bench: 20 of 20 calls did not return OK (Unavailable 20)", Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task A_server_that_is_down_in_json()
    {
        var result = await CliRunner.RunAsync("--server", "http://127.0.0.1:1", "bench", "--call", "normalize", "--query", "x", "--count", "10", "--json");

        Assert.Equal(1, result.ExitCode);
        var json = result.Json();
        Assert.Equal(10, json.GetProperty("count").GetInt64());
        Assert.Equal(0, json.GetProperty("ok").GetInt64());
        Assert.Equal(10, json.GetProperty("status_codes").GetProperty(nameof(StatusCode.Unavailable)).GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("p50_ms").ValueKind);
    }

    [Fact]
    public async Task Usage_errors_exit_2_before_any_call()
    {
        var missingQuery = await CliRunner.RunAsync("bench");
        var missingFile = await CliRunner.RunAsync("bench", "--queries", "/nonexistent/queries.txt");

        Assert.Equal(2, missingQuery.ExitCode);
        Assert.Equal("textsearch: bench --call search needs --query TEXT or --queries FILE (one per line).", missingQuery.StderrLines[0]);
        Assert.Equal("Run 'textsearch help bench' for usage.", missingQuery.StderrLines[1]);
        Assert.Equal(2, missingFile.ExitCode);
        Assert.Equal("textsearch: bench: --queries '/nonexistent/queries.txt' does not exist.", missingFile.StderrLines[0]);
    }
}
