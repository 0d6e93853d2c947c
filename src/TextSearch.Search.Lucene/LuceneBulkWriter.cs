using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Lucene.Net.Index;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace TextSearch.Search.Lucene;

/// <summary>
/// A bulk stream's writes: indexed into a staging index of the stream's own (a folder under the index), which joins
/// the index in one commit when the stream ends (<see cref="IndexWriter.AddIndexes(LuceneDirectory[])"/> copies its
/// segments). Until then nothing of it is visible, and a stream that fails or is abandoned leaves nothing behind:
/// its folder is deleted. Streams index in parallel, each on its own writer, and each stream's batch on up to
/// <see cref="LuceneOptions.BulkIndexThreads"/> threads.
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
    private LuceneDirectory? _directory;
    private IndexWriter? _writer;
    private bool _slot;
    private Task? _import;
    private Exception? _failure;
    private IndexThread[]? _threads;
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
            // The staging writer may have dropped what it buffered: this bulk cannot be committed any more.
            _failure = ex;
            throw ex is OperationCanceledException ? ex : IndexFailures.WriteFailed(ex);
        }

        return [];
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        if (_writer is null)
        {
            return;
        }

        try
        {
            await DrainAsync(cancellationToken).ConfigureAwait(false);
            var writer = _writer;
            await Task.Run(
                () =>
                {
                    writer.Commit();
                    writer.Dispose();
                },
                CancellationToken.None).ConfigureAwait(false);
            _writer = null;
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
        if (_threads is not null)
        {
            // Abandoned (a commit has drained them already): the threads stop, and none is left writing.
            await _stop.CancelAsync().ConfigureAwait(false);
            foreach (var thread in _threads)
            {
                thread.Queue.Writer.TryComplete();
            }

            await Task.WhenAll(_threads.Select(t => t.Work)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
        if (_import is not null)
        {
            await _import.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        LuceneBackend.Abandon(_writer);
        _directory?.Dispose();
        if (_path is not null)
        {
            IndexFiles.DeleteStaging(_path);
        }

        if (_slot)
        {
            backend.BulkSlots.Release();
        }
    }

    /// <summary>
    /// Hands a batch to the stream's indexing threads, up to <see cref="LuceneBackend.BulkIndexThreads"/>, each with its
    /// own share of the documents: by id, so all writes of one id are made by one thread, in stream order, and the last
    /// one wins. Each thread works through its own queue, so one that flushes a segment does not hold the others up at
    /// the end of every batch; a queue holds at most <see cref="QueuedShares"/> shares, so a stream read faster than it
    /// is indexed waits here. A thread's failure is thrown by the next call (this one, a later one or the commit).
    /// </summary>
    private async Task IndexAsync(IReadOnlyList<Document> documents, CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            (_path, _directory, _writer) = backend.OpenStaging();
        }

        _threads ??= StartThreads(_writer, Math.Clamp(documents.Count / MinDocumentsPerThread, 1, backend.BulkIndexThreads));
        ThrowIfThreadFailed();
        var shares = Shares(documents, _threads.Length);
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

    /// <summary>Waits for every indexing thread to finish its queue; throws the first failure of any.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (_threads is null)
        {
            return;
        }

        foreach (var thread in _threads)
        {
            thread.Queue.Writer.TryComplete();
        }

        try
        {
            await Task.WhenAll(_threads.Select(t => t.Work)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A thread stopped because another failed.
        }

        ThrowIfThreadFailed();
    }

    private IndexThread[] StartThreads(IndexWriter writer, int count)
    {
        var threads = new IndexThread[count];
        for (var i = 0; i < count; i++)
        {
            var queue = Channel.CreateBounded<IReadOnlyList<Document>>(new BoundedChannelOptions(QueuedShares) { SingleReader = true, SingleWriter = true });
            threads[i] = new IndexThread(queue, Task.Run(() => WorkAsync(writer, queue.Reader), CancellationToken.None));
        }

        return threads;
    }

    /// <summary>One indexing thread: its shares, in the order they were queued. A failure stops the other threads.</summary>
    private async Task WorkAsync(IndexWriter writer, ChannelReader<IReadOnlyList<Document>> queue)
    {
        var token = _stop.Token;
        try
        {
            await foreach (var share in queue.ReadAllAsync(token).ConfigureAwait(false))
            {
                IndexShare(writer, share, token);
            }
        }
        catch (Exception ex)
        {
            if (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                // The first failure is the bulk's (the others' cancellations follow from it).
                Interlocked.CompareExchange(ref _threadFailure, ex, null);
            }

            await _stop.CancelAsync().ConfigureAwait(false);
            throw;
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
            shares[s] = new List<Document>(count == 1 ? documents.Count : (documents.Count / count) + 16);
        }

        foreach (var doc in documents)
        {
            shares[count == 1 ? 0 : (int)((uint)StringComparer.Ordinal.GetHashCode(doc.Id) % (uint)count)].Add(doc);
        }

        return shares;
    }

    /// <summary>An indexing thread of the stream: its queue of shares, and its work.</summary>
    private sealed record IndexThread(Channel<IReadOnlyList<Document>> Queue, Task Work);

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
}
