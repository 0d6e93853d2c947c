using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using TracerProvider = OpenTelemetry.Trace.TracerProvider;
using TextSearch.Server.Observability;
using TextSearch.Server.Tests.Integration.Support;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>
/// Metrics at /metrics (Prometheus text), spans on the TextSearch ActivitySource, and the per-call log lines. The
/// meter and the activity source are process-wide names, so these tests run alone (after the parallel ones).
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class ObservabilityTests
{
    private const string WriteKey = "obs-write-key-5e1f0c9a7d";
    private const string UnknownKey = "obs-bogus-key-3b8d2a6f4e";
    private const string SearchService = "textsearch.v1.SearchService";
    private const string NormalizationService = "textsearch.v1.NormalizationService";
    private const string DocumentService = "textsearch.v1.DocumentService";

    private static readonly Metadata Key = new() { { "authorization", $"Bearer {WriteKey}" } };

    private static Task<ConfiguredServer> StartAsync(params string[] settings) => ConfiguredServer.StartAsync(
        ["--TextSearch:Auth:WriteKeys:0", WriteKey, .. settings], seedsPath: ServerFixture.SeedsPath);

    [Fact]
    public async Task Metrics_count_every_call_by_status_with_latency_documents_and_ingestion()
    {
        await using var server = await StartAsync("--TextSearch:Limits:MaxConcurrentCalls", "1");
        using var channel = server.Channel();
        var search = new SearchService.SearchServiceClient(channel);
        var normalize = new NormalizationService.NormalizationServiceClient(channel);
        var documents = new DocumentService.DocumentServiceClient(channel);

        // /metrics needs no API key, and scraping is not an RPC.
        var before = await ScrapeAsync(server);
        Assert.Equal(5, before.Value("textsearch_index_documents"));
        Assert.Equal(0, before.Sum("textsearch_rpc_calls_total"));
        Assert.Equal(0, (await ScrapeAsync(server)).Sum("textsearch_rpc_calls_total"));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(5, (await search.SearchAsync(new SearchRequest { Query = "قسد" }, Key)).TotalHits);
        }

        await Fails(search.SearchAsync(new SearchRequest { Query = "" }, Key), StatusCode.InvalidArgument);
        await Fails(search.SearchAsync(new SearchRequest { Query = "قسد" }, new Metadata { { "x-api-key", UnknownKey } }), StatusCode.Unauthenticated);
        await normalize.NormalizeAsync(new NormalizeRequest { Text = "ٱلرَّحْمَٰنِ" }, Key);
        await normalize.NormalizeAsync(new NormalizeRequest { Text = "مرحبا" }, Key);
        // Rejected by RequestValidationMiddleware, before gRPC and the interceptors run.
        Assert.Equal(StatusCode.InvalidArgument, await RawUnaryAsync(channel, "/textsearch.v1.NormalizationService/Normalize", [0x0A, 0x03, 0xC3, 0x28, 0xFF]));

        // A bulk stream holds the only slot: a Normalize meanwhile is turned away by AdmissionMiddleware. Until the
        // stream has reached the server, a Normalize may still get the slot (count those); and if a Normalize holds it
        // when the stream arrives, the stream is the one turned away: it is opened again (count those too). Without
        // that, the loop waited for a refusal that could never come (CI hung on it once).
        var (bulk, normalizedWhileStarting, refusedBulks) = await HoldTheOnlySlotAsync(server, documents, normalize, counted: 8);
        using (bulk)
        {
            await bulk.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "obs-bulk-2", Title = "عنوان", Body = "نص ثان" } });
            await bulk.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "", Title = "بلا معرف", Body = "نص" } });
            await bulk.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "obs-bulk-3", Title = "عنوان", Body = "نص ثالث" } });
            await bulk.RequestStream.CompleteAsync();
            var response = await bulk.ResponseAsync;
            Assert.Equal(3, response.Upserted);
            Assert.Single(response.Failures);
        }

        var after = await WaitForAsync(server, m => m.Sum("textsearch_rpc_calls_total") >= 10 + normalizedWhileStarting + refusedBulks);
        Assert.Equal(10 + normalizedWhileStarting + refusedBulks, after.Sum("textsearch_rpc_calls_total"));
        Assert.Equal(3, after.Value("textsearch_rpc_calls_total", Call(SearchService, "Search", "OK")));
        Assert.Equal(1, after.Value("textsearch_rpc_calls_total", Call(SearchService, "Search", "INVALID_ARGUMENT")));
        Assert.Equal(1, after.Value("textsearch_rpc_calls_total", Call(SearchService, "Search", "UNAUTHENTICATED")));
        Assert.Equal(2 + normalizedWhileStarting, after.Value("textsearch_rpc_calls_total", Call(NormalizationService, "Normalize", "OK")));
        Assert.Equal(1, after.Value("textsearch_rpc_calls_total", Call(NormalizationService, "Normalize", "INVALID_ARGUMENT")));
        Assert.Equal(1, after.Value("textsearch_rpc_calls_total", Call(NormalizationService, "Normalize", "RESOURCE_EXHAUSTED")));
        Assert.Equal(1, after.Value("textsearch_rpc_calls_total", Call(DocumentService, "BulkUpsertDocuments", "OK")));
        Assert.Equal(refusedBulks, after.Value("textsearch_rpc_calls_total", Call(DocumentService, "BulkUpsertDocuments", "RESOURCE_EXHAUSTED")));

        // The latency histogram: same labels, a count per series, cumulative buckets up to +Inf.
        var searchOk = Call(SearchService, "Search", "OK");
        Assert.Equal(3, after.Value("textsearch_rpc_duration_seconds_count", searchOk));
        Assert.True(after.Value("textsearch_rpc_duration_seconds_sum", searchOk) > 0);
        var buckets = after.Samples("textsearch_rpc_duration_seconds_bucket", searchOk)
            .Select(s => (Le: s.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(s.Labels["le"], CultureInfo.InvariantCulture), s.Value))
            .OrderBy(b => b.Le).ToList();
        Assert.Equal(TextSearchMetrics.DurationBuckets.Length + 1, buckets.Count);
        Assert.Equal(TextSearchMetrics.DurationBuckets, buckets.Take(buckets.Count - 1).Select(b => b.Le));
        Assert.Equal(3, buckets[^1].Value);
        Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First.Value <= p.Second.Value));
        Assert.Equal(1, after.Value("textsearch_rpc_duration_seconds_count", Call(NormalizationService, "Normalize", "INVALID_ARGUMENT")));

        // Documents: the gauge follows writes; the ingestion counter counts documents by outcome.
        Assert.Equal(8, after.Value("textsearch_index_documents"));
        Assert.Equal(3, after.Value("textsearch_documents_ingested_total", new() { ["operation"] = "upsert", ["outcome"] = "ok" }));
        Assert.Equal(1, after.Value("textsearch_documents_ingested_total", new() { ["operation"] = "upsert", ["outcome"] = "failed" }));

        await documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = "obs-one", Title = "عنوان", Body = "نص" } }, Key);
        await documents.DeleteDocumentAsync(new DeleteDocumentRequest { Id = "obs-bulk-1" }, Key);
        await documents.DeleteDocumentAsync(new DeleteDocumentRequest { Id = "obs-bulk-2" }, Key);
        await Fails(documents.DeleteDocumentAsync(new DeleteDocumentRequest { Id = "obs-no-such" }, Key), StatusCode.NotFound);
        var last = await WaitForAsync(server, m => m.Sum("textsearch_rpc_calls_total") >= 14 + normalizedWhileStarting + refusedBulks);
        Assert.Equal(7, last.Value("textsearch_index_documents"));
        Assert.Equal(4, last.Value("textsearch_documents_ingested_total", new() { ["operation"] = "upsert", ["outcome"] = "ok" }));
        Assert.Equal(2, last.Value("textsearch_documents_ingested_total", new() { ["operation"] = "delete", ["outcome"] = "ok" }));
        Assert.Equal(1, last.Value("textsearch_documents_ingested_total", new() { ["operation"] = "delete", ["outcome"] = "failed" }));
        Assert.Equal(1, last.Value("textsearch_rpc_calls_total", Call(DocumentService, "DeleteDocument", "NOT_FOUND")));
        Assert.DoesNotContain(last.All, s => s.Labels.Values.Any(v => v == "unknown" || v.Contains("metrics", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Spans_nest_engine_work_under_the_call_with_counts_but_no_query_text_or_key()
    {
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ObservabilityExtensions.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await StartAsync();
        using var channel = server.Channel();
        var search = new SearchService.SearchServiceClient(channel);

        const string query = "دير الزور";
        var response = await search.SearchAsync(new SearchRequest { Query = query, PageSize = 2 }, Key);
        var call = await WaitForSpanAsync(spans, a => a.DisplayName == $"{SearchService}/Search");
        Assert.Equal("grpc", call.GetTagItem("rpc.system"));
        Assert.Equal(SearchService, call.GetTagItem("rpc.service"));
        Assert.Equal("Search", call.GetTagItem("rpc.method"));
        Assert.Equal(0, call.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, call.Status);

        var engine = Assert.Single(spans, a => a.OperationName == "textsearch.search" && a.ParentSpanId == call.SpanId);
        Assert.Equal(call.TraceId, engine.TraceId);
        Assert.Equal(response.Hits.Count, engine.GetTagItem("textsearch.hits"));
        Assert.Equal(response.TotalHits, engine.GetTagItem("textsearch.total_hits"));
        Assert.Equal("lucene", engine.GetTagItem("textsearch.backend"));
        foreach (var phase in new[] { "textsearch.search.parse", "textsearch.search.query", "textsearch.search.snippets" })
        {
            Assert.Single(spans, a => a.OperationName == phase && a.ParentSpanId == engine.SpanId);
        }

        // Rejected input: the engine span says why (its kind); the call is the caller's error, not the server's.
        await Fails(search.SearchAsync(new SearchRequest { Query = "" }, Key), StatusCode.InvalidArgument);
        var failed = await WaitForSpanAsync(spans, a => a.DisplayName == $"{SearchService}/Search" && Equals(a.GetTagItem("rpc.grpc.status_code"), 3));
        Assert.Equal(ActivityStatusCode.Unset, failed.Status);
        var failedEngine = Assert.Single(spans, a => a.OperationName == "textsearch.search" && a.ParentSpanId == failed.SpanId);
        Assert.Equal(ActivityStatusCode.Error, failedEngine.Status);
        Assert.Equal("InvalidArgument", failedEngine.GetTagItem("error.type"));

        // Writes: upsert and delete spans under their calls.
        var documents = new DocumentService.DocumentServiceClient(channel);
        await documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = "span-doc", Title = "عنوان", Body = "نص" } }, Key);
        var upsertCall = await WaitForSpanAsync(spans, a => a.DisplayName == $"{DocumentService}/UpsertDocument");
        var upsert = Assert.Single(spans, a => a.OperationName == "textsearch.upsert" && a.ParentSpanId == upsertCall.SpanId);
        Assert.Equal(1, upsert.GetTagItem("textsearch.documents"));

        foreach (var span in spans)
        {
            foreach (var (_, value) in span.TagObjects)
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                Assert.DoesNotContain("الزور", text, StringComparison.Ordinal);
                Assert.DoesNotContain(WriteKey, text, StringComparison.Ordinal);
            }
        }

        // Nothing to export to by default: no tracer provider is built.
        Assert.Null(server.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task Tracing_is_registered_when_an_otlp_endpoint_is_configured()
    {
        await using var server = await StartAsync("--TextSearch:Observability:OtlpEndpoint", "http://127.0.0.1:9");
        Assert.NotNull(server.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task One_debug_line_per_call_a_warning_per_rejection_and_never_a_key()
    {
        await using var server = await StartAsync();
        using var channel = server.Channel();
        var search = new SearchService.SearchServiceClient(channel);
        var start = server.Logs.Lines.Count;

        await search.SearchAsync(new SearchRequest { Query = "قسد" }, Key);
        await search.SearchAsync(new SearchRequest { Query = "سوريا" }, Key);
        await Fails(search.SearchAsync(new SearchRequest { Query = "" }, Key), StatusCode.InvalidArgument);
        await Fails(search.SearchAsync(new SearchRequest { Query = "قسد" }, new Metadata { { "authorization", $"Bearer {UnknownKey}" } }), StatusCode.Unauthenticated);
        Assert.Equal(StatusCode.InvalidArgument, await RawUnaryAsync(channel, "/textsearch.v1.SearchService/Search", [0x0A, 0x05, 0xFF, 0xFE, 0xED, 0xA0, 0x80]));

        const string category = "TextSearch.Server.Observability.CallObservabilityMiddleware";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (CallLines(server, start, category).Count < 5 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var calls = CallLines(server, start, category);
        Assert.Equal(5, calls.Count);
        Assert.Equal(2, calls.Count(l => l.Contains($"{SearchService}/Search answered OK in ", StringComparison.Ordinal)));
        Assert.Equal(2, calls.Count(l => l.Contains($"{SearchService}/Search answered INVALID_ARGUMENT in ", StringComparison.Ordinal)));
        Assert.Single(calls, l => l.Contains($"{SearchService}/Search answered UNAUTHENTICATED in ", StringComparison.Ordinal));

        // One warning per rejected call, from whoever turned it away: the Error interceptor (empty query), admission
        // (unknown key) and request validation (undecodable); this middleware logs none of them again.
        var lines = server.Logs.Lines.Skip(start).ToList();
        var warnings = lines.Where(l => l.StartsWith("Warning ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.Single(warnings, l => l.Contains("ErrorInterceptor", StringComparison.Ordinal));
        Assert.Single(warnings, l => l.Contains("AdmissionMiddleware", StringComparison.Ordinal) && l.Contains("unknown API key", StringComparison.Ordinal));
        var undecodable = Assert.Single(warnings, l => l.Contains("RequestValidationMiddleware", StringComparison.Ordinal));
        Assert.Contains($"/{SearchService}/Search", undecodable, StringComparison.Ordinal);
        Assert.Contains("not valid protobuf", undecodable, StringComparison.Ordinal);
        Assert.DoesNotContain(warnings, l => l.StartsWith($"Warning {category}:", StringComparison.Ordinal));

        foreach (var line in server.Logs.Lines)
        {
            Assert.DoesNotContain(WriteKey, line, StringComparison.Ordinal);
            Assert.DoesNotContain(UnknownKey, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Json_and_grpc_web_calls_are_counted_by_transport_with_their_exact_codes()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient { BaseAddress = server.HttpAddress };
        http.DefaultRequestHeaders.Add("x-api-key", WriteKey);
        using (var ok = await http.GetAsync(new Uri("v1/search?query=" + Uri.EscapeDataString("قسد"), UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var missing = await http.GetAsync(new Uri("v1/documents/no-such-document", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // A 400 with INVALID_ARGUMENT (the code comes from the interceptors when the call reached them).
        using (var bad = await http.GetAsync(new Uri("v1/search?query=x&pageSize=1000", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using var handler = new Grpc.Net.Client.Web.GrpcWebHandler(Grpc.Net.Client.Web.GrpcWebMode.GrpcWebText, new HttpClientHandler());
        using var web = Grpc.Net.Client.GrpcChannel.ForAddress(server.HttpAddress!, new Grpc.Net.Client.GrpcChannelOptions
        {
            HttpHandler = handler,
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
        await new NormalizationService.NormalizationServiceClient(web).NormalizeAsync(new NormalizeRequest { Text = "مرحبا" }, Key);

        static Dictionary<string, string> On(string transport, string service, string method, string status) =>
            new() { ["rpc_transport"] = transport, ["rpc_service"] = service, ["rpc_method"] = method, ["grpc_status"] = status };
        var scrape = await WaitForAsync(server, s => s.Sum("textsearch_rpc_calls_total") >= 4);
        Assert.Equal(1, scrape.Value("textsearch_rpc_calls_total", On("http_json", SearchService, "Search", "OK")));
        Assert.Equal(1, scrape.Value("textsearch_rpc_calls_total", On("http_json", DocumentService, "GetDocument", "NOT_FOUND")));
        Assert.Equal(1, scrape.Value("textsearch_rpc_calls_total", On("http_json", SearchService, "Search", "INVALID_ARGUMENT")));
        Assert.Equal(1, scrape.Value("textsearch_rpc_calls_total", On("grpc_web", NormalizationService, "Normalize", "OK")));
        Assert.Equal(4, scrape.Sum("textsearch_rpc_calls_total"));
        Assert.Equal(1, scrape.Value("textsearch_rpc_duration_seconds_count", On("http_json", DocumentService, "GetDocument", "NOT_FOUND")));
    }

    [Fact]
    public async Task Preflights_and_calls_turned_away_are_not_counted_as_calls_or_failed_documents()
    {
        await using var server = await StartAsync("--TextSearch:CorsOrigins:0", "https://app.example");
        using var http = new HttpClient { BaseAddress = server.HttpAddress };
        for (var i = 0; i < 2; i++)
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri("textsearch.v1.DocumentService/DeleteDocument", UriKind.Relative));
            preflight.Headers.Add("Origin", "https://app.example");
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            using var answer = await http.SendAsync(preflight);
            Assert.True(answer.IsSuccessStatusCode);
        }

        // Two writes without a key (401), then one with it.
        var body = new { title = "عنوان", body = "نص" };
        for (var i = 0; i < 2; i++)
        {
            using var anonymous = await http.PutAsJsonAsync(new Uri("v1/documents/obs-anon", UriKind.Relative), body);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var keyed = new HttpRequestMessage(HttpMethod.Put, new Uri("v1/documents/obs-anon", UriKind.Relative)) { Content = JsonContent.Create(body) })
        {
            keyed.Headers.Add("x-api-key", WriteKey);
            using var stored = await http.SendAsync(keyed);
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        var scrape = await WaitForAsync(server, s => s.Sum("textsearch_rpc_calls_total") >= 3);
        Assert.Equal(0, scrape.Sum("textsearch_rpc_calls_total", new() { ["rpc_method"] = "DeleteDocument" }));
        Assert.Equal(2, scrape.Value("textsearch_rpc_calls_total", Call(DocumentService, "UpsertDocument", "UNAUTHENTICATED")));
        Assert.Equal(3, scrape.Sum("textsearch_rpc_calls_total"));
        Assert.Equal(1, scrape.Value("textsearch_documents_ingested_total", new() { ["operation"] = "upsert", ["outcome"] = "ok" }));
        Assert.Equal(0, scrape.Sum("textsearch_documents_ingested_total", new() { ["outcome"] = "failed" }));
    }

    [Fact]
    public async Task A_grpc_web_bulk_stream_is_counted_with_its_status()
    {
        await using var server = await StartAsync();
        static byte[] Frame(IMessage message)
        {
            var payload = message.ToByteArray();
            var frame = new byte[5 + payload.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
            payload.CopyTo(frame, 5);
            return frame;
        }

        var body = new[] { "obs-web-1", "obs-web-2" }
            .SelectMany(id => Frame(new UpsertDocumentRequest { Document = new Document { Id = id, Title = "عنوان", Body = "نص" } }))
            .ToArray();
        using var http = new HttpClient { BaseAddress = server.HttpAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("textsearch.v1.DocumentService/BulkUpsertDocuments", UriKind.Relative))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc-web");
        request.Headers.Add("x-api-key", WriteKey);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("grpc-status: 0", System.Text.Encoding.ASCII.GetString(await response.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);

        var scrape = await WaitForAsync(server, s => s.Sum("textsearch_rpc_calls_total") >= 1);
        Assert.Equal(1, scrape.Value("textsearch_rpc_calls_total", new() { ["rpc_transport"] = "grpc_web", ["rpc_method"] = "BulkUpsertDocuments", ["grpc_status"] = "OK" }));
        Assert.Equal(2, scrape.Value("textsearch_documents_ingested_total", new() { ["operation"] = "upsert", ["outcome"] = "ok" }));
    }

    [Fact]
    public async Task Unknown_methods_are_counted_under_a_bounded_label()
    {
        await using var server = await StartAsync();
        using var channel = server.Channel();
        foreach (var path in new[] { "/textsearch.v1.SearchService/NoSuchMethod", "/no.such.Service/Anything", "/other.Service/Else" })
        {
            Assert.Equal(StatusCode.Unimplemented, await RawUnaryAsync(channel, path, []));
        }

        var scrape = await WaitForAsync(server, s => s.Sum("textsearch_rpc_calls_total") >= 3);
        Assert.Equal(3, scrape.Value("textsearch_rpc_calls_total", new() { ["rpc_service"] = "unknown", ["rpc_method"] = "unknown", ["grpc_status"] = "UNIMPLEMENTED" }));
        Assert.DoesNotContain(scrape.All, s => s.Labels.Values.Any(v => v.Contains("NoSuchMethod", StringComparison.Ordinal) || v.Contains("no.such", StringComparison.Ordinal)));
    }

    private static List<string> CallLines(ConfiguredServer server, int start, string category) =>
        server.Logs.Lines.Skip(start).Where(l => l.StartsWith($"Debug {category}:", StringComparison.Ordinal)).ToList();

    private static Dictionary<string, string> Call(string service, string method, string status) =>
        new() { ["rpc_service"] = service, ["rpc_method"] = method, ["grpc_status"] = status };

    private static async Task Fails<T>(AsyncUnaryCall<T> call, StatusCode expected)
    {
        using (call)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(async () => await call);
            Assert.Equal(expected, ex.StatusCode);
        }
    }

    /// <summary>Sends raw bytes as a unary request (e.g. a string field that is not valid UTF-8); the status it gets.</summary>
    private static async Task<StatusCode> RawUnaryAsync(Grpc.Net.Client.GrpcChannel channel, string path, byte[] payload)
    {
        var marshaller = Marshallers.Create(static (byte[] b) => b, static b => b);
        var name = path.Split('/');
        var method = new Method<byte[], byte[]>(MethodType.Unary, name[1], name[2], marshaller, marshaller);
        try
        {
            await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(Key), payload);
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static async Task<Activity> WaitForSpanAsync(System.Collections.Concurrent.ConcurrentQueue<Activity> spans, Func<Activity, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (spans.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException("the expected span never ended");
    }

    /// <summary>
    /// Once the <paramref name="counted"/> calls before are counted, opens a bulk stream that holds the server's only
    /// call slot (<see cref="CallSlots.HoldTheOnlySlotAsync"/>). Each Normalize that got the slot first and each stream
    /// turned away before it is waited for until counted (its slot given back), so that a refusal can only be the
    /// stream's.
    /// </summary>
    private static async Task<(AsyncClientStreamingCall<UpsertDocumentRequest, BulkUpsertDocumentsResponse> Bulk, int Normalized, int RefusedBulks)> HoldTheOnlySlotAsync(
        ConfiguredServer server, DocumentService.DocumentServiceClient documents, NormalizationService.NormalizationServiceClient normalize, int counted)
    {
        await WaitForAsync(server, m => m.Sum("textsearch_rpc_calls_total") >= counted); // the calls before have given their slots back
        var held = await CallSlots.HoldTheOnlySlotAsync(
            documents,
            normalize,
            new Document { Id = "obs-bulk-1", Title = "عنوان", Body = "نص أول" },
            Key,
            calls => WaitForAsync(server, m => m.Sum("textsearch_rpc_calls_total") >= counted + calls));
        return (held.Bulk, held.Normalized, held.RefusedBulks);
    }

    /// <summary>Scrapes until the condition holds (metrics are recorded as a call ends, just after the client has its answer), or 10 s.</summary>
    private static async Task<Scrape> WaitForAsync(ConfiguredServer server, Func<Scrape, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var scrape = await ScrapeAsync(server);
            if (condition(scrape) || DateTime.UtcNow > deadline)
            {
                return scrape;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>GET /metrics on the HTTP/1.1 side, as Prometheus scrapes it, without an API key.</summary>
    private static async Task<Scrape> ScrapeAsync(ConfiguredServer server)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.HttpAddress!, "/metrics"))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return Scrape.Parse(await response.Content.ReadAsStringAsync());
    }

    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    /// <summary>The samples of a Prometheus text exposition.</summary>
    private sealed class Scrape(List<Sample> samples)
    {
        public IReadOnlyList<Sample> All => samples;

        public IEnumerable<Sample> Samples(string name, Dictionary<string, string>? labels = null) =>
            samples.Where(s => s.Name == name && (labels ?? []).All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

        /// <summary>The sum over the matching series (0 when there is none yet).</summary>
        public double Sum(string name, Dictionary<string, string>? labels = null) => Samples(name, labels).Sum(s => s.Value);

        /// <summary>The value of the one matching series (0 when there is none yet).</summary>
        public double Value(string name, Dictionary<string, string>? labels = null) =>
            Samples(name, labels).ToList() switch
            {
                [] => 0,
                [var one] => one.Value,
                var many => throw new Xunit.Sdk.XunitException($"{many.Count} series match {name}"),
            };

        public static Scrape Parse(string text)
        {
            var result = new List<Sample>();
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var labels = new Dictionary<string, string>();
                var brace = line.IndexOf('{', StringComparison.Ordinal);
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                string name;
                string rest;
                if (brace >= 0 && brace < space)
                {
                    name = line[..brace];
                    var i = brace + 1;
                    while (line[i] != '}')
                    {
                        var eq = line.IndexOf('=', i);
                        var key = line[i..eq].Trim(',', ' ');
                        var value = new System.Text.StringBuilder();
                        var j = eq + 2; // past ="
                        for (; line[j] != '"'; j++)
                        {
                            value.Append(line[j] == '\\' ? line[++j] : line[j]);
                        }

                        labels[key] = value.ToString();
                        i = j + 1;
                        if (line[i] == ',')
                        {
                            i++;
                        }
                    }

                    rest = line[(i + 1)..].Trim();
                }
                else
                {
                    name = line[..space];
                    rest = line[(space + 1)..].Trim();
                }

                var number = rest.Split(' ')[0];
                var parsed = number switch
                {
                    "+Inf" => double.PositiveInfinity,
                    "-Inf" => double.NegativeInfinity,
                    "NaN" => double.NaN,
                    _ => double.Parse(number, CultureInfo.InvariantCulture),
                };
                result.Add(new Sample(name, labels, parsed));
            }

            return new Scrape(result);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservabilityCollection
{
    public const string Name = "observability";
}
