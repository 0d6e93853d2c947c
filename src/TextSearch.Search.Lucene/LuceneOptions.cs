namespace TextSearch.Search.Lucene;

/// <summary>Settings of the embedded engine (config section TextSearch).</summary>
public sealed class LuceneOptions
{
    /// <summary>Where the index lives on disk.</summary>
    public string IndexPath { get; set; } = "data/index";

    /// <summary>Ranking settings shared with the other engines.</summary>
    public RankingOptions Ranking { get; set; } = new();

    /// <summary>Indexing buffer before a segment is flushed.</summary>
    public double RamBufferMB { get; set; } = 64;

    /// <summary>Most documents applied in one commit (writes queued together share one commit).</summary>
    public int MaxBatchDocuments { get; set; } = 5000;

    /// <summary>Bulk streams that stage documents at once; more wait for a slot (each holds up to <see cref="BulkRamBufferMB"/>).</summary>
    public int MaxConcurrentBulks { get; set; } = 4;

    /// <summary>The indexing buffer of one bulk stream, shared equally by the staging indexes of its threads.</summary>
    public double BulkRamBufferMB { get; set; } = 32;

    /// <summary>
    /// Threads that index one bulk stream at once, each into a staging index of its own (each document's writes stay in
    /// stream order: a document id is always indexed by the same thread). By default one per processor, up to four; 1
    /// indexes a stream on one thread. A stream whose first batch has fewer than 64 documents per thread uses fewer.
    /// </summary>
    public int BulkIndexThreads { get; set; } = Math.Min(Environment.ProcessorCount, 4);

    /// <summary>
    /// After a bulk stream that grew the index by at least a quarter (a first load, a large import), the index is
    /// merged into one segment in the background when it is at most this many megabytes: a query costs per segment,
    /// and a 31,000-article index answers a third more queries in one segment than in the ten a load leaves. 0: never.
    /// </summary>
    public double CompactAfterBulkMaxMB { get; set; } = 2048;

    /// <summary>
    /// When the writes since the index was last merged into one segment have grown it by a quarter or more and left it
    /// in more than this many segments, and no write follows for <see cref="CompactIdleDelay"/>, the index is merged
    /// into one segment in the background (when it is at most <see cref="CompactAfterBulkMaxMB"/>; 0 there turns this
    /// off too). Loading through many small bulks (the CLI sends 500 documents per call) leaves a dozen segments
    /// otherwise, and the 31,000 articles then answer half as many queries per second. The quarter keeps the rewriting
    /// in proportion to what was written: a trickle of single writes is left to Lucene's own merges. 0: never.
    /// </summary>
    public int CompactWhenIdleAboveSegments { get; set; } = 4;

    /// <summary>How long the index must go without writes before <see cref="CompactWhenIdleAboveSegments"/> merges it (up to a day).</summary>
    public TimeSpan CompactIdleDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long closing the index (a server shutting down) waits for a background merge under way to finish before it
    /// aborts it. Nothing acknowledged depends on a merge: writes are committed when acknowledged, and the segments stay
    /// as they were, to be merged by later writes (Lucene's merges, or a compaction above). Without a bound, a merge of a
    /// large index could hold a shutdown for minutes.
    /// </summary>
    public TimeSpan MergeWaitOnClose { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What is wrong with these settings, each naming its setting; none when they can be used.</summary>
    public IReadOnlyList<string> Problems() =>
        [
            .. OutOfRange(nameof(CompactIdleDelay), CompactIdleDelay),
            .. OutOfRange(nameof(MergeWaitOnClose), MergeWaitOnClose),
            .. OutOfRange(nameof(BulkIndexThreads), BulkIndexThreads, 1, MaxBulkIndexThreads),
        ];

    /// <summary>The most <see cref="BulkIndexThreads"/> a stream may use (Lucene gives each its own in-memory segment).</summary>
    public const int MaxBulkIndexThreads = 64;

    private static IEnumerable<string> OutOfRange(string name, TimeSpan value) =>
        value < TimeSpan.Zero || value > TimeSpan.FromDays(1) ? [$"{name} must be between 00:00:00 and 1.00:00:00; it is {value}."] : [];

    private static IEnumerable<string> OutOfRange(string name, int value, int min, int max) =>
        value < min || value > max ? [$"{name} must be between {min} and {max}; it is {value}."] : [];

    /// <summary>Verify the checksum of every index file when the index is opened (a damaged index then refuses to open).</summary>
    public bool VerifyOnOpen { get; set; } = true;
}
