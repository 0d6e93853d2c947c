using System.Runtime.CompilerServices;
using Grpc.Core;
using TextSearch.Search;
using TextSearch.V1;

namespace TextSearch.Server.Services;

public sealed partial class DocumentGrpcService(SearchEngine engine, ILogger<DocumentGrpcService> logger) : DocumentService.DocumentServiceBase
{
    /// <summary>Most documents applied per batch of a bulk stream.</summary>
    public const int BulkBatchSize = 2000;

    /// <summary>Most text (UTF-16 characters) per batch of a bulk stream.</summary>
    public const long BulkBatchChars = 4_000_000;

    public override async Task<UpsertDocumentResponse> UpsertDocument(UpsertDocumentRequest request, ServerCallContext context)
    {
        if (request.Document is null)
        {
            Search.Throw.InvalidArgument("document is required.");
        }

        var doc = ProtoMapper.ToDomain(request.Document);
        await engine.UpsertAsync(doc, context.CancellationToken).ConfigureAwait(false);
        return new UpsertDocumentResponse { Id = doc.Id };
    }

    /// <summary>
    /// Reads the stream in batches and pipelines them: while one batch is being indexed, the next is read and
    /// validated (at most two batches in flight). Batches are applied without a commit each; the last one commits, so
    /// the response is sent once every document is durable and searchable.
    /// </summary>
    public override async Task<BulkUpsertDocumentsResponse> BulkUpsertDocuments(
        IAsyncStreamReader<UpsertDocumentRequest> requestStream, ServerCallContext context)
    {
        var received = new StrongBox<int>();
        try
        {
            return await BulkUpsertCoreAsync(requestStream, context, received).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.CancellationToken.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client went away (or its deadline passed) before the end of the stream: nothing of it was
            // acknowledged. Say so in the log; the client sees CANCELLED or DEADLINE_EXCEEDED.
            LogStreamAbandoned(logger, received.Value);
            throw;
        }
    }

    private async Task<BulkUpsertDocumentsResponse> BulkUpsertCoreAsync(
        IAsyncStreamReader<UpsertDocumentRequest> requestStream, ServerCallContext context, StrongBox<int> received)
    {
        var response = new BulkUpsertDocumentsResponse();
        var batch = new Batch();
        Task? inFlight = null;
        var index = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            var doc = request.Document is null ? null : ProtoMapper.ToDomain(request.Document);
            if (SearchEngine.Validate(doc) is { } error)
            {
                response.Failures.Add(new BulkFailure { Id = request.Document?.Id ?? string.Empty, Reason = error, Index = index });
            }
            else
            {
                batch.Add(doc!, index);
                if (batch.Documents.Count == BulkBatchSize || batch.Chars >= BulkBatchChars)
                {
                    if (inFlight is not null)
                    {
                        await inFlight.ConfigureAwait(false);
                    }

                    inFlight = ApplyAsync(batch, durable: false, response, context.CancellationToken);
                    batch = new Batch();
                }
            }

            index++;
            received.Value = index;
        }

        if (inFlight is not null)
        {
            await inFlight.ConfigureAwait(false);
        }

        // The acknowledgement: everything applied is durable and searchable before the response goes out.
        if (batch.Documents.Count > 0)
        {
            await ApplyAsync(batch, durable: true, response, context.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            await engine.FlushAsync(context.CancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private async Task ApplyAsync(Batch batch, bool durable, BulkUpsertDocumentsResponse response, CancellationToken cancellationToken)
    {
        var failures = await engine.UpsertManyAsync(batch.Documents, durable, cancellationToken).ConfigureAwait(false);
        lock (response)
        {
            response.Upserted += batch.Documents.Count - failures.Count;
            foreach (var failure in failures)
            {
                var at = batch.Documents.FindLastIndex(d => d.Id == failure.Id);
                response.Failures.Add(new BulkFailure { Id = failure.Id, Reason = failure.Reason, Index = at >= 0 ? batch.Positions[at] : -1 });
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A BulkUpsertDocuments stream ended before its end after {Received} documents: none of them was acknowledged (those already applied may or may not be kept)")]
    private static partial void LogStreamAbandoned(ILogger logger, int received);

    /// <summary>Documents of one batch and their positions in the stream.</summary>
    private sealed class Batch
    {
        public List<Search.Document> Documents { get; } = [];

        public List<int> Positions { get; } = [];

        public long Chars { get; private set; }

        public void Add(Search.Document document, int position)
        {
            Documents.Add(document);
            Positions.Add(position);
            Chars += document.Title.Length + document.Body.Length;
        }
    }

    public override async Task<V1.Document> GetDocument(GetDocumentRequest request, ServerCallContext context) =>
        ProtoMapper.ToProto(await engine.GetAsync(request.Id, context.CancellationToken).ConfigureAwait(false));

    public override async Task<DeleteDocumentResponse> DeleteDocument(DeleteDocumentRequest request, ServerCallContext context)
    {
        await engine.DeleteAsync(request.Id, context.CancellationToken).ConfigureAwait(false);
        return new DeleteDocumentResponse { Id = request.Id };
    }
}
