using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search.Elasticsearch.Tests.Support;
using TextSearch.Search.Ingestion;
using TextSearch.Search.Lucene;
using TextSearch.Search.Tests;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>
/// The Elasticsearch engine end to end (its client, requests, documents and queries) against
/// <see cref="FakeElasticsearch"/>, an in-memory stand-in that runs the query DSL on Lucene.NET 4.8, next to the
/// embedded engine on the same seeds: the relevance table, pagination and writes behave the same, and every
/// query ranks the same documents in the same order with the same scores. This is not a real cluster (see
/// <see cref="FakeElasticsearch"/>); the conformance suite on a live one runs when ELASTICSEARCH_URL is set.
/// </summary>
public sealed class EmulatedClusterTests : IAsyncLifetime
{
    private readonly string _lucenePath = TestSupport.TempDir();
    private FakeElasticsearch _cluster = null!;
    private ElasticsearchBackend _backend = null!;
    private LuceneBackend _lucene = null!;

    private SearchEngine Engine { get; set; } = null!;

    private SearchEngine Embedded { get; set; } = null!;

    public static TheoryData<string> Queries
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var row in EngineConformanceTests.SeedsRelevanceTable)
            {
                data.Add((string)row[0]);
            }

            foreach (var query in new[]
            {
                "الموصل هجين الباغوز", "سوريا", "دير الزور", "\"دير الزور\" داعش", "قوات سوريا الديمقراطية", "-الموصل",
                "الولايات المتحدة", "واشنطن", "التحالف الدولي", "\"تنظيم الدولة\" -\"دير الزور\"", "مقاتلي التنظيم في الرقة",
                "النظام السوري وروسيا", "26,950", "المدنيين", "الرقة الرقة الرقة",
            })
            {
                data.Add(query);
            }

            return data;
        }
    }

    public async Task InitializeAsync()
    {
        _cluster = new FakeElasticsearch();
        _backend = Fakes.Backend(_cluster);
        Engine = TestSupport.Engine(_backend);
        _lucene = new LuceneBackend(new LuceneOptions { IndexPath = _lucenePath }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance);
        Embedded = TestSupport.Engine(_lucene);
        await new SeedIngestor(_backend, NullLogger<SeedIngestor>.Instance).IngestAsync(TestSupport.SeedsPath, default);
        await new SeedIngestor(_lucene, NullLogger<SeedIngestor>.Instance).IngestAsync(TestSupport.SeedsPath, default);
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        _cluster.Dispose();
        await _lucene.DisposeAsync();
        Directory.Delete(_lucenePath, recursive: true);
    }

    [Fact]
    public async Task The_index_secret_is_derived_from_the_index_uuid_and_shared_by_every_server()
    {
        var secret = await _backend.GetSecretAsync(default);
        Assert.True(secret.Length >= 32);
        await using var sameCluster = Fakes.Backend(_cluster);
        Assert.Equal(secret, await sameCluster.GetSecretAsync(default));
        using var otherCluster = new FakeElasticsearch();
        await using var other = Fakes.Backend(otherCluster);
        Assert.NotEqual(secret, await other.GetSecretAsync(default));
    }

    private async Task<IReadOnlyList<string>> Ids(string query, int pageSize = 100) =>
        [.. (await Engine.SearchAsync(new SearchRequestModel(query, pageSize), default)).Hits.Select(h => h.Document.Id)];

    [Theory]
    [MemberData(nameof(EngineConformanceTests.SeedsRelevanceTable), MemberType = typeof(EngineConformanceTests))]
    public async Task Seeds_relevance_table(string query, string[] expected, string? first)
    {
        var ids = await Ids(query);
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        if (first is not null)
        {
            Assert.Equal(first, ids[0]);
        }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Same_ranking_and_scores_as_the_embedded_engine(string query)
    {
        var es = await Engine.SearchAsync(new SearchRequestModel(query, 100), default);
        var embedded = await Embedded.SearchAsync(new SearchRequestModel(query, 100), default);
        Assert.Equal(embedded.TotalHits, es.TotalHits);
        Assert.Equal(embedded.Hits.Select(h => h.Document.Id), es.Hits.Select(h => h.Document.Id));
        for (var i = 0; i < es.Hits.Count; i++)
        {
            Assert.True(
                Math.Abs(es.Hits[i].Score - embedded.Hits[i].Score) <= 1e-4 * Math.Max(1, embedded.Hits[i].Score),
                $"{es.Hits[i].Document.Id}: {es.Hits[i].Score} on Elasticsearch, {embedded.Hits[i].Score} embedded");
        }
    }

    [Fact]
    public async Task Long_queries_match_the_same_documents()
    {
        // Over 16 clauses the coordination is proportional rather than exact: the same documents, scores may differ.
        var query = "سوريا العراق الرقة الموصل دير الزور داعش التحالف الدولي قوات المدنيين الحكومة روسيا تركيا إيران الأكراد الفرات النفط";
        var es = await Engine.SearchAsync(new SearchRequestModel(query, 100), default);
        var embedded = await Embedded.SearchAsync(new SearchRequestModel(query, 100), default);
        Assert.True(es.Query.Clauses.Count > EsQueryBuilder.MaxExactCoordinationClauses);
        Assert.Equal(embedded.Hits.Select(h => h.Document.Id).Order(StringComparer.Ordinal), es.Hits.Select(h => h.Document.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Spelling_variants_rank_below_exact_matches() =>
        Assert.Equal(EngineConformanceTestsIds.D4, (await Ids("الديمقراطية"))[^1]);

    [Fact]
    public async Task Pages_are_stable_disjoint_and_complete()
    {
        var all = await Engine.SearchAsync(new SearchRequestModel("سوريا", 100), default);
        var paged = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Engine.SearchAsync(new SearchRequestModel("سوريا", 2, token), default);
            Assert.Equal(all.TotalHits, page.TotalHits);
            paged.AddRange(page.Hits.Select(h => h.Document.Id));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(all.Hits.Select(h => h.Document.Id), paged);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Ties_page_by_id()
    {
        await _backend.UpsertAsync([.. Enumerable.Range(0, 7).Select(i => new Document { Id = $"tie-{6 - i}", Title = "تعادل", Body = "نص" })], default);
        var paged = new List<string>();
        string? token = null;
        do
        {
            var page = await Engine.SearchAsync(new SearchRequestModel("تعادل", 3, token), default);
            paged.AddRange(page.Hits.Select(h => h.Document.Id));
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"tie-{i}"), paged);
    }

    [Fact]
    public async Task Upsert_is_searchable_when_acknowledged_and_replaces()
    {
        await Engine.UpsertAsync(new Document { Id = "w1", Title = "خبر جديد", Body = "وصل القطار إلى محطة الزرقاء." }, default);
        Assert.Equal(["w1"], await Ids("الزرقاء"));
        await Engine.UpsertAsync(new Document { Id = "w1", Title = "خبر معدل", Body = "وصلت الطائرة إلى المطار." }, default);
        Assert.Empty(await Ids("الزرقاء"));
        Assert.Equal(["w1"], await Ids("الطائرة"));
        Assert.Equal("خبر معدل", (await Engine.GetAsync("w1", default)).Title);
    }

    [Fact]
    public async Task Bulk_upserts_become_searchable_on_commit()
    {
        await using var bulk = _backend.BeginBulk();
        Assert.Empty(await bulk.AddAsync([new Document { Id = "b1", Title = "دفعة", Body = "كلمةمؤجلة" }], default));
        Assert.Empty(await Ids("كلمةمؤجلة"));
        Assert.Equal("دفعة", (await Engine.GetAsync("b1", default)).Title);
        await bulk.CommitAsync(default);
        Assert.Equal(["b1"], await Ids("كلمةمؤجلة"));
    }

    [Fact]
    public async Task Get_returns_the_original_document()
    {
        var doc = new Document
        {
            Id = "g1",
            Title = "عنوانٌ مُشَكَّل",
            Body = "نصّ الخبر",
            Source = "مصدر",
            PublishedAt = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
        };
        await Engine.UpsertAsync(doc, default);
        var got = await Engine.GetAsync("g1", default);
        Assert.Equal(doc.Title, got.Title);
        Assert.Equal(doc.Body, got.Body);
        Assert.Equal(doc.Source, got.Source);
        Assert.Equal(doc.PublishedAt, got.PublishedAt);
        Assert.Equal("v", got.Metadata["k"]);
    }

    [Fact]
    public async Task Delete_removes_and_unknown_ids_are_not_found()
    {
        await Engine.UpsertAsync(new Document { Id = "d1", Title = "للحذف", Body = "كلمةفريدة" }, default);
        await Engine.DeleteAsync("d1", default);
        Assert.Empty(await Ids("كلمةفريدة"));
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<TextSearchException>(() => Engine.GetAsync("d1", default))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<TextSearchException>(() => Engine.DeleteAsync("d1", default))).Kind);
    }

    [Fact]
    public async Task Ids_longer_than_elasticsearch_allows_work()
    {
        var id = new string('中', 200) + "/" + new string('文', 55);
        await Engine.UpsertAsync(new Document { Id = id, Title = "معرف طويل", Body = "كلمةنادرة" }, default);
        Assert.Equal([id], await Ids("كلمةنادرة"));
        Assert.Equal("معرف طويل", (await Engine.GetAsync(id, default)).Title);
        await Engine.DeleteAsync(id, default);
        Assert.Empty(await Ids("كلمةنادرة"));
    }

    [Fact]
    public async Task Seeds_ingestion_is_idempotent()
    {
        var report = await new SeedIngestor(_backend, NullLogger<SeedIngestor>.Instance).IngestAsync(TestSupport.SeedsPath, default);
        Assert.Equal(new SeedReport(5, 0, 5), report);
        Assert.Equal(5, await _backend.CountAsync(default));
        Assert.Equal(BackendHealth.Serving, await _backend.CheckHealthAsync(default));
    }

    [Fact]
    public async Task Snippets_come_from_the_original_text_like_on_the_embedded_engine()
    {
        var es = await Engine.SearchAsync(new SearchRequestModel("الديمقراطية"), default);
        var embedded = await Embedded.SearchAsync(new SearchRequestModel("الديمقراطية"), default);
        Assert.Equal(
            embedded.Hits.Select(h => (h.Document.Id, string.Join('|', h.Snippets.Select(s => s.Text)))),
            es.Hits.Select(h => (h.Document.Id, string.Join('|', h.Snippets.Select(s => s.Text)))));
    }

    [Fact]
    public async Task An_index_deleted_behind_the_engines_back_is_created_again()
    {
        await _backend.DropIndexAsync(default);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => _backend.CountAsync(default));
        Assert.Equal(ErrorKind.Unavailable, ex.Kind);
        Assert.Equal(0, await _backend.CountAsync(default));
        await new SeedIngestor(_backend, NullLogger<SeedIngestor>.Instance).IngestAsync(TestSupport.SeedsPath, default);
        Assert.Equal(5, await _backend.CountAsync(default));
    }
}

internal static class EngineConformanceTestsIds
{
    public const string D4 = "004_7d9db1b0e6b1bccf";
}
