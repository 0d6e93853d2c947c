using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search.Elasticsearch.Tests.Support;
using TextSearch.Search.Ingestion;
using TextSearch.Search.Lucene;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>
/// The engine-conformance suite (inherited: the seeds relevance table, ranking, paging, writes, bulk, errors) on the
/// Elasticsearch engine against <see cref="FakeElasticsearch"/>, an in-memory stand-in that runs the query DSL on
/// Lucene.NET 4.8. The fake sits under the official client's HttpRequestInvoker, so every request goes through the
/// real client and transport (serialization, compression, product check, response parsing). Added here: every query
/// ranks the same documents in the same order with the same scores as the embedded engine on the same seeds, and what
/// only this engine does (the index secret, long ids, an index deleted behind its back). This is not a real cluster
/// (see <see cref="FakeElasticsearch"/>); the same suite runs on a live one when ELASTICSEARCH_URL is set.
/// </summary>
public sealed class EmulatedClusterTests : EngineConformanceTests
{
    private readonly string _lucenePath = TestSupport.TempDir();
    private readonly FakeElasticsearch _cluster = new();
    private ElasticsearchBackend _backend = null!;
    private LuceneBackend _lucene = null!;

    private SearchEngine Embedded { get; set; } = null!;

    public static TheoryData<string> Queries
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var row in SeedsRelevanceTable)
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

    protected override async Task<ISearchBackend> CreateBackendAsync()
    {
        _backend = Fakes.Backend(_cluster);
        _lucene = new LuceneBackend(new LuceneOptions { IndexPath = _lucenePath }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance);
        Embedded = TestSupport.Engine(_lucene);
        await new SeedIngestor(TestSupport.Engine(_lucene), NullLogger<SeedIngestor>.Instance).IngestAsync(TestSupport.SeedsPath, default);
        return _backend;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _cluster.Dispose();
        await _lucene.DisposeAsync();
        Directory.Delete(_lucenePath, recursive: true);
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
    public async Task Proximity_pairs_of_words_further_apart_score_the_same_as_on_the_embedded_engine()
    {
        // ProximityReach 3 pairs each word with the next three: more sloppy phrases, on both engines alike.
        var ranking = new RankingOptions { ProximityReach = 3 };
        var path = TestSupport.TempDir();
        await using var es = Fakes.Backend(_cluster, ranking: ranking);
        await using (var lucene = new LuceneBackend(new LuceneOptions { IndexPath = path, Ranking = ranking }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance))
        {
            var embedded = TestSupport.Engine(lucene);
            await new SeedIngestor(embedded, NullLogger<SeedIngestor>.Instance).IngestAsync(TestSupport.SeedsPath, default);
            foreach (var query in new[] { "مقاتلي التنظيم في الرقة", "قوات سوريا الديمقراطية داعش الموصل", "الرقة داعش -الموصل" })
            {
                var expected = (await embedded.SearchAsync(new SearchRequestModel(query, 100), default)).Hits;
                var actual = (await TestSupport.Engine(es).SearchAsync(new SearchRequestModel(query, 100), default)).Hits;
                Assert.NotEmpty(expected);
                Assert.Equal(expected.Select(h => h.Document.Id), actual.Select(h => h.Document.Id));
                Assert.All(expected.Zip(actual), p => Assert.True(
                    Math.Abs(p.First.Score - p.Second.Score) <= 1e-4 * Math.Max(1, p.First.Score), $"{query}: {p.First.Document.Id} {p.First.Score} vs {p.Second.Score}"));
            }
        }

        Directory.Delete(path, recursive: true);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Pages_across_a_small_rescoring_window_are_the_same_as_on_the_embedded_engine(int window)
    {
        // The same index on both sides (the embedded engine's is seeded alike), a window smaller than the hits: pages of
        // one go through the rescored window, then past it through the first phase.
        var ranking = new RankingOptions { RescoreWindow = window };
        var path = TestSupport.TempDir();
        await using var es = Fakes.Backend(_cluster, ranking: ranking);
        await using (var lucene = new LuceneBackend(new LuceneOptions { IndexPath = path, Ranking = ranking }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance))
        {
            var embedded = TestSupport.Engine(lucene);
            await new SeedIngestor(embedded, NullLogger<SeedIngestor>.Instance).IngestAsync(TestSupport.SeedsPath, default);
            foreach (var query in new[] { "سوريا", "الديمقراطية", "مقاتلي التنظيم في الرقة", "داعش -الموصل" })
            {
                var expected = await TestSupport.PagesOfOne(embedded, query);
                Assert.True(expected.Count > window, $"{query}: {expected.Count} hits do not cross a window of {window}");
                var actual = await TestSupport.PagesOfOne(TestSupport.Engine(es), query);
                Assert.Equal(expected.Select(h => h.Id), actual.Select(h => h.Id));
                Assert.All(expected.Zip(actual), p => Assert.True(Math.Abs(p.First.Score - p.Second.Score) <= 1e-4 * Math.Max(1, p.First.Score), $"{query}: {p.First} vs {p.Second}"));
            }
        }

        Directory.Delete(path, recursive: true);
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
        Assert.Equal(secret, await _backend.GetSecretAsync(default));
        Assert.Equal(secret, await sameCluster.GetSecretAsync(default));
        Assert.Equal(2, _cluster.Requests.Count(r => r.EndsWith("/_settings/index.uuid", StringComparison.Ordinal))); // read once by each server
    }

    [Fact]
    public async Task The_fake_cluster_outlives_a_client_that_used_it()
    {
        // The client disposes its HTTP handlers; the fake belongs to the test (disposed, its indexes would be gone).
        await using (var other = Fakes.Backend(_cluster))
        {
            Assert.Equal(5, await other.CountAsync(default));
        }

        Assert.Equal(5, await Backend.CountAsync(default));
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
    public async Task Ties_page_by_id()
    {
        await Backend.UpsertAsync([.. Enumerable.Range(0, 7).Select(i => new Document { Id = $"tie-{6 - i}", Title = "تعادل", Body = "نص" })], default);
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
    public async Task A_bulk_stream_is_searchable_at_its_commit_and_readable_before()
    {
        await using var bulk = Backend.BeginBulk();
        Assert.Empty(await bulk.AddAsync([new Document { Id = "b1", Title = "دفعة", Body = "كلمةمؤجلة" }], default));
        Assert.Empty(await Ids("كلمةمؤجلة"));
        Assert.Equal("دفعة", (await Engine.GetAsync("b1", default)).Title); // a get is real time in Elasticsearch
        await bulk.CommitAsync(default);
        Assert.Equal(["b1"], await Ids("كلمةمؤجلة"));
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
    public async Task Snippets_are_the_same_as_on_the_embedded_engine()
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
        Assert.Contains("index_not_found_exception", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _backend.CountAsync(default));
        await new SeedIngestor(TestSupport.Engine(_backend), NullLogger<SeedIngestor>.Instance).IngestAsync(TestSupport.SeedsPath, default);
        Assert.Equal(5, await _backend.CountAsync(default));
        Assert.Equal(BackendHealth.Serving, await _backend.CheckHealthAsync(default));
    }
}
