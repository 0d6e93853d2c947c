namespace TextSearch.Client;

/// <summary>One document the server refused (the others of its batch are stored).</summary>
/// <param name="Id">The document's id (empty when it had none).</param>
/// <param name="Reason">Why, as the server says it.</param>
/// <param name="Index">The document's 0-based position in the whole input sequence.</param>
public sealed record IndexFailure(string Id, string Reason, long Index);

/// <summary>The outcome of <see cref="TextSearchClient.IndexAsync"/>: every batch was acknowledged.</summary>
/// <param name="Sent">Documents read from the input and sent.</param>
/// <param name="Upserted">Documents the server stored (durable and searchable).</param>
/// <param name="Failures">Documents the server refused, in input order.</param>
/// <param name="Batches">BulkUpsertDocuments batches acknowledged.</param>
/// <param name="Retries">Batch attempts repeated after UNAVAILABLE.</param>
public sealed record IndexResult(long Sent, long Upserted, IReadOnlyList<IndexFailure> Failures, int Batches, int Retries);
