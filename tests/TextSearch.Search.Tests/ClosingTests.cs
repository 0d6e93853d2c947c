using Lucene.Net.Index;
using FSDirectory = Lucene.Net.Store.FSDirectory;
using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search.Lucene;

namespace TextSearch.Search.Tests;

/// <summary>
/// The embedded engine while it closes (a server shutting down with calls still under way): a write that arrives then
/// is refused with UNAVAILABLE, nothing waits forever for a write that was never queued, and a background merge gets a
/// bounded wait before it is aborted.
/// </summary>
public sealed class ClosingTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _path = TestSupport.TempDir();

    public void Dispose()
    {
        if (Directory.Exists(_path))
        {
            Directory.Delete(_path, recursive: true);
        }
    }

    private LuceneBackend Open(int bulks = 4) => new(
        new LuceneOptions { IndexPath = _path, MaxConcurrentBulks = bulks },
        TextAnalyzer.Default,
        NullLogger<LuceneBackend>.Instance);

    private static Document Doc(string id) => new() { Id = id, Title = "إغلاق الفهرس", Body = "وثيقة تصل والفهرس يغلق" };

    [Fact]
    public async Task A_bulk_stream_that_ends_after_the_index_began_closing_is_refused_and_its_staging_is_removed()
    {
        var backend = Open();
        var bulk = backend.BeginBulk();
        await bulk.AddAsync([Doc("staged")], default);
        await backend.DisposeAsync();

        // Its import is refused; the wait for the import must end with the refusal (it waited forever).
        var refused = await Assert.ThrowsAsync<TextSearchException>(() => bulk.CommitAsync(default).WaitAsync(Patience));
        Assert.Equal(ErrorKind.Unavailable, refused.Kind);
        await bulk.DisposeAsync().AsTask().WaitAsync(Patience);
        var staging = Path.Combine(_path, LuceneBackend.StagingFolder);
        Assert.True(!Directory.Exists(staging) || Directory.GetDirectories(staging).Length == 0, "the stream's staging index was left behind");
    }

    [Fact]
    public async Task A_bulk_stream_waiting_for_a_slot_when_the_index_closes_gets_unavailable()
    {
        var backend = Open(bulks: 1);
        var first = backend.BeginBulk();
        await first.AddAsync([Doc("first")], default);
        var second = backend.BeginBulk();
        var waiting = second.AddAsync([Doc("second")], default);
        Assert.False(waiting.IsCompleted); // the only slot is the first stream's

        await backend.DisposeAsync();
        await first.DisposeAsync(); // gives its slot back to a closed index
        var refused = await Assert.ThrowsAsync<TextSearchException>(() => waiting.WaitAsync(Patience));
        Assert.Equal(ErrorKind.Unavailable, refused.Kind);
        await second.DisposeAsync().AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task Closing_waits_a_bounded_time_for_a_background_merge_then_aborts_it_and_keeps_every_write()
    {
        var options = new LuceneOptions { IndexPath = _path, MergeWaitOnClose = TimeSpan.FromMilliseconds(200) };
        var backend = new LuceneBackend(options, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance);
        for (var i = 0; i < 6; i++)
        {
            await backend.UpsertAsync([Doc($"single-{i}")], default); // a segment each
        }

        // The merge that a bulk growing the index by a quarter starts is held until closing aborts it (or 30 s).
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = false;
        using var directory = FSDirectory.Open(_path);
        backend.MergeStarting = merge =>
        {
            started.TrySetResult();
            for (var until = DateTime.UtcNow + Patience; !aborted && DateTime.UtcNow < until; Thread.Sleep(10))
            {
                try
                {
                    merge.CheckAborted(directory);
                }
                catch (MergePolicy.MergeAbortedException)
                {
                    aborted = true;
                }
            }
        };
        await TestSupport.Engine(backend).BulkUpsertAsync(
            Enumerable.Range(0, 20).Select(i => BulkEntry.Of(Doc($"bulk-{i}"))).ToAsyncEnumerable(), default);
        await started.Task.WaitAsync(Patience);
        Assert.True(backend.SearchedSegments > 1);

        await backend.DisposeAsync().AsTask().WaitAsync(Patience);
        Assert.True(aborted, "closing waited for the merge to finish instead of aborting it");

        // Every acknowledged write is there; the segments are as they were before the merge.
        await using var reopened = new LuceneBackend(options, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance);
        Assert.Equal(26, await reopened.CountAsync(default));
        Assert.True(reopened.SearchedSegments > 1);
    }

    [Fact]
    public async Task Single_writes_after_the_index_began_closing_are_refused_with_unavailable()
    {
        var backend = Open();
        await backend.UpsertAsync([Doc("before")], default);
        await backend.DisposeAsync();

        var upsert = await Assert.ThrowsAsync<TextSearchException>(() => backend.UpsertAsync([Doc("after")], default).WaitAsync(Patience));
        Assert.Equal(ErrorKind.Unavailable, upsert.Kind);
        var delete = await Assert.ThrowsAsync<TextSearchException>(() => backend.DeleteAsync("before", default).WaitAsync(Patience));
        Assert.Equal(ErrorKind.Unavailable, delete.Kind);
    }
}
