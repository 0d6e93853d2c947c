namespace TextSearch.Search;

/// <summary>Why a request field cannot be accepted: the field, named as in the API, and the reason.</summary>
public sealed record InputError(string Field, string Message);

/// <summary>
/// One entry of a bulk stream, at its position in the stream: a document, or why the transport could not read one
/// (say, a timestamp out of range), with the id it carried.
/// </summary>
public readonly record struct BulkEntry(Document? Document, string Id, InputError? Error)
{
    public static BulkEntry Of(Document document) => new(document, document.Id, null);

    public static BulkEntry Invalid(string id, InputError error) => new(null, id, error);
}

/// <summary>A document of a bulk stream that was not stored: its id, why, and its position in the stream (0-based).</summary>
public sealed record BulkItemFailure(string Id, string Reason, int Position);

/// <summary>What a bulk stream stored: how many documents, and those refused.</summary>
public sealed record BulkResult(int Upserted, IReadOnlyList<BulkItemFailure> Failures);

public sealed partial class SearchEngine
{
    /// <summary>
    /// Upserts a stream of documents. Entries are validated one by one (an invalid one is a failure at its position,
    /// never the end of the stream), cut into batches of <see cref="Limits.BulkBatchDocuments"/> documents or
    /// <see cref="Limits.BulkBatchChars"/> characters, and pipelined: while one batch is indexed, the next is read and
    /// validated. When the task completes, every document counted in <see cref="BulkResult.Upserted"/> is durable and
    /// searchable. If the stream fails, nothing of it is acknowledged (and on the embedded engine nothing of it stays).
    /// </summary>
    public async Task<BulkResult> BulkUpsertAsync(IAsyncEnumerable<BulkEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var activity = SearchTelemetry.Start("textsearch.bulk", Backend);
        try
        {
            var failures = new List<BulkItemFailure>();
            var upserted = 0;
            var position = 0;
            var writer = Backend.BeginBulk();
            Task<int>? inFlight = null;
            try
            {
                var batch = new Batch();
                await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    var error = entry.Error ?? Validate(entry.Document);
                    if (error is not null)
                    {
                        failures.Add(new BulkItemFailure(entry.Id, error.Message, position));
                    }
                    else
                    {
                        batch.Add(entry.Document!, position);
                        if (batch.IsFull)
                        {
                            if (inFlight is not null)
                            {
                                upserted += await inFlight.ConfigureAwait(false);
                            }

                            inFlight = AddBatchAsync(writer, batch, failures, cancellationToken);
                            batch = new Batch();
                        }
                    }

                    position++;
                }

                if (inFlight is not null)
                {
                    upserted += await inFlight.ConfigureAwait(false);
                    inFlight = null;
                }

                if (batch.Documents.Count > 0)
                {
                    upserted += await AddBatchAsync(writer, batch, failures, cancellationToken).ConfigureAwait(false);
                }

                // The acknowledgement: everything added is durable and searchable before this returns.
                using (SearchTelemetry.Start("textsearch.bulk.commit", Backend))
                {
                    await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                // The writer is never used by two calls at once, nor disposed under one.
                if (inFlight is not null)
                {
                    await ((Task)inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                await writer.DisposeAsync().ConfigureAwait(false);
            }

            failures.Sort((a, b) => a.Position.CompareTo(b.Position));
            activity?.SetTag("textsearch.documents", position);
            activity?.SetTag("textsearch.failures", failures.Count);
            return new BulkResult(upserted, failures);
        }
        catch (Exception ex) when (SearchTelemetry.Failed(activity, ex))
        {
            throw;
        }
    }

    /// <summary>Adds one batch; returns how many of its documents were stored and lists the others.</summary>
    private async Task<int> AddBatchAsync(IBulkWriter writer, Batch batch, List<BulkItemFailure> failures, CancellationToken cancellationToken)
    {
        using var activity = SearchTelemetry.Start("textsearch.bulk.batch", Backend);
        activity?.SetTag("textsearch.documents", batch.Documents.Count);
        var refused = await writer.AddAsync(batch.Documents, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("textsearch.failures", refused.Count);
        if (refused.Count > 0)
        {
            lock (failures)
            {
                foreach (var failure in refused)
                {
                    failures.Add(new BulkItemFailure(failure.Id, failure.Reason, batch.PositionOf(failure.Id)));
                }
            }
        }

        return batch.Documents.Count - refused.Count;
    }

    /// <summary>Documents of one batch, their positions in the stream, and the last position of each id.</summary>
    private sealed class Batch
    {
        private readonly Dictionary<string, int> _lastPosition = new(StringComparer.Ordinal);
        private long _chars;

        public List<Document> Documents { get; } = [];

        public bool IsFull => Documents.Count >= Limits.BulkBatchDocuments || _chars >= Limits.BulkBatchChars;

        public void Add(Document document, int position)
        {
            Documents.Add(document);
            _lastPosition[document.Id] = position;
            _chars += document.Title.Length + document.Body.Length;
        }

        public int PositionOf(string id) => _lastPosition.GetValueOrDefault(id, -1);
    }
}
