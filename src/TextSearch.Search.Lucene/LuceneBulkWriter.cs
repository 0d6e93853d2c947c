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
    /// <summary>Fewer documents than this per thread are not worth another thread.</summary>
    private const int MinDocumentsPerThread = 64;

    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private string? _path;
    private LuceneDirectory? _directory;
    private IndexWriter? _writer;
    private bool _slot;
    private Task? _import;
    private Exception? _failure;
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
            throw IndexFailures.WriteFailed(ex);
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
    /// Indexes a batch on up to <see cref="LuceneBackend.BulkIndexThreads"/> threads at once, each on its own share of
    /// the documents: by id, so all writes of one id are made by one thread, in stream order, and the last one wins.
    /// Returns when every share is indexed (or has failed): the writer is never left in use by this batch.
    /// </summary>
    private async Task IndexAsync(IReadOnlyList<Document> documents, CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            (_path, _directory, _writer) = backend.OpenStaging();
        }

        var writer = _writer;
        var shares = Shares(documents, Math.Clamp(documents.Count / MinDocumentsPerThread, 1, backend.BulkIndexThreads));

        // A share that fails stops the others: the bulk cannot be committed any more, so their work would be lost.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = shares.Select(share => Task.Run(
            () =>
            {
                try
                {
                    IndexShare(writer, share, failed.Token);
                }
                catch
                {
                    failed.Cancel();
                    throw;
                }
            },
            failed.Token)).ToArray();

        // Every share runs to its end before this returns, so a failed batch never leaves a thread writing. A share's
        // failure is what this throws (WhenAll prefers a fault to the others' cancellation).
        await Task.WhenAll(tasks).ConfigureAwait(false);
        foreach (var doc in documents)
        {
            _ids.Add(doc.Id);
        }
    }

    /// <summary>The batch cut into <paramref name="count"/> shares by id (each id in one share), stream order kept in each.</summary>
    private static IReadOnlyList<Document>[] Shares(IReadOnlyList<Document> documents, int count)
    {
        if (count == 1)
        {
            return [documents];
        }

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
}
