using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TextSearch.Analysis;
using TextSearch.Search.Lucene;

namespace TextSearch.Search.Tests;

/// <summary>
/// A bulk stream that grows the index by a quarter or more leaves it in one segment (merged in the background, then
/// searched), because a query costs per segment; a small bulk into a large index does not rewrite it.
/// </summary>
public sealed class CompactionTests : IDisposable
{
    private readonly string _path = TestSupport.TempDir();

    public void Dispose() => Directory.Delete(_path, recursive: true);

    private LuceneBackend Open(double compactMB) => new(
        new LuceneOptions { IndexPath = _path, BulkRamBufferMB = 1, CompactAfterBulkMaxMB = compactMB },
        TextAnalyzer.Default,
        NullLogger<LuceneBackend>.Instance);

    /// <summary>The pause before an idle compaction, on the tests' fake clocks.</summary>
    private static readonly TimeSpan IdleDelay = TimeSpan.FromSeconds(5);

    /// <summary>A backend that compacts once writes pause (above <paramref name="aboveSegments"/> segments), timed by <paramref name="time"/>.</summary>
    private LuceneBackend OpenOnClock(FakeTimeProvider time, int aboveSegments) => new(
        new LuceneOptions { IndexPath = _path, BulkRamBufferMB = 1, CompactWhenIdleAboveSegments = aboveSegments, CompactIdleDelay = IdleDelay },
        TextAnalyzer.Default,
        NullLogger<LuceneBackend>.Instance,
        openDirectory: null,
        time);

    private static IAsyncEnumerable<BulkEntry> Docs(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => BulkEntry.Of(new Document
        {
            Id = $"{prefix}-{i}",
            Title = "مقال رقم " + i,
            Body = string.Join(' ', Enumerable.Range(0, 150).Select(j => $"كلمة{(i * 7 + j) % 997} نص{j}")),
        })).ToAsyncEnumerable();

    [Theory]
    [InlineData(2048, true)]
    [InlineData(0, false)]
    public async Task A_bulk_that_grows_the_index_by_a_quarter_leaves_it_in_one_searched_segment(double compactMB, bool compacted)
    {
        await using var backend = Open(compactMB);
        var engine = TestSupport.Engine(backend);
        await engine.BulkUpsertAsync(Docs("a", 2000), default);
        await (compacted ? OneSegment(backend) : Settled(backend));

        // 1,000 more: half as many again. Lucene's own merging leaves several segments; compaction merges them.
        await engine.BulkUpsertAsync(Docs("b", 1000), default);
        await (compacted ? OneSegment(backend) : Settled(backend));
        Assert.Equal(compacted, backend.SearchedSegments == 1);
        Assert.Equal(3000, await backend.CountAsync(default));
        Assert.Equal(3000, (await engine.SearchAsync(new SearchRequestModel("مقال", 10), default)).TotalHits);
    }

    /// <summary>Waits (up to a minute) until the searcher reads one segment.</summary>
    private static async Task OneSegment(LuceneBackend backend)
    {
        for (var i = 0; i < 1200 && backend.SearchedSegments > 1; i++)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the searched segments have stayed the same for a while (background merges are done).</summary>
    private static async Task Settled(LuceneBackend backend)
    {
        var last = backend.SearchedSegments;
        for (var stable = 0; stable < 10;)
        {
            await Task.Delay(50);
            var now = backend.SearchedSegments;
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
    }

    [Fact]
    public async Task A_small_bulk_into_a_larger_index_is_not_merged_into_one()
    {
        await using var backend = Open(compactMB: 2048);
        var engine = TestSupport.Engine(backend);
        await engine.BulkUpsertAsync(Docs("a", 3000), default);
        await OneSegment(backend);
        Assert.Equal(1, backend.SearchedSegments);

        // 100 documents are far less than a quarter of 3,000: their segments (the 1 MB staging buffer may flush them
        // as more than one) join, and stay apart.
        await engine.BulkUpsertAsync(Docs("b", 100), default);
        await Settled(backend);
        Assert.InRange(backend.SearchedSegments, 2, 4);
        Assert.Equal(3100, await backend.CountAsync(default));
    }

    [Theory]
    [InlineData(3, 400, true)] // six bulks of 40 add more than a quarter of 640
    [InlineData(0, 400, false)] // switched off
    [InlineData(3, 2000, false)] // 240 documents are less than a quarter of 2,240: left to Lucene's own merging
    public async Task Small_bulks_that_grow_the_index_by_a_quarter_are_merged_into_one_committed_segment_once_writes_pause(
        int aboveSegments, int first, bool compacted)
    {
        // The pause is the test's to decide: a fake clock stands still while the bulks are written, however slow the
        // machine, and moves only when the test advances it.
        var time = new FakeTimeProvider();
        await using var backend = OpenOnClock(time, aboveSegments);
        var engine = TestSupport.Engine(backend);
        await engine.BulkUpsertAsync(Docs("a", first), default);
        await OneSegment(backend);

        // Six bulks, each less than a quarter of the index (as the CLI's batches of 500 are of a large load): each
        // joins as a segment of its own, and the bulk compaction leaves them.
        for (var i = 0; i < 6; i++)
        {
            await engine.BulkUpsertAsync(Docs($"b{i}", 40), default);
        }

        // Short of the pause, nothing is merged.
        await Settled(backend);
        var joined = backend.SearchedSegments;
        Assert.True(joined >= 5, $"{joined} segments");
        time.Advance(IdleDelay - TimeSpan.FromMilliseconds(1));
        await Settled(backend);
        Assert.Equal(joined, backend.SearchedSegments);

        time.Advance(TimeSpan.FromMilliseconds(1));
        if (compacted)
        {
            await OneSegment(backend);
            Assert.Equal(1, backend.SearchedSegments);

            // The merge is committed: the merged segments' files are gone from the folder while the index is open.
            for (var i = 0; i < 600 && Directory.GetFiles(_path, "*.si").Length > 1; i++)
            {
                await Task.Delay(50);
            }

            Assert.Single(Directory.GetFiles(_path, "*.si"));
        }
        else
        {
            await Task.Delay(1000);
            await Settled(backend);
            Assert.Equal(joined, backend.SearchedSegments);
        }

        Assert.Equal(first + 240, await backend.CountAsync(default));
        Assert.Equal(first + 240, (await engine.SearchAsync(new SearchRequestModel("مقال", 10), default)).TotalHits);
    }

    [Fact]
    public async Task A_write_during_the_pause_puts_the_compaction_off_until_writes_pause_again()
    {
        var time = new FakeTimeProvider();
        await using var backend = OpenOnClock(time, aboveSegments: 3);
        var engine = TestSupport.Engine(backend);
        await engine.BulkUpsertAsync(Docs("a", 400), default);
        await OneSegment(backend);
        for (var i = 0; i < 6; i++)
        {
            await engine.BulkUpsertAsync(Docs($"b{i}", 40), default);
        }

        // Four of the five seconds pass, then one more write: the pause starts again from it.
        time.Advance(TimeSpan.FromSeconds(4));
        await engine.UpsertAsync(new Document { Id = "late", Title = "مقال متأخر", Body = "نص" }, default);
        time.Advance(TimeSpan.FromSeconds(4));
        await Settled(backend);
        Assert.True(backend.SearchedSegments > 1, $"{backend.SearchedSegments} segments");

        time.Advance(TimeSpan.FromSeconds(1));
        await OneSegment(backend);
        Assert.Equal(1, backend.SearchedSegments);
        Assert.Equal(641, await backend.CountAsync(default));
    }
}
