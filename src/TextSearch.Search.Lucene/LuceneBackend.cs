using System.Text.Json;
using System.Threading.Channels;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging;
using TextSearch.Analysis;
using TextSearch.Search.Query;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace TextSearch.Search.Lucene;

/// <summary>
/// The embedded engine. Writes go through one writer loop that applies every queued write, commits once
/// (fsync) and refreshes the searcher before acknowledging, so an acknowledged write is durable and searchable;
/// concurrent writers share commits. Reads use near-real-time searchers and never block writes.
/// </summary>
public sealed partial class LuceneBackend : ISearchBackend
{
    /// <summary>The commit user-data key of the index's secret.</summary>
    private const string SecretKey = "textsearch.secret";

    private static readonly Sort ScoreThenId = new(SortField.FIELD_SCORE, new SortField(LuceneFields.IdSort, SortFieldType.STRING));

    private readonly LuceneOptions _options;
    private readonly ILogger _logger;
    private readonly FSDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly LuceneQueryBuilder _queries;
    private readonly Channel<WriteOp> _queue = Channel.CreateUnbounded<WriteOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writerLoop;
    private readonly LuceneSchema _schema;
    private readonly byte[] _secret;
    private volatile bool _disposed;

    public LuceneBackend(LuceneOptions options, TextAnalyzer analyzer, ILogger<LuceneBackend> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        var ranking = options.Ranking;
        _schema = new LuceneSchema(ranking, analyzer);
        var similarity = _schema.Similarity;
        System.IO.Directory.CreateDirectory(options.IndexPath);
        _directory = FSDirectory.Open(new DirectoryInfo(options.IndexPath));
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, _schema.IndexAnalyzer)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = similarity,
            RAMBufferSizeMB = options.RamBufferMB,
        };
        _writer = new IndexWriter(_directory, config);

        // An index that has never been committed gets an empty first commit, so readers can always open it; the
        // index's secret (page tokens) lives in the commit's user data, created once.
        _secret = ReadOrCreateSecret(_writer);

        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new SimilaritySearcherFactory(similarity));
        _queries = new LuceneQueryBuilder(ranking);
        _writerLoop = Task.Factory.StartNew(WriterLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        LogOpened(_logger, Path.GetFullPath(options.IndexPath), _writer.NumDocs);
    }

    public string Name => "lucene";

    public async Task<IReadOnlyList<DocumentFailure>> UpsertAsync(IReadOnlyList<Search.Document> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count > 0)
        {
            // Lucene applies a batch whole or not at all: no per-document failures.
            await EnqueueAsync(new WriteOp(documents, null, durable: true), cancellationToken).ConfigureAwait(false);
        }

        return [];
    }

    public async Task<IReadOnlyList<DocumentFailure>> UpsertDeferredAsync(IReadOnlyList<Search.Document> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count > 0)
        {
            await EnqueueAsync(new WriteOp(documents, null, durable: false), cancellationToken).ConfigureAwait(false);
        }

        return [];
    }

    public Task FlushAsync(CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteOp([], null, durable: true), cancellationToken);

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await EnqueueAsync(new WriteOp(null, id, durable: true), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public Task<Search.Document?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var searcher = _searchers.Acquire();
        try
        {
            var top = searcher.Search(new TermQuery(new Term(LuceneFields.Id, id)), 1);
            return Task.FromResult(top.TotalHits == 0 ? null : LuceneSchema.ToDocument(searcher.Doc(top.ScoreDocs[0].Doc)));
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public Task<BackendPage> SearchAsync(SearchQuery query, int size, SearchCursor? after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var lucene = _queries.Build(query);
        var searcher = _searchers.Acquire();
        try
        {
            var afterDoc = after is { } c ? new FieldDoc(int.MaxValue, c.Score, [ScoreValue(c.Score), new BytesRef(c.Id)]) : null;
            TopDocs top;
            if (cancellationToken.CanBeCanceled)
            {
                // The collector checks the token as it goes, so a query past its budget stops instead of running on.
                var collector = TopFieldCollector.Create(
                    ScoreThenId, Math.Max(1, Math.Min(size, searcher.IndexReader.MaxDoc)), afterDoc,
                    fillFields: true, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
                searcher.Search(lucene, new CancellableCollector(collector, cancellationToken));
                top = collector.GetTopDocs();
            }
            else
            {
                top = searcher.SearchAfter(afterDoc, lucene, null, size, ScoreThenId, doDocScores: true, doMaxScore: false);
            }

            var hits = new List<BackendHit>(top.ScoreDocs.Length);
            foreach (var sd in top.ScoreDocs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var doc = LuceneSchema.ToDocument(searcher.Doc(sd.Doc));
                hits.Add(new BackendHit(doc.Id, sd.Score, doc));
            }

            return Task.FromResult(new BackendPage(hits, top.TotalHits));
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public Task<long> CountAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var searcher = _searchers.Acquire();
        try
        {
            return Task.FromResult((long)searcher.IndexReader.NumDocs);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public Task<byte[]> GetSecretAsync(CancellationToken cancellationToken) => Task.FromResult(_secret);

    public Task<BackendHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_disposed || _writerLoop.IsCompleted ? BackendHealth.NotServing : BackendHealth.Serving);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
    }

    private async Task EnqueueAsync(WriteOp op, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        if (!_queue.Writer.TryWrite(op))
        {
            Throw.Unavailable("the index is shutting down.");
        }

        // Once queued, a write completes even if the caller gives up waiting; only the wait is cancelled.
        await op.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriterLoopAsync()
    {
        var batch = new List<WriteOp>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var docs = 0;
            while (docs < _options.MaxBatchDocuments && reader.TryRead(out var op))
            {
                batch.Add(op);
                docs += op.Documents?.Count ?? 1;
            }

            var applied = new List<WriteOp>(batch.Count);
            var commit = false;
            foreach (var op in batch)
            {
                try
                {
                    Apply(op);
                    applied.Add(op);
                    commit |= op.Durable;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogWriteFailed(_logger, ex);
                    op.Completion.TrySetException(new TextSearchException(ErrorKind.Unavailable, "the index could not apply the write.", ex));
                }
            }

            try
            {
                // Deferred writes only need applying; a durable one commits everything applied so far, and refreshes
                // the searcher, before it is acknowledged.
                if (commit)
                {
                    _writer.Commit();
                    _searchers.MaybeRefreshBlocking();
                }

                foreach (var op in applied)
                {
                    op.Completion.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogWriteFailed(_logger, ex);
                foreach (var op in applied)
                {
                    op.Completion.TrySetException(new TextSearchException(ErrorKind.Unavailable, "the index could not commit the write.", ex));
                }
            }
        }
    }

    private void Apply(WriteOp op)
    {
        if (op.DeleteId is { } id)
        {
            _writer.DeleteDocuments(new Term(LuceneFields.Id, id));
            return;
        }

        foreach (var doc in op.Documents!)
        {
            _writer.UpdateDocument(new Term(LuceneFields.Id, doc.Id), _schema.ToLucene(doc));
        }
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
            Throw.Unavailable("the index is shutting down.");
        }
    }

    private sealed class WriteOp(IReadOnlyList<Search.Document>? documents, string? deleteId, bool durable)
    {
        public bool Durable { get; } = durable;

        public IReadOnlyList<Search.Document>? Documents { get; } = documents;

        public string? DeleteId { get; } = deleteId;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class SimilaritySearcherFactory(global::Lucene.Net.Search.Similarities.Similarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = similarity };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lucene index at {Path} opened with {Count} documents")]
    private static partial void LogOpened(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Index write failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);
}

