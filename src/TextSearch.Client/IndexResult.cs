namespace TextSearch.Client;

/// <summary>One document the server refused (the others of its batch are stored).</summary>
/// <param name="Id">The document's id (empty when it had none).</param>
/// <param name="Reason">Why, as the server says it.</param>
/// <param name="Index">The document's 0-based position in the whole input sequence.</param>
public sealed record IndexFailure(string Id, string Reason, long Index);

/// <summary>The outcome of <see cref="TextSearchClient.IndexAsync"/>: every batch was acknowledged (or, in an
/// <see cref="IndexException"/>, every batch before the failure).</summary>
/// <param name="Sent">Documents read from the input and sent.</param>
/// <param name="Upserted">Documents the server stored (durable and searchable).</param>
/// <param name="Failures">Documents the server refused, in input order.</param>
/// <param name="Batches">BulkUpsertDocuments batches acknowledged.</param>
/// <param name="Retries">Batch attempts repeated after UNAVAILABLE.</param>
public sealed record IndexResult(long Sent, long Upserted, IReadOnlyList<IndexFailure> Failures, int Batches, int Retries);

/// <summary>
/// <see cref="TextSearchClient.IndexAsync"/> stopped: a batch failed with <see cref="Grpc.Core.RpcException.StatusCode"/>
/// (not UNAVAILABLE, or UNAVAILABLE after every attempt). It is still an <see cref="Grpc.Core.RpcException"/> with the
/// server's status; <see cref="Acknowledged"/> says what the batches before it stored and which documents they refused
/// (its <see cref="IndexResult.Sent"/> also counts the documents of the failed batch).
/// </summary>
public sealed class IndexException : Grpc.Core.RpcException
{
    /// <summary>Wraps the failed batch's <paramref name="failure"/>, keeping its status and trailers.</summary>
    /// <param name="failure">The batch's failure.</param>
    /// <param name="acknowledged">What the batches before it stored and refused.</param>
    public IndexException(Grpc.Core.RpcException failure, IndexResult acknowledged)
        : base((failure ?? throw new ArgumentNullException(nameof(failure))).Status, failure.Trailers, failure.Message)
    {
        Acknowledged = acknowledged;
    }

    /// <summary>What the batches acknowledged before the failure stored and refused.</summary>
    public IndexResult Acknowledged { get; }
}
