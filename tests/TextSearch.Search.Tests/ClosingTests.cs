using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search.Lucene;

namespace TextSearch.Search.Tests;

/// <summary>
/// The embedded engine while it closes (a server shutting down with calls still under way): a write that arrives then
/// is refused with UNAVAILABLE, and nothing waits forever for a write that was never queued.
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
