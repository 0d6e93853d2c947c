using TextSearch.Search.Elasticsearch.Tests.Support;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>
/// Contract tests for responses, parsed by the official client and read by the engine: the response bodies Elastic
/// publishes in the Elasticsearch API specification (../shared/fixtures/elasticsearch, every one of them), the error
/// shapes the REST reference documents, partial bulk failures, and the status each error becomes.
/// </summary>
public sealed class ResponseContractTests
{
    private const string SearchResponse = """
        {
          "took": 5, "timed_out": false,
          "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
          "hits": {
            "total": {"value": 3, "relation": "eq"},
            "max_score": null,
            "hits": [
              {"_index": "textsearch-v1", "_id": "004_7d9db1b0e6b1bccf", "_score": 7.2345, "_source": {"id": "004_7d9db1b0e6b1bccf", "title": "هجين", "body": "نص", "source": "الخليج", "published_at": "2017-10-14T06:30:00.0000000Z", "metadata": {"origin": "seed"}}, "sort": [7.2345, "004_7d9db1b0e6b1bccf"]},
              {"_index": "textsearch-v1", "_id": "003_46747d5c7beb1e50", "_score": 3.5, "_source": {"id": "003_46747d5c7beb1e50", "title": "الموصل", "body": "نص"}, "sort": [3.5, "003_46747d5c7beb1e50"]}
            ]
          }
        }
        """;

    // Error bodies as the Elasticsearch reference documents them (root_cause, type, reason, status).
    public const string IndexNotFound = """
        {"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [textsearch]","resource.type":"index_or_alias","resource.id":"textsearch","index_uuid":"_na_","index":"textsearch"}],"type":"index_not_found_exception","reason":"no such index [textsearch]","resource.type":"index_or_alias","resource.id":"textsearch","index_uuid":"_na_","index":"textsearch"},"status":404}
        """;

    public const string SearchPhaseFailed = """
        {"error":{"root_cause":[{"type":"query_shard_exception","reason":"failed to create query: field [body_terms] of type [text] does not support [fuzzy] with [fuzziness] 7","index_uuid":"x1","index":"textsearch-v1"}],"type":"search_phase_execution_exception","reason":"all shards failed","phase":"query","grouped":true,"failed_shards":[{"shard":0,"index":"textsearch-v1","node":"n1","reason":{"type":"query_shard_exception","reason":"failed to create query","index_uuid":"x1","index":"textsearch-v1","caused_by":{"type":"illegal_argument_exception","reason":"bad fuzziness"}}}]},"status":400}
        """;

    public const string Rejected = """
        {"error":{"root_cause":[{"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=104857600, max_coordinating_and_primary_bytes=104857600]"}],"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation"},"status":429}
        """;

    public const string NoMaster = """
        {"error":{"root_cause":[{"type":"master_not_discovered_exception","reason":null}],"type":"master_not_discovered_exception","reason":null},"status":503}
        """;

    public const string Unauthenticated = """
        {"error":{"root_cause":[{"type":"security_exception","reason":"unable to authenticate user [elastic] for REST request [/textsearch]","header":{"WWW-Authenticate":["Basic realm=\"security\" charset=\"UTF-8\"","ApiKey"]}}],"type":"security_exception","reason":"unable to authenticate user [elastic] for REST request [/textsearch]","header":{"WWW-Authenticate":["Basic realm=\"security\" charset=\"UTF-8\"","ApiKey"]}},"status":401}
        """;

    public const string Forbidden = """
        {"error":{"root_cause":[{"type":"security_exception","reason":"action [indices:data/read/search] is unauthorized for user [reader] with effective roles [viewer] on indices [textsearch], this action is granted by the index privileges [read,all]"}],"type":"security_exception","reason":"action [indices:data/read/search] is unauthorized for user [reader] with effective roles [viewer] on indices [textsearch], this action is granted by the index privileges [read,all]"},"status":403}
        """;

    public const string CircuitBreaker = """
        {"error":{"root_cause":[{"type":"circuit_breaking_exception","reason":"[parent] Data too large, data for [<http_request>] would be [1020539136/973.2mb], which is larger than the limit of [1020054732/972.7mb]","bytes_wanted":1020539136,"bytes_limit":1020054732,"durability":"TRANSIENT"}],"type":"circuit_breaking_exception","reason":"[parent] Data too large","bytes_wanted":1020539136,"bytes_limit":1020054732,"durability":"TRANSIENT"},"status":429}
        """;

    public const string ReadOnlyIndex = """
        {"error":{"root_cause":[{"type":"cluster_block_exception","reason":"index [textsearch-v1] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];"}],"type":"cluster_block_exception","reason":"index [textsearch-v1] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];"},"status":429}
        """;

    [Fact]
    public async Task An_8x_node_refusing_the_9x_client_is_a_failed_precondition_that_says_so()
    {
        const string refused = """
            {"error":{"root_cause":[{"type":"media_type_header_exception","reason":"Invalid media-type value on headers [Accept, Content-Type]"}],"type":"media_type_header_exception","reason":"Invalid media-type value on headers [Accept, Content-Type]","caused_by":{"type":"status_exception","reason":"Accept version must be either version 8 or 7, but found 9. Accept=application/vnd.elasticsearch+json; compatible-with=9"}},"status":400}
            """;
        await using var backend = Fakes.Backend(FakeHandler.Always(400, refused));
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.CountAsync(default)); // HEAD: no body to read
        Assert.Equal(ErrorKind.FailedPrecondition, ex.Kind);
        Assert.Contains("needs Elasticsearch 9.x", ex.Message, StringComparison.Ordinal);

        await using var indexed = Fakes.Backend(Fakes.Cluster(_ => FakeHandler.Json(400, refused)));
        ex = await Assert.ThrowsAsync<TextSearchException>(() => indexed.CountAsync(default));
        Assert.Equal(ErrorKind.FailedPrecondition, ex.Kind);
        Assert.Contains("Accept version must be either version 8 or 7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("needs Elasticsearch 9.x", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_response_becomes_hits_with_sort_scores_and_total()
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(200, SearchResponse));
        await using var backend = Fakes.Backend(handler);
        var page = await backend.SearchAsync(TestSupport.Parser.Parse("هجين"), 2, null, default);

        Assert.Equal(3, page.TotalHits);
        Assert.Equal(["004_7d9db1b0e6b1bccf", "003_46747d5c7beb1e50"], page.Hits.Select(h => h.Id));
        Assert.Equal(7.2345f, page.Hits[0].Score);
        var doc = page.Hits[0].Document;
        Assert.Equal("هجين", doc.Title);
        Assert.Equal("الخليج", doc.Source);
        Assert.Equal(new DateTimeOffset(2017, 10, 14, 6, 30, 0, TimeSpan.Zero), doc.PublishedAt);
        Assert.Equal("seed", doc.Metadata["origin"]);
        Assert.Empty(page.Hits[1].Document.Metadata);
        Assert.Null(page.Hits[1].Document.PublishedAt);
        Assert.Equal(string.Empty, page.Hits[1].Document.Source);
    }

    [Fact]
    public async Task Search_answered_by_only_some_shards_is_unavailable_not_partial()
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(200, """
            {"took":5,"timed_out":false,"_shards":{"total":2,"successful":1,"skipped":0,"failed":1,"failures":[{"shard":1,"index":"textsearch-v1","node":"n2","reason":{"type":"node_not_connected_exception","reason":"[n2] Node not connected"}}]},"hits":{"total":{"value":0,"relation":"eq"},"hits":[]}}
            """));
        await using var backend = Fakes.Backend(handler);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.SearchAsync(TestSupport.Parser.Parse("هجين"), 10, null, default));
        Assert.Equal(ErrorKind.Unavailable, ex.Kind);
        Assert.Contains("node_not_connected_exception", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_of_a_missing_document_is_null_and_delete_false()
    {
        var handler = Fakes.Cluster(request => request.Method == "GET"
            ? FakeHandler.Json(404, """{"_index":"textsearch-v1","_id":"nope","found":false}""")
            : FakeHandler.Json(404, """{"_index":"textsearch-v1","_id":"nope","_version":1,"result":"not_found","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":3,"_primary_term":1}"""));
        await using var backend = Fakes.Backend(handler);
        Assert.Null(await backend.GetAsync("nope", default));
        Assert.False(await backend.DeleteAsync("nope", default));
    }

    public static TheoryData<int, string, ErrorKind, string> Errors => new()
    {
        { 404, IndexNotFound, ErrorKind.Unavailable, "index_not_found_exception" },
        { 400, SearchPhaseFailed, ErrorKind.InvalidArgument, "query_shard_exception" },
        { 429, Rejected, ErrorKind.ResourceExhausted, "es_rejected_execution_exception" },
        { 429, CircuitBreaker, ErrorKind.ResourceExhausted, "circuit_breaking_exception" },
        { 429, ReadOnlyIndex, ErrorKind.ResourceExhausted, "cluster_block_exception" },
        { 503, NoMaster, ErrorKind.Unavailable, "master_not_discovered_exception" },
        { 401, Unauthenticated, ErrorKind.FailedPrecondition, "security_exception" },
        { 403, Forbidden, ErrorKind.FailedPrecondition, "security_exception" },
        { 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", ErrorKind.Unavailable, "502" },
        { 504, string.Empty, ErrorKind.DeadlineExceeded, "504" },
        { 500, """{"error":"something broke","status":500}""", ErrorKind.Unavailable, "something broke" },
        { 413, string.Empty, ErrorKind.ResourceExhausted, "413" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Each_error_becomes_a_precise_kind_with_the_reason(int status, string body, ErrorKind kind, string mentioned)
    {
        // A proxy's page is HTML, not JSON.
        var handler = Fakes.Cluster(_ => body.StartsWith('<') ? Html(status, body) : FakeHandler.Json(status, body));
        await using var backend = Fakes.Backend(handler, options: Fakes.Options(maxRetries: 0));
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.SearchAsync(TestSupport.Parser.Parse("هجين"), 10, null, default));
        Assert.Equal(kind, ex.Kind);
        Assert.Contains(mentioned, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_index_is_created_again_on_the_next_call()
    {
        var searches = 0;
        var handler = Fakes.Cluster(request => request.Method == "POST" && searches++ == 0
            ? FakeHandler.Json(404, IndexNotFound)
            : FakeHandler.Json(200, Fakes.EmptySearch));
        await using var backend = Fakes.Backend(handler);
        var query = TestSupport.Parser.Parse("هجين");
        Assert.Equal(ErrorKind.Unavailable, (await Assert.ThrowsAsync<TextSearchException>(() => backend.SearchAsync(query, 10, null, default))).Kind);
        await backend.SearchAsync(query, 10, null, default);
        Assert.Equal(2, handler.Requests.Count(r => r.Method == "HEAD"));
    }

    [Fact]
    public async Task Partial_bulk_failure_reports_each_failed_document_with_its_kind()
    {
        // errors: true; doc "ok" stored, "bad-date" refused by the mapping (400), "rejected" refused once for load
        // (429) and then stored on the retry, "no-shard" refused for good (503).
        var handler = Fakes.Cluster(request =>
        {
            if (request.Method != "POST")
            {
                return null;
            }

            return request.Body.Contains("\"_id\":\"ok\"", StringComparison.Ordinal)
                ? FakeHandler.Json(200, """
                    {"took":30,"errors":true,"items":[
                      {"index":{"_index":"textsearch-v1","_id":"ok","_version":1,"result":"created","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}},
                      {"index":{"_index":"textsearch-v1","_id":"bad-date","status":400,"error":{"type":"document_parsing_exception","reason":"[1:89] failed to parse field [published_at] of type [date] in document with id 'bad-date'.","caused_by":{"type":"illegal_argument_exception","reason":"failed to parse date field [x]"}}}},
                      {"index":{"_index":"textsearch-v1","_id":"rejected","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution of primary operation"}}},
                      {"index":{"_index":"textsearch-v1","_id":"no-shard","status":503,"error":{"type":"unavailable_shards_exception","reason":"[textsearch-v1][0] primary shard is not active Timeout: [1m]"}}}
                    ]}
                    """)
                : request.Body.Contains("\"_id\":\"rejected\"", StringComparison.Ordinal) && request.Body.Contains("\"_id\":\"no-shard\"", StringComparison.Ordinal)
                    ? FakeHandler.Json(200, """
                        {"took":3,"errors":true,"items":[
                          {"index":{"_index":"textsearch-v1","_id":"rejected","_version":1,"result":"created","status":201}},
                          {"index":{"_index":"textsearch-v1","_id":"no-shard","status":503,"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"}}}
                        ]}
                        """)
                    : FakeHandler.Json(200, """
                        {"took":3,"errors":true,"items":[
                          {"index":{"_index":"textsearch-v1","_id":"no-shard","status":503,"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"}}}
                        ]}
                        """);
        });
        var log = new LogRecorder();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var backend = Fakes.Backend(handler, time: time, logger: log);
        IReadOnlyList<DocumentFailure> failures = [];
        await Fakes.Pump(time, async () => failures = await backend.UpsertAsync(
            [new Document { Id = "ok" }, new Document { Id = "bad-date" }, new Document { Id = "rejected" }, new Document { Id = "no-shard" }], default));

        Assert.Equal(["bad-date", "no-shard"], failures.Select(f => f.Id));
        Assert.Equal(ErrorKind.InvalidArgument, failures[0].Kind);
        Assert.Contains("document_parsing_exception", failures[0].Reason, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.Unavailable, failures[1].Kind);
        Assert.Contains("unavailable_shards_exception", failures[1].Reason, StringComparison.Ordinal);

        // Two retries (the options' MaxRetries), each with only the documents still refused.
        var bulks = handler.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(3, bulks.Count);
        Assert.Equal(8, bulks[0].Body.Count(c => c == '\n'));
        Assert.Equal(4, bulks[1].Body.Count(c => c == '\n'));
        Assert.Equal(2, bulks[2].Body.Count(c => c == '\n'));
        Assert.Equal(2, log.RetryDelays.Count); // the same retry policy as for whole requests, announced in the log
    }

    [Fact]
    public async Task A_bulk_refused_whole_for_an_engine_reason_throws()
    {
        var handler = Fakes.Cluster(request => request.Method == "POST"
            ? FakeHandler.Json(200, """
                {"took":3,"errors":true,"items":[
                  {"index":{"_index":"textsearch-v1","_id":"a","status":503,"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"}}},
                  {"index":{"_index":"textsearch-v1","_id":"b","status":503,"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"}}}
                ]}
                """)
            : null);
        await using var backend = Fakes.Backend(handler, options: Fakes.Options(maxRetries: 0));
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.UpsertAsync([new Document { Id = "a" }, new Document { Id = "b" }], default));
        Assert.Equal(ErrorKind.Unavailable, ex.Kind);
    }

    [Fact]
    public async Task A_bulk_answered_with_the_wrong_number_of_items_is_not_trusted()
    {
        var handler = Fakes.Cluster(request => request.Method == "POST" ? FakeHandler.Json(200, """{"took":1,"errors":false,"items":[]}""") : null);
        await using var backend = Fakes.Backend(handler);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.UpsertAsync([new Document { Id = "a" }], default));
        Assert.Equal(ErrorKind.Unavailable, ex.Kind);
    }

    [Fact]
    public async Task A_bulk_request_refused_whole_throws_its_kind()
    {
        var handler = Fakes.Cluster(request => request.Method == "POST" ? FakeHandler.Json(403, Forbidden) : null);
        await using var backend = Fakes.Backend(handler);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.UpsertAsync([new Document { Id = "a" }], default));
        Assert.Equal(ErrorKind.FailedPrecondition, ex.Kind);
        Assert.Contains("lacks privileges", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Large_batches_are_cut_into_several_bulk_requests()
    {
        var handler = Fakes.Cluster(request =>
        {
            if (request.Method != "POST")
            {
                return null;
            }

            var count = request.Body.Count(c => c == '\n') / 2;
            var items = string.Join(',', Enumerable.Repeat("""{"index":{"_index":"textsearch-v1","_id":"x","result":"created","status":201}}""", count));
            return FakeHandler.Json(200, $$"""{"took":1,"errors":false,"items":[{{items}}]}""");
        });
        await using var backend = Fakes.Backend(handler);
        // A whole engine batch of small documents is one request: the count is the engine's policy.
        var docs = Enumerable.Range(0, Limits.BulkBatchDocuments).Select(i => new Document { Id = $"d{i}", Body = "نص" }).ToList();
        Assert.Empty(await backend.UpsertAsync(docs, default));
        Assert.Equal(1, handler.Requests.Count(r => r.Method == "POST"));

        // By size: documents whose text (with its term fields) may pass 8 MB in UTF-8 go one a request.
        var large = Enumerable.Range(0, 3).Select(i => new Document { Id = $"big{i}", Body = string.Join(' ', Enumerable.Repeat("نص", 500_000)) }).ToList();
        Assert.Empty(await backend.UpsertAsync(large, default));
        Assert.Equal(4, handler.Requests.Count(r => r.Method == "POST"));
        Assert.True(handler.Requests.Where(r => r.Method == "POST").Skip(1).All(r => r.Body.Count(c => c == '\n') == 2));
    }

    // ---- Elastic's published response examples (../shared/fixtures/elasticsearch) -------------------------------

    private static readonly string[] FixturesTested =
    [
        "search-response.json", "get-response-1.json", "get-response-2.json", "get-response-3.json", "delete-response.json",
        "index-response-1.json", "cluster-health-response.json", "bulk-response-1.json", "bulk-response-2-item-errors.json",
        "bulk-response-3-errors-only.json",
    ];

    private static HttpResponseMessage Html(int status, string html)
    {
        var response = FakeHandler.Json(status, html);
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/html");
        return response;
    }

    private static FakeHandler Answering(string fixture, string method) =>
        Fakes.Cluster(request => request.Method == method ? FakeHandler.Json(200, Shared.Fixture(fixture)) : null);

    [SharedFact("fixtures")]
    public void Every_published_fixture_has_a_test()
    {
        var present = Directory.GetFiles(Shared.Fixtures, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(present, FixturesTested.Order(StringComparer.Ordinal));
    }

    [SharedFact("fixtures")]
    public async Task Published_search_response()
    {
        // Its _source is not ours (an object where our "source" is a string): the envelope is read, the odd field left empty.
        await using var backend = Fakes.Backend(Answering("search-response.json", "POST"));
        var page = await backend.SearchAsync(TestSupport.Parser.Parse("هجين"), 10, null, default);
        Assert.Equal(20, page.TotalHits);
        var hit = Assert.Single(page.Hits);
        Assert.Equal("0", hit.Id);
        Assert.Equal(1.3862942f, hit.Score);
        Assert.Equal(string.Empty, hit.Document.Source);
        Assert.Equal(string.Empty, hit.Document.Title);
    }

    [SharedFact("fixtures")]
    public async Task Published_get_responses()
    {
        foreach (var (fixture, id) in new[] { ("get-response-1.json", "0"), ("get-response-2.json", "1"), ("get-response-3.json", "2") })
        {
            await using var backend = Fakes.Backend(Answering(fixture, "GET"));
            var doc = await backend.GetAsync(id, default);
            Assert.NotNull(doc); // found: true, with a foreign _source, or with stored fields and no _source at all
            Assert.Equal(id, doc.Id);
            Assert.Equal(string.Empty, doc.Body);
        }
    }

    [SharedFact("fixtures")]
    public async Task Published_delete_response()
    {
        await using var backend = Fakes.Backend(Answering("delete-response.json", "DELETE"));
        Assert.True(await backend.DeleteAsync("1", default));
    }

    [SharedFact("fixtures")]
    public async Task Published_index_response()
    {
        // The engine writes through _bulk only; the client's single-document index response is read here all the same.
        using var cluster = new Client.EsCluster(Fakes.Options(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System, Unowned.Wrap(Answering("index-response-1.json", "POST")));
        var response = await cluster.Client.IndexAsync(new Elastic.Clients.Elasticsearch.IndexRequest<EsDocument>(new EsDocument()) { Index = "my-index-000001" });
        Assert.True(response.IsValidResponse);
        Assert.Equal("W0tpsmIBdwcYyG50zbta", response.Id);
        Assert.Equal(Elastic.Clients.Elasticsearch.Result.Created, response.Result);
        Assert.Equal(2, response.Shards.Successful);
    }

    [SharedFact("fixtures")]
    public async Task Published_cluster_health_response()
    {
        // Yellow (a replica unassigned): every primary is allocated, so the engine serves.
        var handler = Answering("cluster-health-response.json", "GET");
        await using var backend = Fakes.Backend(handler);
        Assert.Equal(BackendHealth.Serving, await backend.CheckHealthAsync(default));
        Assert.Contains(handler.Requests, r => r.ToString() == "GET /_cluster/health/textsearch");
    }

    [SharedFact("fixtures")]
    public async Task Published_bulk_response_with_every_kind_of_operation()
    {
        // index 201, delete 404 not_found (no error object), create 201, update 200: all read; the 404 is reported.
        await using var backend = Fakes.Backend(Answering("bulk-response-1.json", "POST"));
        var failures = await backend.UpsertAsync([.. Enumerable.Range(1, 4).Select(i => new Document { Id = $"d{i}" })], default);
        var failure = Assert.Single(failures);
        Assert.Equal(("d2", ErrorKind.NotFound), (failure.Id, failure.Kind));
        Assert.Contains("404", failure.Reason, StringComparison.Ordinal);
    }

    [SharedFact("fixtures")]
    public async Task Published_bulk_response_with_item_errors()
    {
        await using var backend = Fakes.Backend(Answering("bulk-response-2-item-errors.json", "POST"));
        var failures = await backend.UpsertAsync([.. Enumerable.Range(1, 3).Select(i => new Document { Id = $"d{i}" })], default);
        Assert.Equal(["d1", "d2"], failures.Select(f => f.Id));
        Assert.All(failures, f => Assert.Equal(ErrorKind.NotFound, f.Kind));
        Assert.All(failures, f => Assert.Contains("document_missing_exception", f.Reason, StringComparison.Ordinal));
        Assert.Contains("[5]: document missing", failures[0].Reason, StringComparison.Ordinal);
    }

    [SharedFact("fixtures")]
    public async Task Published_bulk_response_filtered_to_its_errors()
    {
        // filter_path=items.*.error: only the errors, without status. Read item by item when the counts agree; a
        // response with fewer results than documents is not trusted.
        await using var backend = Fakes.Backend(Answering("bulk-response-3-errors-only.json", "POST"));
        var failures = await backend.UpsertAsync([new Document { Id = "a" }, new Document { Id = "b" }], default);
        Assert.Equal(["a", "b"], failures.Select(f => f.Id));
        Assert.All(failures, f => Assert.Contains("document_missing_exception: [", f.Reason, StringComparison.Ordinal));
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.UpsertAsync([.. "xyz".Select(c => new Document { Id = c.ToString() })], default));
        Assert.Equal(ErrorKind.Unavailable, ex.Kind);
        Assert.Contains("with 2 results", ex.Message, StringComparison.Ordinal);
    }
}
