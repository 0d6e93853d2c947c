using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Lucene.Net.Index;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace TextSearch.Search.Lucene;

/// <summary>
/// A bulk stream's writes: indexed into staging indexes of the stream's own (a folder under the index, one staging
/// index per indexing thread), which join the index in one commit when the stream ends
/// (<see cref="IndexWriter.AddIndexes(LuceneDirectory[])"/> copies their segments). Until then nothing of it is
/// visible, and a stream that fails or is abandoned leaves nothing behind: its folder is deleted. Streams index in
/// parallel, each on its own writers, and each stream on up to <see cref="LuceneOptions.BulkIndexThreads"/> threads.
/// </summary>
internal sealed class LuceneBulkWriter(LuceneBackend backend) : IBulkWriter
{
    /// <summary>
    /// Fewer documents than this per thread are not worth another thread. A stream's first batch decides how many
    /// threads it gets: a batch is cut short only at the end of the stream (or at its size in characters), so a small
    /// first batch is a small bulk, and the ids keep the threads they were given for the whole stream.
    /// </summary>
    private const int MinDocumentsPerThread = 64;

    /// <summary>Shares a thread's queue holds besides the one it is indexing.</summary>
    private const int QueuedShares = 2;

    /// <summary>Stops the indexing threads: when one fails, or when the bulk is abandoned.</summary>
    private readonly CancellationTokenSource _stop = new();

    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private string? _path;
    private IndexThread[]? _threads;
    private bool _slot;
    private Task? _import;
    private Exception? _failure;
    private Exception? _threadFailure;
    private bool _disposed;

    public async Task<IReadOnlyList<DocumentFailure>> AddAsync(IReadOnlyList<Document> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ThrowIfUnusable();
        if (documents.Count == 0)
        {
            return [];
        }

        if (!_slot)
        {
            await backend.BulkSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
            _slot = true;
        }

        try
        {
            await IndexAsync(documents, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A staging writer may have dropped what it buffered: this bulk cannot be committed any more.
            _failure = ex;
            throw ex is OperationCanceledException ? ex : IndexFailures.WriteFailed(ex);
        }

        return [];
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        if (_threads is null)
        {
            return;
        }

        try
        {
            // Each thread commits its staging index once its queue is done: the last segments are written in parallel.
            await DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _failure = ex;
            throw ex is OperationCanceledException ? ex : IndexFailures.WriteFailed(ex);
        }

        // Queued, the import runs to its end even if the caller stops waiting; the folder is kept until it has.
        await backend.ImportAsync(_path!, _ids, out _import, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_slot)
            {
                backend.BulkSlots.Release();
            }
        }
    }

    /// <summary>Stops the threads of a bulk that was not committed, waits for an import under way, and removes the staging folder.</summary>
    private async Task ReleaseAsync()
    {
        if (_threads is not null)
        {
            // Abandoned (a commit has drained them already): the threads stop, and none is left writing.
            await _stop.CancelAsync().ConfigureAwait(false);
            CompleteQueues();
            await Task.WhenAll(_threads.Select(t => t.Work)).ConfigureAwait(false);
        }

        _stop.Dispose();
        if (_import is not null)
        {
            await _import.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        foreach (var thread in _threads ?? [])
        {
            if (!thread.Committed)
            {
                LuceneBackend.Abandon(thread.Writer);
            }

            thread.Directory.Dispose();
        }

        if (_path is not null)
        {
            IndexFiles.DeleteStaging(_path);
        }
    }

    /// <summary>
    /// Hands a batch to the stream's indexing threads, up to <see cref="LuceneBackend.BulkIndexThreads"/>, each with its
    /// own share of the documents and its own staging index: by id, so all writes of one id are made by one thread, in
    /// stream order, and the last one wins. Each thread works through its own queue, so one that flushes a segment does
    /// not hold the others up; a queue holds at most <see cref="QueuedShares"/> shares, so a stream read faster than it
    /// is indexed waits here. A thread's failure is thrown by the next call (this one, a later one or the commit).
    /// </summary>
    private async Task IndexAsync(IReadOnlyList<Document> documents, CancellationToken cancellationToken)
    {
        if (_threads is null)
        {
            StartThreads(Math.Clamp(documents.Count / MinDocumentsPerThread, 1, backend.BulkIndexThreads));
        }

        ThrowIfThreadFailed();
        var shares = Shares(documents, _threads!.Length);
        var writes = new List<Task>(shares.Length);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        for (var i = 0; i < shares.Length; i++)
        {
            if (shares[i].Count > 0)
            {
                writes.Add(_threads[i].Queue.Writer.WriteAsync(shares[i], stop.Token).AsTask());
            }
        }

        try
        {
            await Task.WhenAll(writes).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A thread failed while this batch waited for room in the queues.
            ThrowIfThreadFailed();
            throw;
        }

        foreach (var doc in documents)
        {
            _ids.Add(doc.Id);
        }
    }

    /// <summary>Waits for every indexing thread to index its queue and commit its staging index; throws the first failure of any.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var threads = _threads!;
        CompleteQueues();

        // A thread never throws: it records its failure, and the first failure in time is the bulk's.
        await Task.WhenAll(threads.Select(t => t.Work)).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ThrowIfThreadFailed();
        cancellationToken.ThrowIfCancellationRequested();
        if (!threads.All(t => t.Committed))
        {
            // Only a failure (thrown above) or an abandoned bulk stops a thread short of its commit.
            throw new InvalidOperationException("a bulk indexing thread stopped before committing its staging index.");
        }
    }

    /// <summary>No more shares: each thread ends once it has taken what its queue holds.</summary>
    private void CompleteQueues()
    {
        foreach (var thread in _threads!)
        {
            thread.Queue.Writer.TryComplete();
        }
    }

    /// <summary>
    /// The stream's staging folder, and a staging index in it per thread. Each has its part of the stream's buffer
    /// (<see cref="LuceneOptions.BulkRamBufferMB"/>), so a stream holds no more memory on several threads than on one.
    /// </summary>
    private void StartThreads(int count)
    {
        _path = backend.CreateStaging();
        var threads = new List<IndexThread>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var (directory, writer) = backend.OpenStaging(Path.Combine(_path, i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)), backend.BulkRamBufferMB / count);
                var queue = Channel.CreateBounded<IReadOnlyList<Document>>(new BoundedChannelOptions(QueuedShares) { SingleReader = true, SingleWriter = true });
                var thread = new IndexThread(queue, directory, writer);
                thread.Work = Task.Run(() => WorkAsync(thread), CancellationToken.None);
                threads.Add(thread);
            }
        }
        finally
        {
            // If opening a writer failed, the threads started so far are stopped and their writers abandoned when the
            // bulk is disposed.
            _threads = [.. threads];
        }
    }

    /// <summary>
    /// One indexing thread: its shares, in the order they were queued, then the commit of its staging index. It does
    /// not throw: a failure is recorded for the bulk's next call or its commit, and stops the other threads.
    /// </summary>
    private async Task WorkAsync(IndexThread thread)
    {
        var token = _stop.Token;
        try
        {
            await foreach (var share in thread.Queue.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                IndexShare(thread.Writer, share, token);
            }

            // The queue was completed: by the commit, or by an abandoned bulk (which has set the token first).
            token.ThrowIfCancellationRequested();
            thread.Writer.Commit();
            thread.Writer.Dispose();
            thread.Committed = true;
        }
        catch (Exception ex)
        {
            if (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                // The first failure is the bulk's (the others' cancellations follow from it).
                Interlocked.CompareExchange(ref _threadFailure, ex, null);
            }

            await _stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private void ThrowIfThreadFailed()
    {
        if (Volatile.Read(ref _threadFailure) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>The batch cut into <paramref name="count"/> shares by id (each id in one share), stream order kept in each.</summary>
    private static List<Document>[] Shares(IReadOnlyList<Document> documents, int count)
    {
        var shares = new List<Document>[count];
        for (var s = 0; s < count; s++)
        {
            shares[s] = new List<Document>((documents.Count / count) + 16);
        }

        foreach (var doc in documents)
        {
            shares[(int)((uint)StringComparer.Ordinal.GetHashCode(doc.Id) % (uint)count)].Add(doc);
        }

        return shares;
    }

    private void IndexShare(IndexWriter writer, IReadOnlyList<Document> share, CancellationToken cancellationToken)
    {
        for (var i = 0; i < share.Count; i++)
        {
            if ((i & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var doc = share[i];
            writer.UpdateDocument(new Term(LuceneFields.Id, doc.Id), backend.Schema.ToLucene(doc));
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null)
        {
            throw IndexFailures.WriteFailed(_failure);
        }

        if (_import is not null)
        {
            throw new InvalidOperationException("the bulk was committed already.");
        }
    }

    /// <summary>An indexing thread of the stream: its queue of shares, its staging index, and its work.</summary>
    private sealed class IndexThread(Channel<IReadOnlyList<Document>> queue, LuceneDirectory directory, IndexWriter writer)
    {
        public Channel<IReadOnlyList<Document>> Queue { get; } = queue;

        public LuceneDirectory Directory { get; } = directory;

        public IndexWriter Writer { get; } = writer;

        public Task Work { get; set; } = Task.CompletedTask;

        /// <summary>Set by the thread once its staging index is committed and its writer closed.</summary>
        public bool Committed { get; set; }
    }
}
