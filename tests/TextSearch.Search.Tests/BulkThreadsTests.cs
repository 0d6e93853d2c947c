using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search.Lucene;

namespace TextSearch.Search.Tests;

/// <summary>
/// A bulk stream's batches are indexed on several threads (<see cref="LuceneOptions.BulkIndexThreads"/>), each taking
/// the documents of its own ids: every id's writes stay in stream order, within a batch and across batches.
/// </summary>
public sealed class BulkThreadsTests : IDisposable
{
    /// <summary>Odd, so that an id's versions are an odd number of entries apart (a split by position would part them).</summary>
    private const int Ids = 301;
    private const int Versions = 8;

    private readonly string _path = TestSupport.TempDir();

    public void Dispose()
    {
        if (Directory.Exists(_path))
        {
            Directory.Delete(_path, recursive: true);
        }
    }

    private LuceneBackend Open(int threads) => new(
        new LuceneOptions { IndexPath = _path, BulkIndexThreads = threads },
        TextAnalyzer.Default,
        NullLogger<LuceneBackend>.Instance);

    /// <summary>
    /// Every id written <see cref="Versions"/> times (with <paramref name="bodyWords"/> more words in each body), the
    /// versions interleaved: entry k is id k mod 301 in version k / 301, so the first batch of 2,000 holds six or seven
    /// versions of every id and the last versions come in the second batch.
    /// </summary>
    private static IAsyncEnumerable<BulkEntry> Interleaved(int bodyWords = 0) =>
        Enumerable.Range(0, Ids * Versions).Select(k => BulkEntry.Of(new Document
        {
            Id = $"doc-{k % Ids}",
            Title = $"نسخة {k / Ids}",
            Body = $"مقالة عن السوق والنسخة{Words[k / Ids]} في عددها {k % Ids}" + string.Concat(Enumerable.Range(0, bodyWords).Select(w => $" كلمة{(k * 31 + w) % 5000}")),
        })).ToAsyncEnumerable();

    /// <summary>A word per version (digits would be read apart from the letters).</summary>
    private static readonly string[] Words = ["الاولى", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة", "الثامنة"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task The_last_write_of_each_id_wins_whatever_the_threads(int threads)
    {
        Assert.True(Ids * Versions > Limits.BulkBatchDocuments, "the versions must span two batches");
        await using var backend = Open(threads);
        var engine = TestSupport.Engine(backend);

        var result = await engine.BulkUpsertAsync(Interleaved(), default);

        Assert.Equal(Ids * Versions, result.Upserted);
        Assert.Empty(result.Failures);
        Assert.Equal(Ids, await backend.CountAsync(default));
        for (var id = 0; id < Ids; id += 37)
        {
            Assert.Equal($"نسخة {Versions - 1}", (await engine.GetAsync($"doc-{id}", default)).Title);
        }

        Assert.Equal(Ids, (await engine.SearchAsync(new SearchRequestModel("والنسخة" + Words[^1], 10), default)).TotalHits);
        Assert.Equal(0, (await engine.SearchAsync(new SearchRequestModel("والنسخة" + Words[^2], 10), default)).TotalHits);
    }

    /// <summary>
    /// A volume that fills while a bulk is indexed: with a 1 MB buffer on four threads, segments are flushed (and the
    /// volume filled) while the shares are indexing; with a buffer larger than the stream on two threads, nothing
    /// reaches the disk until each thread commits its staging index at the end. Either way the bulk fails whole.
    /// </summary>
    [Theory]
    [InlineData(4, 1, 2_000_000, 300)]
    [InlineData(2, 256, 200_000, 100)]
    public async Task A_volume_that_fills_while_the_threads_index_or_commit_fails_the_bulk_and_leaves_nothing_behind(
        int threads, double bufferMB, long room, int bodyWords)
    {
        var volume = new Volume(long.MaxValue);
        await using var backend = new LuceneBackend(
            new LuceneOptions { IndexPath = _path, BulkIndexThreads = threads, BulkRamBufferMB = bufferMB },
            TextAnalyzer.Default,
            NullLogger<LuceneBackend>.Instance,
            volume.Open);
        var engine = TestSupport.Engine(backend);
        volume.Set(room);

        var error = await Assert.ThrowsAsync<TextSearchException>(() => engine.BulkUpsertAsync(Interleaved(bodyWords), default));

        Assert.Equal(ErrorKind.ResourceExhausted, error.Kind);
        Assert.Equal(0, await backend.CountAsync(default));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_path, LuceneBackend.StagingFolder)));

        // With space again, the same stream is stored whole.
        volume.Set(long.MaxValue);
        Assert.Equal(Ids * Versions, (await engine.BulkUpsertAsync(Interleaved(bodyWords), default)).Upserted);
        Assert.Equal(Ids, await backend.CountAsync(default));
        Assert.Equal($"نسخة {Versions - 1}", (await engine.GetAsync("doc-7", default)).Title);
    }

    [Fact]
    public async Task A_thread_that_gets_no_document_commits_an_empty_staging_index_and_the_bulk_still_joins()
    {
        // 200 writes of one id: two threads are started (the first batch has 64 documents per thread and more), and
        // every write goes to the thread of that id; the other indexes nothing.
        await using var backend = Open(threads: 2);
        var engine = TestSupport.Engine(backend);
        var writes = Enumerable.Range(0, 200).Select(v => BulkEntry.Of(new Document { Id = "only", Title = $"نسخة {v}", Body = "مقالة عن السوق" }));

        var result = await engine.BulkUpsertAsync(writes.ToAsyncEnumerable(), default);

        Assert.Equal(200, result.Upserted);
        Assert.Equal(1, await backend.CountAsync(default));
        Assert.Equal("نسخة 199", (await engine.GetAsync("only", default)).Title);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_path, LuceneBackend.StagingFolder)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(LuceneOptions.MaxBulkIndexThreads + 1)]
    public void A_thread_count_out_of_range_is_refused_naming_the_setting(int threads)
    {
        var ex = Assert.Throws<ArgumentException>(() => Open(threads));
        Assert.StartsWith($"BulkIndexThreads must be between 1 and {LuceneOptions.MaxBulkIndexThreads}; it is {threads}.", ex.Message, StringComparison.Ordinal);
    }
}
