using TextSearch.Search.Elasticsearch.Tests.Support;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>
/// Contract tests: every request the engine sends through the official client, compared with a committed golden file
/// (Golden/*.http, regenerated from the client with UPDATE_GOLDEN=1) for what Elasticsearch reads (see
/// <see cref="Golden"/>). A change to a request shows as a golden diff.
/// </summary>
public sealed class RequestContractTests
{
    /// <summary>
    /// The searches a query sends, against a cluster whose first search finds one document (so a two-phase search
    /// goes on to rescore it) and whose later searches find nothing.
    /// </summary>
    private static async Task<List<RecordedRequest>> SearchRequests(string query, SearchCursor? after = null, int size = 10, RankingOptions? ranking = null)
    {
        var searches = 0;
        var handler = Fakes.Cluster(_ => FakeHandler.Json(200, searches++ == 0 ? OneHit : Fakes.EmptySearch));
        await using var backend = Fakes.Backend(handler, ranking: ranking);
        await backend.SearchAsync(TestSupport.Parser.Parse(query), size, after, default);
        return [.. handler.Requests.Where(r => r.Method == "POST")];
    }

    private const string OneHit = """
        {"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"total":{"value":1,"relation":"eq"},"max_score":null,"hits":[{"_index":"textsearch-v1","_id":"doc-1","_score":null,"sort":[2.5,"doc-1"]}]}}
        """;

    [Fact]
    public async Task Index_and_alias_creation()
    {
        var handler = new FakeHandler((request, _) => request.Method == "HEAD"
            ? FakeHandler.Json(404, string.Empty)
            : FakeHandler.Json(200, """{"acknowledged":true,"shards_acknowledged":true,"index":"textsearch-v1"}"""));
        await using var backend = Fakes.Backend(handler);
        await backend.EnsureIndexAsync(default);

        Assert.Equal(["HEAD /textsearch", "PUT /textsearch-v1"], handler.Requests.Select(r => r.ToString()));
        Golden.AssertMatches("create-index.http", handler.Requests[1]);

        // Numbers exactly as configured (not the float widened to 0.8999999761581421), and Elasticsearch 9 media types.
        var body = handler.Requests[1].Body;
        Assert.Contains("\"b\":0.9,", body.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("\"k1\":1.5", body.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.All(handler.Requests, r => Assert.Contains("compatible-with=9", r.Accept, StringComparison.Ordinal));
        Assert.True(handler.Requests[1].Gzipped, "request bodies are compressed");
    }

    [Fact]
    public async Task Alias_added_when_the_versioned_index_exists_without_it()
    {
        var handler = ExistingWithoutAlias(Fakes.CurrentMapping);
        await using var backend = Fakes.Backend(handler);
        await backend.EnsureIndexAsync(default);

        Assert.Equal(["HEAD /textsearch", "PUT /textsearch-v1", "POST /_aliases", "GET /textsearch/_mapping"], handler.Requests.Select(r => r.ToString()));
        Golden.AssertMatches("add-alias.http", handler.Requests[2]);
    }

    [Fact]
    public async Task A_versioned_index_found_without_the_alias_is_checked_like_any_other()
    {
        // Made by an older version under the same name: its variant keys are of revision 1 (no _meta).
        var handler = ExistingWithoutAlias(Fakes.Mapping(EsFields.Required, revision: null));
        await using var backend = Fakes.Backend(handler);

        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.EnsureIndexAsync(default));
        Assert.Equal(ErrorKind.FailedPrecondition, ex.Kind);
        Assert.Contains("holds variant keys of revision 1", ex.Message, StringComparison.Ordinal);
    }

    // A cluster where textsearch-v1 exists but the alias does not: HEAD 404, PUT refused as existing, GET _mapping answered.
    private static FakeHandler ExistingWithoutAlias(string mapping) => new((request, _) => request.Method switch
    {
        "HEAD" => FakeHandler.Json(404, string.Empty),
        "PUT" => FakeHandler.Json(400, """
            {"error":{"root_cause":[{"type":"resource_already_exists_exception","reason":"index [textsearch-v1/abc] already exists","index_uuid":"abc","index":"textsearch-v1"}],"type":"resource_already_exists_exception","reason":"index [textsearch-v1/abc] already exists","index_uuid":"abc","index":"textsearch-v1"},"status":400}
            """),
        "GET" => FakeHandler.Json(200, mapping),
        _ => FakeHandler.Json(200, """{"acknowledged":true}"""),
    });

    [Fact]
    public async Task Index_is_created_once()
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(200, """{"count":5,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}"""));
        await using var backend = Fakes.Backend(handler);
        Assert.Equal(5, await backend.CountAsync(default));
        Assert.Equal(5, await backend.CountAsync(default));
        Assert.Equal(["HEAD /textsearch", "GET /textsearch/_mapping", "POST /textsearch/_count", "POST /textsearch/_count"], handler.Requests.Select(r => r.ToString()));
    }

    [Fact]
    public async Task Bulk_is_ndjson_with_original_and_pre_analyzed_fields()
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(200, """
            {"took":3,"errors":false,"items":[{"index":{"_index":"textsearch-v1","_id":"doc-1","_version":1,"result":"created","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}},{"index":{"_index":"textsearch-v1","_id":"doc-2","_version":1,"result":"created","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":1,"_primary_term":1,"status":201}}]}
            """));
        await using var backend = Fakes.Backend(handler);
        var failures = await backend.UpsertAsync(
        [
            new Document
            {
                Id = "doc-1",
                Title = "قوات سوريا الديمقراطية في الرَّقَّة",
                Body = "دخلت القوات إلى مدينة الرقة، وفي ٢٠١٧ أعلنت السيطرة على 26,950 كم.",
                Source = "الخليج",
                PublishedAt = new DateTimeOffset(2017, 10, 14, 9, 30, 0, TimeSpan.FromHours(3)),
                Metadata = new Dictionary<string, string> { ["origin"] = "seed", ["lang"] = "ar" },
            },
            new Document { Id = "doc-2", Body = "نص بلا عنوان" },
        ], default);

        Assert.Empty(failures);
        var bulk = Assert.Single(handler.Requests, r => r.Method == "POST");
        Assert.Equal("/textsearch/_bulk?refresh=wait_for", bulk.PathAndQuery);
        Assert.StartsWith("application/x-ndjson", bulk.ContentType, StringComparison.Ordinal);
        Assert.EndsWith("\n", bulk.Body, StringComparison.Ordinal);
        Golden.AssertMatches("bulk.http", bulk);

        // The source serializer writes Arabic as it is, not as \uXXXX escapes (only the metadata pairs' control
        // separator, U+001F, is escaped).
        Assert.Contains("\"title\":\"قوات سوريا الديمقراطية في الرَّقَّة\"", bulk.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u06", bulk.Body, StringComparison.Ordinal);
        Assert.Contains("\"metadata_pairs\":[\"lang\\u001Far\",\"origin\\u001Fseed\"]", bulk.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bulk_stream_waits_for_no_refresh_and_its_commit_refreshes_once()
    {
        var handler = Fakes.Cluster(request => request.PathAndQuery.Contains("_bulk", StringComparison.Ordinal)
            ? FakeHandler.Json(200, """{"took":1,"errors":false,"items":[{"index":{"_index":"textsearch-v1","_id":"a","result":"created","status":201}}]}""")
            : FakeHandler.Json(200, """{"_shards":{"total":1,"successful":1,"failed":0}}"""));
        await using var backend = Fakes.Backend(handler);
        await using (var bulk = backend.BeginBulk())
        {
            Assert.Empty(await bulk.AddAsync([new Document { Id = "a" }], default));
            await bulk.CommitAsync(default);
        }

        Assert.Equal(["HEAD /textsearch", "GET /textsearch/_mapping", "POST /textsearch/_bulk", "POST /textsearch/_refresh"], handler.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        Assert.DoesNotContain("refresh", handler.Requests[2].PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("search-words.http", "الموصل الرقة")]
    [InlineData("search-one-word.http", "الموصل")]
    [InlineData("search-phrase.http", "\"دوار النعيم\"")]
    [InlineData("search-phrase-stopword-gap.http", "\"تنظيم الدولة في العراق\"")]
    [InlineData("search-exclusion.http", "داعش -الرقة")]
    [InlineData("search-exclusion-only.http", "-الموصل -\"دير الزور\"")]
    [InlineData("search-synonyms.http", "قسد")]
    [InlineData("search-variants.http", "الديمقراطية")]
    public async Task Search_bodies(string golden, string query)
    {
        // Two phases: the first phase's window (ids and scores only), then the window ranked by the full query.
        var requests = await SearchRequests(query);
        Assert.Equal(2, requests.Count);
        Golden.AssertMatches(golden, requests[0]);
        Golden.AssertMatches(golden.Replace(".http", ".rescore.http", StringComparison.Ordinal), requests[1]);
        Assert.Contains("\"_source\":false", requests[0].Body, StringComparison.Ordinal);
        Assert.Contains("\"terms\":{\"id\":[\"doc-1\"]}", requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_inside_the_window_pages_the_rescored_window()
    {
        var requests = await SearchRequests("سوريا", new SearchCursor(1.5f, "002_efd2be0952ca666b", Rescored: true), size: 2);
        Assert.Equal(2, requests.Count);
        Assert.DoesNotContain("search_after", requests[0].Body, StringComparison.Ordinal);
        Golden.AssertMatches("search-after-rescored.http", requests[1]);
        Assert.Contains("\"search_after\":[1.5,\"002_efd2be0952ca666b\"]", requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_page_after_a_cursor()
    {
        // A cursor past the window pages on through the first phase alone: one request.
        var request = Assert.Single(await SearchRequests("سوريا", new SearchCursor(1.2345678f, "002_efd2be0952ca666b"), size: 2));
        Golden.AssertMatches("search-after.http", request);
        Assert.Contains("\"search_after\":[1.2345677614212036,\"002_efd2be0952ca666b\"]", request.Body, StringComparison.Ordinal);
        Assert.Contains("allow_partial_search_results=false", request.PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain("search_type", request.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(1.2345678f, (float)1.2345677614212036);
    }

    [Fact]
    public async Task Search_without_coordination_or_proximity_is_a_plain_bool()
    {
        var requests = await SearchRequests("الموصل الرقة", ranking: new RankingOptions { Coordination = false, ProximityBoost = 0, ExactBoost = 0 });
        Golden.AssertMatches("search-plain-bool.http", requests[1]);
    }

    [Fact]
    public async Task Search_on_several_shards_uses_global_statistics()
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(200, Fakes.EmptySearch));
        var options = Fakes.Options();
        options.Shards = 3;
        await using var backend = Fakes.Backend(handler, options);
        await backend.SearchAsync(TestSupport.Parser.Parse("سوريا"), 10, null, default);
        var query = Assert.Single(handler.Requests, r => r.Method == "POST").PathAndQuery;
        Assert.StartsWith("/textsearch/_search?", query, StringComparison.Ordinal);
        Assert.Equal(["allow_partial_search_results=false", "search_type=dfs_query_then_fetch"], query[(query.IndexOf('?') + 1)..].Split('&').Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Get_and_delete_address_one_document()
    {
        var handler = Fakes.Cluster(request => request.Method == "GET"
            ? FakeHandler.Json(200, """{"_index":"textsearch-v1","_id":"a/b ج","_version":1,"_seq_no":0,"_primary_term":1,"found":true,"_source":{"id":"a/b ج","title":"t"}}""")
            : FakeHandler.Json(200, """{"_index":"textsearch-v1","_id":"a/b ج","_version":2,"result":"deleted","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":1,"_primary_term":1}"""));
        await using var backend = Fakes.Backend(handler);
        Assert.Equal("t", (await backend.GetAsync("a/b ج", default))?.Title);
        Assert.True(await backend.DeleteAsync("a/b ج", default));

        var get = handler.Requests[2];
        var delete = handler.Requests[3];
        Assert.StartsWith("/textsearch/_doc/a%2Fb%20%D8%AC?", get.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("/textsearch/_doc/a%2Fb%20%D8%AC?refresh=wait_for", delete.PathAndQuery);
        Golden.AssertMatches("get.http", get);
        Golden.AssertMatches("delete.http", delete);
    }

    [Fact]
    public async Task Ids_too_long_for_elasticsearch_are_hashed_and_dot_segments_escaped()
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(404, """{"_index":"textsearch-v1","_id":"x","found":false}"""));
        await using var backend = Fakes.Backend(handler);
        var longId = new string('\u4E2D', 256); // 768 UTF-8 bytes: over Elasticsearch's 512.
        Assert.Null(await backend.GetAsync(longId, default));
        Assert.Null(await backend.GetAsync("..", default));
        Assert.Null(await backend.GetAsync(".a", default));

        Assert.Matches("^/textsearch/_doc/%01sha256%3A[0-9a-f]{64}\\?", handler.Requests[2].PathAndQuery);
        Assert.Matches("^/textsearch/_doc/%01sha256%3A[0-9a-f]{64}\\?", handler.Requests[3].PathAndQuery);
        Assert.NotEqual(handler.Requests[2].PathAndQuery, handler.Requests[3].PathAndQuery);
        Assert.StartsWith("/textsearch/_doc/.a?", handler.Requests[4].PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(EsDocumentMapper.EsId(longId), EsDocumentMapper.EsId(new string('\u4E2D', 256)));
        Assert.NotEqual(EsDocumentMapper.EsId(longId), EsDocumentMapper.EsId(new string('\u4E2D', 255) + "x"));
    }

    [Fact]
    public async Task An_index_created_before_the_variant_keys_is_refused_with_what_to_do()
    {
        // The mapping of an index created before issue 15: every term field but body_keys.
        var (ex, requests) = await RefusedAsync(Fakes.Mapping(EsFields.Required.Where(f => f != EsFields.BodyKeys)));
        Assert.Contains("'textsearch-v1' behind 'textsearch' was created by an older TextSearch: it has no body_keys field", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["HEAD /textsearch", "GET /textsearch/_mapping"], requests);
    }

    [Theory]
    [InlineData(null, "revision 1")]
    [InlineData("1", "revision 1")]
    [InlineData("2", "revision 2")]
    [InlineData("4", "revision 4")]
    public async Task An_index_of_other_variant_keys_is_refused_with_what_to_do(string? revision, string named)
    {
        // Keys are computed by the engine, not by Elasticsearch: an index written with other key rules would find other
        // words, so its _meta must name this version's revision (none: created before revisions were named).
        var (ex, _) = await RefusedAsync(Fakes.Mapping(EsFields.Required, revision));
        Assert.Contains($"'textsearch-v1' behind 'textsearch' holds variant keys of {named} (_meta.textsearch_variant_keys); this version writes and searches revision {TextSearch.Analysis.VariantKey.Revision}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_whose_variant_keys_have_no_positions_is_refused_with_what_to_do()
    {
        // Created before proximity was measured on the keys: body_keys mapped with index_options freqs, so every
        // proximity pair (a match_phrase on it) would fail.
        var (ex, _) = await RefusedAsync(Fakes.Mapping(EsFields.Required, EsIndex.Revision, [.. EsFields.TermByTerm, EsFields.BodyKeys]));
        Assert.Contains("'textsearch-v1' behind 'textsearch' was created by an older TextSearch: its body_keys field has no positions, which phrases and proximity need", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ElasticsearchAnalysis.TermsAnalyzer, "its body_keys field is indexed with the analyzer 'textsearch_terms', not 'textsearch_keys'")]
    [InlineData(null, "its body_keys field is indexed with the analyzer 'standard', not 'textsearch_keys'")]
    public async Task An_index_whose_variant_keys_lack_the_number_class_is_refused_with_what_to_do(string? analyzer, string named)
    {
        // Keys of this revision but indexed through the terms analyzer (or Elasticsearch's default): no number class at
        // the numbers' positions, so the number pairs of a question that asks when or how many would never match.
        var mapping = Fakes.Mapping(EsFields.Required, EsIndex.Revision, EsFields.TermByTerm, new Dictionary<string, string?> { [EsFields.BodyKeys] = analyzer });
        var (ex, _) = await RefusedAsync(mapping);
        Assert.Contains($"'textsearch-v1' behind 'textsearch' was created by another TextSearch: {named}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_whose_term_fields_are_analyzed_otherwise_is_refused_naming_each()
    {
        var mapping = Fakes.Mapping(EsFields.Required, EsIndex.Revision, EsFields.TermByTerm, new Dictionary<string, string?>
        {
            [EsFields.BodyTerms] = "arabic",
            [EsFields.TitleExact] = ElasticsearchAnalysis.KeysAnalyzer,
        });
        var (ex, _) = await RefusedAsync(mapping);
        Assert.Contains(
            "its body_terms field is indexed with the analyzer 'arabic', not 'textsearch_terms'; its title_exact field is indexed with the analyzer 'textsearch_keys', not 'textsearch_terms'",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_created_by_this_version_is_read_back_through_the_check()
    {
        // The emulated cluster answers GET _mapping with the analyzers the engine created the index with: a second
        // engine on the same cluster opens it without a refusal.
        using var cluster = new FakeElasticsearch();
        await using (var first = Fakes.Backend(cluster))
        {
            await first.EnsureIndexAsync(default);
        }

        await using var second = Fakes.Backend(cluster);
        await second.EnsureIndexAsync(default);
        Assert.Equal(["HEAD /textsearch", "PUT /textsearch-v1", "HEAD /textsearch", "GET /textsearch/_mapping"], cluster.Requests.Where(r => !r.Contains("/_settings", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Opens the engine on an existing index of <paramref name="mapping"/> and asserts what every refusal shares:
    /// FAILED_PRECONDITION naming the next IndexVersion, and health NOT_SERVING. Returns the error and the requests made
    /// before it.
    /// </summary>
    private static async Task<(TextSearchException Error, string[] Requests)> RefusedAsync(string mapping)
    {
        var handler = new FakeHandler((request, _) => request.Method == "HEAD" ? FakeHandler.Json(200, string.Empty) : FakeHandler.Json(200, mapping));
        await using var backend = Fakes.Backend(handler);

        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.CountAsync(default));
        var requests = handler.Requests.Select(r => r.ToString()).ToArray();
        Assert.Equal(ErrorKind.FailedPrecondition, ex.Kind);
        Assert.Contains("IndexVersion 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal(BackendHealth.NotServing, await backend.CheckHealthAsync(default));
        return (ex, requests);
    }

    [Fact]
    public async Task An_index_of_this_versions_variant_keys_is_served()
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(200, """{"count":7}"""));
        await using var backend = Fakes.Backend(handler);
        Assert.Equal(7, await backend.CountAsync(default));
    }

    [Fact]
    public async Task Health_asks_the_cluster_about_the_index()
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(200, """{"cluster_name":"docker-cluster","status":"yellow","timed_out":false,"number_of_nodes":1,"active_primary_shards":1}"""));
        await using var backend = Fakes.Backend(handler);
        Assert.Equal(BackendHealth.Serving, await backend.CheckHealthAsync(default));
        Assert.Equal("GET /_cluster/health/textsearch", handler.Requests[2].ToString());
    }

    [Fact]
    public void Golden_comparison_ignores_key_order_and_one_element_arrays_but_not_values()
    {
        const string golden = "POST /i/_search?b=2&a=1\nContent-Type: application/json\n\n{\"query\":{\"bool\":{\"must\":[{\"term\":{\"f\":{\"value\":\"ب\",\"boost\":0.5}}}]}},\"size\":10}\n";
        Assert.Equal(
            Golden.Canonical(golden),
            Golden.Canonical("POST /i/_search?a=1&b=2\nContent-Type: application/json\n\n{\"size\":10.0,\"query\":{\"bool\":{\"must\":{\"term\":{\"f\":{\"boost\":0.5,\"value\":\"\\u0628\"}}}}}}\n"));
        Assert.NotEqual(
            Golden.Canonical(golden),
            Golden.Canonical("POST /i/_search?a=1&b=2\nContent-Type: application/json\n\n{\"size\":10,\"query\":{\"bool\":{\"should\":{\"term\":{\"f\":{\"boost\":0.5,\"value\":\"ب\"}}}}}}\n"));
        Assert.NotEqual(Golden.Canonical(golden), Golden.Canonical(golden.Replace("0.5", "0.25", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("api-key", null, null, "ApiKey api-key")]
    [InlineData(null, "elastic", "s3cret", "Basic ZWxhc3RpYzpzM2NyZXQ=")]
    [InlineData(null, null, null, null)]
    public async Task Credentials_are_sent_on_every_request(string? apiKey, string? user, string? password, string? expected)
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(200, """{"count":0}"""));
        var options = Fakes.Options();
        options.ApiKey = apiKey;
        options.Username = user;
        options.Password = password;
        await using var backend = Fakes.Backend(handler, options);
        await backend.CountAsync(default);
        Assert.All(handler.Requests, r => Assert.Equal(expected, r.Authorization));
        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("api-key", options.ToString(), StringComparison.Ordinal);
    }
}
