using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search.Ingestion;
using TextSearch.Search.Lucene;

namespace TextSearch.Search.Tests;

/// <summary>
/// Two-phase ranking on the embedded engine: the first phase's top window is ordered by the full ranking, the hits
/// past it keep the first phase's order, and pages cross the window's edge without losing or repeating a hit.
/// A window of 1 is the first phase's order itself; a window of 0 ranks everything by the full ranking.
/// </summary>
public sealed class RescoreWindowTests : IAsyncLifetime
{
    private readonly string _root = TestSupport.TempDir();
    private readonly Dictionary<int, (LuceneBackend Backend, SearchEngine Engine)> _engines = [];

    public async Task InitializeAsync()
    {
        foreach (var window in new[] { 0, 1, 2, 3 })
        {
            var backend = new LuceneBackend(
                new LuceneOptions { IndexPath = Path.Combine(_root, window.ToString(System.Globalization.CultureInfo.InvariantCulture)), Ranking = new RankingOptions { RescoreWindow = window } },
                TextAnalyzer.Default,
                NullLogger<LuceneBackend>.Instance);
            var engine = TestSupport.Engine(backend);
            await new SeedIngestor(engine, NullLogger<SeedIngestor>.Instance).IngestAsync(TestSupport.SeedsPath, default);
            _engines[window] = (backend, engine);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (backend, _) in _engines.Values)
        {
            await backend.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    public static TheoryData<string> Queries => new() { "سوريا", "الديمقراطية", "مقاتلي التنظيم في الرقة", "داعش -الرقة", "قوات سوريا الديمقراطية", "\"دير الزور\" داعش" };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task The_window_is_ordered_by_the_full_ranking_and_the_rest_by_the_first_phase(string query)
    {
        var full = await Hits(0, query);
        var first = await Hits(1, query);
        Assert.Equal(full.Select(h => h.Id).Order(StringComparer.Ordinal), first.Select(h => h.Id).Order(StringComparer.Ordinal));
        foreach (var window in new[] { 2, 3 })
        {
            var twoPhases = await Hits(window, query);
            var expected = first.Take(window)
                .Select(h => full.Single(f => f.Id == h.Id))
                .OrderByDescending(h => h.Score).ThenBy(h => h.Id, StringComparer.Ordinal)
                .Concat(first.Skip(window));
            Assert.Equal(expected, twoPhases);
        }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Pages_of_one_cross_the_window_without_losing_or_repeating_a_hit(string query)
    {
        foreach (var window in new[] { 0, 1, 2, 3 })
        {
            var all = await Hits(window, query);
            Assert.Equal(all, await TestSupport.PagesOfOne(_engines[window].Engine, query, limit: all.Count + 1));
        }
    }

    [Fact]
    public async Task Documents_tied_across_the_window_edge_page_in_id_order_without_loss()
    {
        // Identical documents score the same: which of them the window holds depends on their ids alone.
        var path = Path.Combine(_root, "ties");
        await using var backend = new LuceneBackend(
            new LuceneOptions { IndexPath = path, Ranking = new RankingOptions { RescoreWindow = 2 } }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance);
        var engine = TestSupport.Engine(backend);
        string[] ids = ["t5", "t1", "t4", "t0", "t3", "t2"];
        foreach (var id in ids)
        {
            await backend.UpsertAsync([new Document { Id = id, Title = "خبر", Body = "توافق الأطراف على الهدنة" }], default);
        }

        await backend.UpsertAsync([new Document { Id = "other", Title = "خبر", Body = "الهدنة" }], default);
        var paged = await TestSupport.PagesOfOne(engine, "توافق الهدنة");
        Assert.Equal(["t0", "t1", "t2", "t3", "t4", "t5", "other"], paged.Select(h => h.Id));
    }

    [Fact]
    public async Task Ties_far_more_than_the_window_are_ordered_by_id_across_the_window_and_past_it()
    {
        // 150 identical documents tie in both phases: far more than a window of 2 can settle by itself (the collector
        // gives way to the exact sort). They come in id order, every one once, in pages that cross the window.
        var (backend, engine) = _engines[2];
        var ids = Enumerable.Range(0, 150).Select(i => $"tie-{(i * 37) % 150:D3}").ToList();
        await backend.UpsertAsync([.. ids.Select(id => new Document { Id = id, Title = "متطابق", Body = "نص متطابق تماما" })], default);

        var expected = ids.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Take(100), (await Hits(2, "متطابق")).Select(h => h.Id));
        Assert.Equal(expected, (await TestSupport.PagesOfOne(engine, "متطابق", limit: 200)).Select(h => h.Id));
    }

    private async Task<List<(string Id, float Score)>> Hits(int window, string query) =>
        [.. (await _engines[window].Engine.SearchAsync(new SearchRequestModel(query, 100), default)).Hits.Select(h => (h.Document.Id, h.Score))];
}
