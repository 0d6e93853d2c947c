using System.Threading.Channels;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging;
using TextSearch.Analysis;
using TextSearch.Search.Paging;
using LuceneQuery = Lucene.Net.Search.Query;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace TextSearch.Search.Lucene;

/// <summary>
/// The embedded engine. Writes go through one writer loop that applies every queued write, commits once (fsync) and
/// refreshes the searcher before acknowledging, so an acknowledged write is durable and searchable; concurrent
/// writers share commits. When a write fails (a full volume, say), Lucene may have dropped everything it buffered, so
/// the writer goes back to the last commit and no write of that pass is acknowledged; the others are applied again
/// once when a single write was at fault. Bulk streams index into a staging folder of their own and join the index
/// in one commit at their end, so a stream that fails leaves nothing behind. Reads use near-real-time searchers and
/// never block writes.
/// </summary>
public sealed partial class LuceneBackend : ISearchBackend
{
    /// <summary>The commit user-data key of the index's secret.</summary>
    private const string SecretKey = "textsearch.secret";

    /// <summary>The commit user data entry naming the index layout (<see cref="IndexLayouts"/>).</summary>
    private const string LayoutKey = "textsearch.layout";

    internal static readonly string Layout = IndexLayouts.Current.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The commit user data entry naming the ranking settings the index's fields were written for (<see cref="LuceneSchema.FieldSettings"/>).</summary>
    private const string FieldSettingsKey = "textsearch.field-settings";

    /// <summary>The folder (inside the index folder, which Lucene ignores) where bulk streams stage their documents.</summary>
    internal const string StagingFolder = "staging";

    /// <summary>The codec new segments are written with (an index's older segments keep theirs until merged).</summary>
    private static readonly TextSearchCodec Codec = new();

    private static readonly Sort ScoreThenId = new(SortField.FIELD_SCORE, new SortField(LuceneFields.IdSort, SortFieldType.STRING));

    // By date (the undated last, either way), then score, then id.
    private static readonly Sort NewestFirst = ByDate(reverse: true, missing: long.MinValue);

    private static readonly Sort OldestFirst = ByDate(reverse: false, missing: long.MaxValue);

    private static Sort ByDate(bool reverse, long missing)
    {
        var date = new SortField(LuceneFields.PublishedMillis, SortFieldType.INT64, reverse);
        date.SetMissingValue(J2N.Numerics.Int64.GetInstance(missing));
        return new Sort(date, SortField.FIELD_SCORE, new SortField(LuceneFields.IdSort, SortFieldType.STRING));
    }

    private readonly LuceneOptions _options;
    private readonly ILogger _logger;
    private readonly Func<DirectoryInfo, LuceneDirectory> _openDirectory;
    private readonly LuceneDirectory _directory;
    private readonly LuceneQueryBuilder _queries;
    private readonly Channel<WriteOp> _queue = Channel.CreateUnbounded<WriteOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writerLoop;
    private readonly byte[] _secret;
    private volatile Core _core;
    private volatile string? _damage;
    private volatile bool _disposed;
    private int _refreshQueued;

    /// <summary>Held by a pass of writes (<see cref="Execute"/>) and by the refresh after a merge, never both at once.</summary>
    private readonly Lock _passLock = new();

    // Compaction once writes pause (LuceneOptions.CompactWhenIdleAboveSegments): the timer is pushed back by each pass.
    private readonly TimeProvider _time;
    private readonly ITimer _idleCompaction;
    private long _lastPassTimestamp;

    // Documents written since the index was last merged into one segment (read and written under _passLock).
    private long _addedSinceCompaction;

    /// <summary>Tests only: called in a pass of writes once its operations are applied (buffered), before its commit.</summary>
    internal Action<IndexWriter>? PassBuffered { get; set; }

    /// <summary>Tests only: called on a merge thread as a background merge starts.</summary>
    internal Action<MergePolicy.OneMerge>? MergeStarting { get; set; }

    public LuceneBackend(LuceneOptions options, TextAnalyzer analyzer, ILogger<LuceneBackend> logger)
        : this(options, analyzer, logger, openDirectory: null)
    {
    }

    /// <summary>
    /// With <paramref name="openDirectory"/>, tests put a Lucene directory of their own under the index (one that runs out
    /// of space, say); with <paramref name="time"/>, they decide when writes have paused.
    /// </summary>
    internal LuceneBackend(
        LuceneOptions options, TextAnalyzer analyzer, ILogger logger, Func<DirectoryInfo, LuceneDirectory>? openDirectory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(analyzer);
        TextSearchCodec.Register(); // before any segment that names it is read
        _options = options;
        if (options.Problems() is [var problem, ..])
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _time = time ?? TimeProvider.System;
        _idleCompaction = _time.CreateTimer(static state => ((LuceneBackend)state!).CompactIfIdle(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _logger = logger;
        _openDirectory = openDirectory ?? (dir => new MappedDirectory(global::Lucene.Net.Store.FSDirectory.Open(dir)));
        Path = System.IO.Path.GetFullPath(options.IndexPath);
        Schema = new LuceneSchema(options.Ranking, analyzer);
        BulkSlots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentBulks));
        System.IO.Directory.CreateDirectory(Path);
        _directory = _openDirectory(new DirectoryInfo(Path));
        IndexWriter? writer = null;
        try
        {
            IndexFiles.CheckCommitPoint(_directory, Path);
            if (options.VerifyOnOpen)
            {
                IndexFiles.Verify(_directory);
            }

            writer = new IndexWriter(_directory, NewConfig(OpenMode.CREATE_OR_APPEND, options.RamBufferMB));

            // An index that has never been committed gets a first commit, so readers can always open it; the
            // index's secret (page tokens) lives in the commit's user data, created once.
            CheckLayout(writer, Path, Schema.FieldSettings);
            _secret = ReadOrCreateSecret(writer);
            _core = new Core(writer, NewSearchers(writer));
        }
        catch (Exception ex)
        {
            Abandon(writer);
            _directory.Dispose();
            throw ex as IndexUnusableException ?? IndexFailures.Unusable(Path, ex);
        }

        // Only now, holding the index's write lock, may leftovers of bulk streams cut off by a crash be removed.
        IndexFiles.DeleteStaging(System.IO.Path.Combine(Path, StagingFolder));
        _queries = new LuceneQueryBuilder(options.Ranking);
        _writerLoop = Task.Factory.StartNew(WriterLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        LogOpened(_logger, Path, writer.NumDocs);
    }

    public string Name => "lucene";

    /// <summary>The index folder (absolute).</summary>
    internal string Path { get; }

    internal LuceneSchema Schema { get; }

    internal ILogger Logger => _logger;

    /// <summary>
    /// Bulk streams staging at once; a stream waits for a slot before its first document. Never disposed (it holds no
    /// wait handle): streams still under way when the index closes release their slots, and one waiting for a slot
    /// then gets UNAVAILABLE from the closed index instead of an ObjectDisposedException.
    /// </summary>
    internal SemaphoreSlim BulkSlots { get; }

    /// <summary>Threads that index one bulk stream's batch (<see cref="LuceneOptions.BulkIndexThreads"/>).</summary>
    internal int BulkIndexThreads => _options.BulkIndexThreads;

    /// <summary>The indexing buffer of one bulk stream, shared by its threads' staging indexes.</summary>
    internal double BulkRamBufferMB => _options.BulkRamBufferMB;

    public async Task<IReadOnlyList<DocumentFailure>> UpsertAsync(IReadOnlyList<Search.Document> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count > 0)
        {
            // Lucene applies a batch whole or not at all: no per-document failures.
            await EnqueueAsync(WriteOp.Upsert(documents), cancellationToken).ConfigureAwait(false);
        }

        return [];
    }

    public IBulkWriter BeginBulk()
    {
        ThrowIfDisposed();
        return new LuceneBulkWriter(this);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await EnqueueAsync(WriteOp.Delete(id), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public Task<Search.Document?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(Read(cancellationToken, searcher =>
        {
            var top = searcher.Search(new TermQuery(new Term(LuceneFields.Id, id)), 1);
            return top.TotalHits == 0 ? null : LuceneSchema.ToDocument(searcher.Doc(top.ScoreDocs[0].Doc));
        }));

    public Task<BackendPage> SearchAsync(BackendSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var window = _options.Ranking.RescoreWindow;
        return Task.FromResult(Read(cancellationToken, searcher =>
        {
            var facets = search.Facets.Count > 0 ? new FacetCounter(search.Facets) : null;
            var filter = Filter(search);
            var terms = new TermLookup(searcher.TopReaderContext, PostingsReuse.Begin(searcher.IndexReader.Leaves));
            var page = search.RanksInOnePhase(window)
                ? OnePhase(searcher, Filtered(_queries.Build(search.Query, exclusions: true, terms), filter), search, facets, cancellationToken)
                : TwoPhases(searcher, Filtered(_queries.FirstPhase(search.Query, terms), filter), search, window, terms, facets, cancellationToken);

            return facets is null ? page : page with { Facets = facets.Results() };
        }));
    }

    /// <summary>
    /// The first phase ranks every match; the top <paramref name="window"/> of it are scored again with the full ranking
    /// and ordered by it; the hits past the window follow in the first phase's order. A cursor inside the window pages
    /// through the rescored window (ranked again, as it is cheap), then past it; a cursor past the window pages on
    /// through the first phase.
    /// </summary>
    private BackendPage TwoPhases(
        IndexSearcher searcher, LuceneQuery first, BackendSearch search, int window, TermLookup terms, FacetCounter? facets, CancellationToken cancellationToken)
    {
        var (size, after) = (search.Size, search.After);
        if (after is { Rescored: false })
        {
            return OnePhase(searcher, first, search, facets, cancellationToken);
        }

        // The window: the first phase's top, by score then id (as the pages past it).
        var ids = new DocIds(searcher.IndexReader);
        var (windowDocs, totalHits) = CollectWindow(searcher, first, window, ids, terms, facets, cancellationToken);
        var rescored = Rescore(searcher, search.Query, windowDocs, terms, ids, cancellationToken);
        var hits = new List<BackendHit>(Math.Min(size, rescored.Count));
        var start = after is { } cursor ? rescored.FindIndex(r => After(r.Score, r.Doc, ids, cursor)) : 0;
        for (var i = start < 0 ? rescored.Count : start; i < rescored.Count && hits.Count < size; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var doc = LuceneSchema.ToDocument(searcher.Doc(rescored[i].Doc));
            hits.Add(new BackendHit(doc.Id, rescored[i].Score, doc, Rescored: true));
        }

        if (hits.Count < size && windowDocs.Length == window && totalHits > window)
        {
            // Past the window: the first phase's order, after the window's last hit in it.
            var last = windowDocs[^1];
            var more = OnePhase(searcher, first, new BackendSearch(search.Query, size - hits.Count, new SearchCursor(last.Score, ids.Of(last.Doc))), null, cancellationToken);
            hits.AddRange(more.Hits);
        }

        return new BackendPage(hits, totalHits);
    }

    /// <summary>
    /// The first phase's top <paramref name="window"/> by score, then id, and the number of matches, in one pass
    /// (<see cref="WindowCollector"/>: no id is compared or copied per match, only ties read them, and a tie at the
    /// window's edge needs no second pass unless the ties are many more than the window). A disjunction of words, the
    /// common question, is scored by <see cref="TermDisjunction"/> to the same scores, without Lucene's scorer tree.
    /// </summary>
    private static (WindowDoc[] Docs, int TotalHits) CollectWindow(
        IndexSearcher searcher, LuceneQuery query, int window, DocIds ids, TermLookup terms, FacetCounter? facets, CancellationToken cancellationToken)
    {
        var collector = new WindowCollector(Math.Max(1, Math.Min(window, searcher.IndexReader.MaxDoc)));
        try
        {
            if (facets is null && TermDisjunction.Of(query, terms, searcher.Similarity) is { } disjunction)
            {
                disjunction.Score(searcher, terms, collector, cancellationToken);
            }
            else
            {
                Run(searcher, query, collector, facets, cancellationToken);
            }

            if (!collector.Overflowed)
            {
                return (collector.Window(ids), collector.TotalHits);
            }
        }
        finally
        {
            collector.Recycle();
        }

        // Too many ties at the edge (every match scoring alike): the exact sort by (score, id), a second pass.
        var exact = Collect(searcher, query, window, null, SortOrder.Relevance, null, cancellationToken);
        return ([.. exact.ScoreDocs.Select(sd => new WindowDoc(sd.Doc, sd.Score))], exact.TotalHits);
    }

    /// <summary>One query ranks every match (the first phase past the window, a date sort, or everything when there is no window).</summary>
    private static BackendPage OnePhase(IndexSearcher searcher, LuceneQuery query, BackendSearch search, FacetCounter? facets, CancellationToken cancellationToken)
    {
        var top = Collect(searcher, query, search.Size, search.After, search.Sort, facets, cancellationToken);
        var hits = new List<BackendHit>(top.ScoreDocs.Length);
        foreach (var sd in top.ScoreDocs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var doc = LuceneSchema.ToDocument(searcher.Doc(sd.Doc));
            hits.Add(new BackendHit(doc.Id, sd.Score, doc) { SortValue = search.Sort == SortOrder.Relevance ? 0 : (long)(J2N.Numerics.Int64)((FieldDoc)sd).Fields[0] });
        }

        return new BackendPage(hits, top.TotalHits);
    }

    /// <summary>The top hits in the sort order after a cursor; the total counts every match (and the facets, when asked).</summary>
    private static TopDocs Collect(
        IndexSearcher searcher, LuceneQuery query, int size, SearchCursor? after, SortOrder order, FacetCounter? facets, CancellationToken cancellationToken)
    {
        var sort = order switch
        {
            SortOrder.Newest => NewestFirst,
            SortOrder.Oldest => OldestFirst,
            _ => ScoreThenId,
        };
        var afterDoc = after is not { } c ? null
            : order == SortOrder.Relevance ? new FieldDoc(int.MaxValue, c.Score, [ScoreValue(c.Score), new BytesRef(c.Id)])
            : new FieldDoc(int.MaxValue, c.Score, [J2N.Numerics.Int64.GetInstance(c.SortValue), ScoreValue(c.Score), new BytesRef(c.Id)]);

        // Documents in any order, as the window's collector takes them: Lucene then scores a disjunction with its bucket
        // scorer in both, so a document's first-phase score is the same sum in the window and on the pages past it.
        var collector = TopFieldCollector.Create(
            sort, Math.Max(1, Math.Min(size, searcher.IndexReader.MaxDoc)), afterDoc,
            fillFields: true, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
        Run(searcher, query, collector, facets, cancellationToken);
        return collector.GetTopDocs();
    }

    /// <summary>Runs a search into a collector, and the facet counter with it; the token is checked as it goes.</summary>
    private static void Run(IndexSearcher searcher, LuceneQuery query, ICollector collector, FacetCounter? facets, CancellationToken cancellationToken)
    {
        var all = facets is null ? collector : MultiCollector.Wrap(collector, facets);

        // The collector checks the token as it goes, so a query past its budget stops instead of running on.
        searcher.Search(query, cancellationToken.CanBeCanceled ? new CancellableCollector(all, cancellationToken) : all);
    }

    /// <summary>
    /// The full ranking's score of each of <paramref name="docs"/>, ordered by it, then by id (read for ties only).
    /// Queries of words (the common case) are scored term by term (<see cref="WindowScorer"/>); others through the full
    /// query's Lucene scorer, one per segment, advanced to each document in turn. Either way only these documents are
    /// scored.
    /// </summary>
    private List<WindowDoc> Rescore(
        IndexSearcher searcher, Query.SearchQuery query, WindowDoc[] docs, TermLookup terms, DocIds ids, CancellationToken cancellationToken)
    {
        var results = new List<WindowDoc>(docs.Length);
        if (docs.Length == 0)
        {
            return results;
        }

        var inOrder = (WindowDoc[])docs.Clone();
        DocIds.SortByDoc(inOrder);
        var scores = _queries.Plan(query) is { } plan
            ? WindowScorer.Score(searcher, plan, terms, inOrder, cancellationToken)
            : ScoreThroughLucene(searcher, _queries.Build(query, exclusions: false, terms), inOrder, cancellationToken);
        for (var i = 0; i < inOrder.Length; i++)
        {
            results.Add(new WindowDoc(inOrder[i].Doc, scores[i]));
        }

        ids.SortByScoreThenId(results);
        return results;
    }

    /// <summary>The full query's score of each of <paramref name="docs"/> (ordered by document number), through its Lucene scorers.</summary>
    internal static float[] ScoreThroughLucene(IndexSearcher searcher, LuceneQuery full, WindowDoc[] docs, CancellationToken cancellationToken)
    {
        var scores = new float[docs.Length];
        var weight = searcher.CreateNormalizedWeight(full);
        var leaves = searcher.IndexReader.Leaves;
        var leaf = -1;
        var end = 0;
        Scorer? scorer = null;
        for (var i = 0; i < docs.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (docs[i].Doc >= end)
            {
                var context = leaves[++leaf];
                end = context.DocBase + context.Reader.MaxDoc;
                scorer = weight.GetScorer(context, context.AtomicReader.LiveDocs);
            }

            var target = docs[i].Doc - leaves[leaf].DocBase;
            var at = scorer is null ? DocIdSetIterator.NO_MORE_DOCS : scorer.DocID >= target ? scorer.DocID : scorer.Advance(target);
            scores[i] = at == target ? scorer!.GetScore() : 0f;
        }

        return scores;
    }

    /// <summary>Whether a hit comes after the cursor in score-descending, id-ascending order (its id read on a tie only).</summary>
    private static bool After(float score, int doc, DocIds ids, SearchCursor cursor) =>
        score < cursor.Score || (score == cursor.Score && IdOrder.Compare(ids.Of(doc), cursor.Id) > 0);

    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Read(cancellationToken, searcher => (long)searcher.IndexReader.NumDocs));

    public Task<byte[]> GetSecretAsync(CancellationToken cancellationToken) => Task.FromResult(_secret);

    /// <summary>Not serving once the index is shutting down, its writer is down, or a read found it damaged.</summary>
    public Task<BackendHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_disposed || _writerLoop.IsCompleted || _damage is not null || _core.Writer is null
            ? BackendHealth.NotServing
            : BackendHealth.Serving);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _idleCompaction.DisposeAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        // Between a merge's refresh (which may commit it) and closing, one at a time.
        using (_passLock.EnterScope())
        {
            var core = _core;
            core.Searchers.Dispose();
            if (core.Writer is { } writer)
            {
                try
                {
                    // Everything acknowledged is committed already; this only closes the files. A background merge
                    // under way gets MergeWaitOnClose to finish; then it is aborted and its segments stay as they were,
                    // to be merged by later writes (a merge of a large index could otherwise hold a shutdown for minutes).
                    WaitForRunningMerges(writer, _options.MergeWaitOnClose);
                    writer.Dispose(waitForMerges: false);
                }
                catch (Exception ex)
                {
                    LogCloseFailed(_logger, ex);
                    Abandon(writer);
                }
            }
        }

        _directory.Dispose();
    }

    private static void WaitForRunningMerges(IndexWriter writer, TimeSpan limit)
    {
        if (writer.Config.MergeScheduler is not LoggingMergeScheduler merges)
        {
            return;
        }

        var until = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (merges.Running > 0 && Environment.TickCount64 < until)
        {
            Thread.Sleep(20);
        }
    }

    /// <summary>A new staging folder for a bulk stream: the stream's staging indexes go in folders of their own inside it.</summary>
    internal string CreateStaging()
    {
        ThrowIfDisposed();
        var path = System.IO.Path.Combine(Path, StagingFolder, Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A staging index in <paramref name="folder"/>: its own writer, with the index's analysis and similarity.</summary>
    internal (LuceneDirectory Directory, IndexWriter Writer) OpenStaging(string folder, double ramBufferMB)
    {
        ThrowIfDisposed();
        System.IO.Directory.CreateDirectory(folder);
        var directory = _openDirectory(new DirectoryInfo(folder));
        try
        {
            return (directory, new IndexWriter(directory, NewConfig(OpenMode.CREATE, ramBufferMB)));
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Joins a bulk stream's committed staging indexes to the index: their ids are replaced, in one commit with whatever else is queued.</summary>
    internal Task ImportAsync(string stagingPath, IReadOnlyCollection<string> ids, out Task completion, CancellationToken cancellationToken)
    {
        var op = WriteOp.Import(stagingPath, ids);
        completion = op.Completion.Task;
        return EnqueueAsync(op, cancellationToken);
    }

    internal static void Abandon(IndexWriter? writer)
    {
        if (writer is null)
        {
            return;
        }

        try
        {
            // Rollback closes the writer without committing what it buffered.
            writer.Rollback();
        }
        catch (Exception)
        {
            // Nothing more can be done for a writer that cannot even be closed; its lock goes with the process.
        }
    }

    private IndexWriterConfig NewConfig(OpenMode mode, double ramBufferMB) => new(LuceneVersion.LUCENE_48, Schema.IndexAnalyzer)
    {
        OpenMode = mode,
        Similarity = Schema.Similarity,
        RAMBufferSizeMB = ramBufferMB,
        MergeScheduler = new LoggingMergeScheduler(_logger, RefreshAfterMerge, merge => MergeStarting?.Invoke(merge)),
        Codec = Codec,
        CheckIntegrityAtMerge = true,
    };

    private SearcherManager NewSearchers(IndexWriter writer) =>
        new(writer, applyAllDeletes: true, new SimilaritySearcherFactory(Schema.Similarity));

    /// <summary>
    /// Runs a read on a current searcher. A searcher manager replaced by a rollback meanwhile is skipped; a read that
    /// finds the index damaged marks it so (health NOT_SERVING) and fails with DATA_LOSS.
    /// </summary>
    private T Read<T>(CancellationToken cancellationToken, Func<IndexSearcher, T> read)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        if (_damage is { } damage)
        {
            throw new TextSearchException(ErrorKind.DataLoss, damage);
        }

        while (true)
        {
            var core = _core;
            IndexSearcher searcher;
            try
            {
                searcher = core.Searchers.Acquire();
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(core, _core) || _disposed)
            {
                ThrowIfDisposed();
                continue;
            }

            try
            {
                return read(searcher);
            }
            catch (Exception ex) when (IndexFailures.IsCorruption(ex))
            {
                var damaged = IndexFailures.Damaged(Path, ex);
                if (_damage is null)
                {
                    _damage = damaged.Message;
                    LogDamaged(_logger, Path, ex);
                }

                throw damaged;
            }
            finally
            {
                core.Searchers.Release(searcher);
            }
        }
    }

    private async Task EnqueueAsync(WriteOp op, CancellationToken cancellationToken)
    {
        if (_disposed || _writerLoop.IsCompleted || !_queue.Writer.TryWrite(op))
        {
            // Refused: its completion fails too, as a bulk stream's import waits on it (it would wait forever).
            op.Completion.TrySetException(ShuttingDown());
        }

        // Once queued, a write completes even if the caller gives up waiting; only the wait is cancelled.
        await op.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriterLoopAsync()
    {
        var pass = new List<WriteOp>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            pass.Clear();
            var docs = 0;
            while (docs < _options.MaxBatchDocuments && reader.TryRead(out var op))
            {
                pass.Add(op);
                docs += op.Size;
            }

            try
            {
                Execute(pass);
            }
            catch (Exception ex)
            {
                // Execute handles the failures it knows; anything else fails this pass, never the loop (the writes
                // queued after it would wait forever).
                LogWriteFailed(_logger, pass.Count, ex);
                pass.ForEach(op => op.Completion.TrySetException(IndexFailures.WriteFailed(ex)));
            }
        }
    }

    /// <summary>
    /// Applies a pass of writes and commits them together. Nothing is acknowledged unless the commit that holds it
    /// succeeded: after any failure the writer goes back to the last commit (Lucene may already have dropped every
    /// document it buffered), the write at fault fails, and the others are applied again, once; a second failure,
    /// or a full volume, fails them all.
    /// </summary>
    private void Execute(List<WriteOp> pass)
    {
        // No reader is opened from the writer while a pass is under way (see RefreshAfterMerge).
        using var scope = _passLock.EnterScope();
        var pending = new List<WriteOp>(pass);
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            var core = _core;
            if (core.Writer is null && !TryReopen())
            {
                var down = new TextSearchException(ErrorKind.Unavailable, "the index writer is down (see the server log); nothing was written. Retry later.");
                pending.ForEach(op => op.Completion.TrySetException(down));
                return;
            }

            core = _core;
            var writer = core.Writer!;
            WriteOp? current = null;
            try
            {
                foreach (var op in pending)
                {
                    current = op;
                    Apply(writer, op);
                }

                current = null;
                PassBuffered?.Invoke(writer);
                writer.Commit();
            }
            catch (Exception ex)
            {
                LogWriteFailed(_logger, pending.Count, ex);
                RollBack();
                if (current is not null && attempt == 0 && pending.Count > 1 && !IndexFailures.IsDiskFull(ex) && ex is not OutOfMemoryException)
                {
                    current.Completion.TrySetException(IndexFailures.WriteFailed(ex));
                    pending.Remove(current);
                    continue;
                }

                foreach (var op in pending)
                {
                    op.Completion.TrySetException(ReferenceEquals(op, current) ? IndexFailures.WriteFailed(ex) : IndexFailures.RolledBack(ex));
                }

                return;
            }

            // Durable now; searchable before it is acknowledged.
            try
            {
                core.Searchers.MaybeRefreshBlocking();
            }
            catch (Exception ex)
            {
                LogRefreshFailed(_logger, ex);
                var unsearchable = new TextSearchException(
                    ErrorKind.Unavailable, "the write is durable but the index could not make it searchable; retry it.", ex);
                pending.ForEach(op => op.Completion.TrySetException(unsearchable));
                return;
            }

            // The pause is timed from this pass before it is acknowledged, so a write that follows the acknowledgement
            // always finds the compaction put off.
            ScheduleIdleCompaction(core, pending);
            pending.ForEach(op => op.Completion.TrySetResult());
            return;
        }
    }

    /// <summary>
    /// After a pass: when the writes since the index was last merged into one segment have grown it by a quarter or
    /// more, and left it in more segments than it should keep, compaction waits for writes to pause. The quarter keeps
    /// the rewriting in proportion to what was written (a trickle of single writes is left to Lucene's own merges).
    /// </summary>
    private void ScheduleIdleCompaction(Core core, List<WriteOp> pass)
    {
        Volatile.Write(ref _lastPassTimestamp, _time.GetTimestamp());
        _addedSinceCompaction += pass.Sum(op => op.Documents?.Count ?? op.Ids?.Count ?? 0);
        try
        {
            if (!_disposed && ShouldCompact(core))
            {
                _idleCompaction.Change(_options.CompactIdleDelay, Timeout.InfiniteTimeSpan);
            }
        }
        catch (Exception ex)
        {
            // The writes are acknowledged already; nothing here may stop the writer loop.
            LogIdleCompactionFailed(_logger, ex);
        }
    }

    /// <summary>Whether the index should be merged into one segment once writes pause (see <see cref="ScheduleIdleCompaction"/>).</summary>
    private bool ShouldCompact(Core core) =>
        _options.CompactWhenIdleAboveSegments > 0 && _options.CompactAfterBulkMaxMB > 0 && core.Writer is { } writer
        && _addedSinceCompaction * 4 >= writer.MaxDoc
        && SearchedSegments > _options.CompactWhenIdleAboveSegments
        && IndexMB() <= _options.CompactAfterBulkMaxMB;

    /// <summary>
    /// The timer of <see cref="ScheduleIdleCompaction"/>: if no pass ran for the delay and the index still should be
    /// compacted, its segments are merged into one in the background (searchers move to it when the merge ends, and
    /// that refresh commits it). Between passes, so no pass's documents are flushed by it.
    /// </summary>
    private void CompactIfIdle()
    {
        try
        {
            using var scope = _passLock.EnterScope();
            var core = _core;
            if (_disposed || core.Writer is not { } writer)
            {
                return;
            }

            var idle = _time.GetElapsedTime(Volatile.Read(ref _lastPassTimestamp));
            if (idle < _options.CompactIdleDelay)
            {
                _idleCompaction.Change(_options.CompactIdleDelay - idle, Timeout.InfiniteTimeSpan);
                return;
            }

            if (ShouldCompact(core))
            {
                LogIdleCompaction(_logger, _addedSinceCompaction, writer.MaxDoc);
                _addedSinceCompaction = 0;
                writer.ForceMerge(1, doWait: false);
            }
        }
        catch (Exception ex)
        {
            // Nothing may escape a timer thread: the segments stay as they are, and the next pass schedules it again.
            LogIdleCompactionFailed(_logger, ex);
        }
    }

    private void Apply(IndexWriter writer, WriteOp op)
    {
        switch (op)
        {
            case { DeleteId: { } id }:
                writer.DeleteDocuments(new Term(LuceneFields.Id, id));
                break;
            case { StagingPath: { } staging, Ids: { } ids }:
                // Deletes are applied to the segments already in the index before the staged segments join it.
                writer.DeleteDocuments([.. ids.Select(i => new Term(LuceneFields.Id, i))]);
                // The stream's staging indexes, one per thread that indexed it, in a fixed order.
                var parts = new List<LuceneDirectory>();
                try
                {
                    foreach (var part in System.IO.Directory.GetDirectories(staging).Order(StringComparer.Ordinal))
                    {
                        parts.Add(_openDirectory(new DirectoryInfo(part)));
                    }

                    writer.AddIndexes([.. parts]);
                }
                finally
                {
                    foreach (var part in parts)
                    {
                        part.Dispose();
                    }
                }

                // Joined segments do not trigger merges as flushed ones do: without this, every bulk stream would
                // leave its segments, and searches would slow down with their number. A bulk that grew the index by
                // a quarter or more merges it into one segment (in the background), up to CompactAfterBulkMaxMB.
                if (_options.CompactAfterBulkMaxMB > 0 && (long)ids.Count * 4 >= writer.MaxDoc && IndexMB() <= _options.CompactAfterBulkMaxMB)
                {
                    _addedSinceCompaction = -ids.Count; // this bulk is merged with the rest (the pass adds it back)
                    writer.ForceMerge(1, doWait: false);
                }
                else
                {
                    writer.MaybeMerge();
                }

                break;
            default:
                foreach (var doc in op.Documents!)
                {
                    writer.UpdateDocument(new Term(LuceneFields.Id, doc.Id), Schema.ToLucene(doc));
                }

                break;
        }
    }

    /// <summary>Segments the current searcher reads.</summary>
    internal int SearchedSegments => Read(CancellationToken.None, searcher => searcher.IndexReader.Leaves.Count);

    /// <summary>The index's size on disk, in megabytes (its files now; one deleted meanwhile counts as 0).</summary>
    private double IndexMB()
    {
        long bytes = 0;
        foreach (var file in _directory.ListAll())
        {
            try
            {
                bytes += _directory.FileLength(file);
            }
            catch (IOException)
            {
            }
        }

        return bytes / (1024.0 * 1024.0);
    }

    /// <summary>
    /// A merge finished: searchers move to the merged segment (a refresh already under way is enough). Called on the
    /// merge thread, it only queues the refresh: opening a reader from the writer there could wait on the merge
    /// scheduler, which waits for its merge threads (this one among them), or on a writer being closed, which waits
    /// for this merge. The refresh waits for the pass of writes under way, if any: opening a reader from the writer
    /// flushes what the pass buffered, and a flush that fails there (a full volume) drops those documents without the
    /// pass knowing; its commit would then succeed without them and acknowledge writes that were lost.
    /// </summary>
    internal void RefreshAfterMerge()
    {
        if (_disposed || Interlocked.Exchange(ref _refreshQueued, 1) == 1)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(
            static backend =>
            {
                Interlocked.Exchange(ref backend._refreshQueued, 0);
                using var scope = backend._passLock.EnterScope();
                var core = backend._core;
                if (backend._disposed || core is null)
                {
                    return;
                }

                try
                {
                    core.Searchers.MaybeRefresh();

                    // Record the merge: between passes the writer holds only acknowledged writes, so this commit adds
                    // none, and it lets Lucene delete the merged segments' files (else the index takes their room
                    // twice until the next write) and keeps the merge across a restart.
                    if (core.Writer is { } writer && writer.HasUncommittedChanges())
                    {
                        writer.Commit();
                    }
                }
                catch (Exception ex)
                {
                    // Nothing may escape a pool thread. Closing, rolled back, a full volume, or the index failed: the
                    // next write refreshes and commits, or reports the failure.
                    LogMergeRefreshFailed(backend._logger, ex);
                }
            },
            this,
            preferLocal: false);
    }

    /// <summary>Back to the last commit: the writer is closed without committing and a new one opened on the index.</summary>
    private void RollBack()
    {
        var core = _core;
        Abandon(core.Writer);
        _core = core with { Writer = null };
        TryReopen();
    }

    private bool TryReopen()
    {
        var core = _core;
        IndexWriter? writer = null;
        try
        {
            writer = new IndexWriter(_directory, NewConfig(OpenMode.APPEND, _options.RamBufferMB));
            _core = new Core(writer, NewSearchers(writer));
        }
        catch (Exception ex)
        {
            LogReopenFailed(_logger, ex);
            Abandon(writer);
            return false;
        }

        // Reads holding a searcher of the old manager finish on it; new reads take the new one.
        core.Searchers.Dispose();
        return true;
    }

    /// <summary>Refuses an index of another layout that holds documents; names the layout of an empty one.</summary>
    private static void CheckLayout(IndexWriter writer, string path, string fieldSettings)
    {
        var data = writer.CommitData;
        var layout = data is not null && data.TryGetValue(LayoutKey, out var stored) ? stored : null;
        var settings = data is not null && data.TryGetValue(FieldSettingsKey, out var kept) ? kept : null;
        if (layout == Layout && settings == fieldSettings)
        {
            return;
        }

        if (layout == Layout && settings is not null && writer.MaxDoc > 0)
        {
            // Written for other settings: its fields are not the ones this server would search.
            throw new IndexUnusableException(
                $"the index at {path} was written with TextSearch:Ranking {settings}, which decide its fields; this server has {fieldSettings}. "
                + "Set them back, or start with a new TextSearch:IndexPath and reindex (the seeds are indexed at start-up).");
        }

        if (layout != Layout && writer.MaxDoc > 0)
        {
            throw new IndexUnusableException(IndexLayouts.Refusal(path, layout));
        }

        var updated = data is null ? new Dictionary<string, string>() : new Dictionary<string, string>(data);
        updated[LayoutKey] = Layout;
        updated[FieldSettingsKey] = fieldSettings;
        writer.SetCommitData(updated);
        writer.Commit();
    }

    /// <summary>The secret in the last commit's user data; an index without one (new, or older) gets one, committed now.</summary>
    private static byte[] ReadOrCreateSecret(IndexWriter writer)
    {
        var data = writer.CommitData;
        if (data is not null && data.TryGetValue(SecretKey, out var stored) && TryDecode(stored) is { } existing)
        {
            return existing;
        }

        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var updated = data is null ? new Dictionary<string, string>() : new Dictionary<string, string>(data);
        updated[SecretKey] = Convert.ToBase64String(secret);
        writer.SetCommitData(updated);
        writer.Commit();
        return secret;

        static byte[]? TryDecode(string value)
        {
            var buffer = new byte[value.Length];
            return Convert.TryFromBase64String(value, buffer, out var written) && written >= 32 ? buffer[..written] : null;
        }
    }

    private static object ScoreValue(float score) => J2N.Numerics.Single.GetInstance(score);

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw ShuttingDown();
        }
    }

    private static TextSearchException ShuttingDown() => new(ErrorKind.Unavailable, "the index is shutting down.");

    /// <summary>The writer (null while it is down after a failure) and the searchers over it.</summary>
    private sealed record Core(IndexWriter? Writer, SearcherManager Searchers);

    private sealed class WriteOp
    {
        private WriteOp(IReadOnlyList<Search.Document>? documents, string? deleteId, string? stagingPath, IReadOnlyCollection<string>? ids)
        {
            Documents = documents;
            DeleteId = deleteId;
            StagingPath = stagingPath;
            Ids = ids;
        }

        public IReadOnlyList<Search.Document>? Documents { get; }

        public string? DeleteId { get; }

        public string? StagingPath { get; }

        public IReadOnlyCollection<string>? Ids { get; }

        /// <summary>How much of a pass it takes (documents to analyze; an import only copies files).</summary>
        public int Size => Documents?.Count ?? 1;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static WriteOp Upsert(IReadOnlyList<Search.Document> documents) => new(documents, null, null, null);

        public static WriteOp Delete(string id) => new(null, id, null, null);

        public static WriteOp Import(string stagingPath, IReadOnlyCollection<string> ids) => new(null, null, stagingPath, ids);
    }

    private sealed class SimilaritySearcherFactory(global::Lucene.Net.Search.Similarities.Similarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = similarity };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lucene index at {Path} opened with {Count} documents")]
    private static partial void LogOpened(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Index write failed; the index went back to its last commit and none of the {Count} writes of the pass was acknowledged")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The index writer could not be reopened after a failed write; writes fail until it can")]
    private static partial void LogReopenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Writes paused after {Added} documents since the last full merge ({Total} in the index): merging its segments into one in the background")]
    private static partial void LogIdleCompaction(ILogger logger, long added, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The index could not be merged into one segment after writes paused; its segments stay as they are")]
    private static partial void LogIdleCompactionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Searchers could not move to a merged segment, or the merge could not be committed; the next write does both")]
    private static partial void LogMergeRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Committed writes could not be made searchable")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The index could not be closed cleanly; its last commit stands")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The index at {Path} is damaged: health is NOT_SERVING; restore it from a backup or reindex")]
    private static partial void LogDamaged(ILogger logger, string path, Exception exception);
}
