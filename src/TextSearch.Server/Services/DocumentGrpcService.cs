using System.Runtime.CompilerServices;
using Grpc.Core;
using TextSearch.Search;
using TextSearch.V1;

namespace TextSearch.Server.Services;

public sealed partial class DocumentGrpcService(ISearchEngine engine, ILogger<DocumentGrpcService> logger) : DocumentService.DocumentServiceBase
{
    public override async Task<UpsertDocumentResponse> UpsertDocument(UpsertDocumentRequest request, ServerCallContext context)
    {
        if (request.Document is null)
        {
            Search.Throw.InvalidField("document", "document is required.");
        }

        var doc = ProtoMapper.ToDomain(request.Document);
        await engine.UpsertAsync(doc, context.CancellationToken).ConfigureAwait(false);
        return new UpsertDocumentResponse { Id = doc.Id };
    }

    /// <summary>
    /// The engine batches, pipelines and validates the stream; the response, its acknowledgement, goes out once every
    /// document it counts is durable and searchable.
    /// </summary>
    public override async Task<BulkUpsertDocumentsResponse> BulkUpsertDocuments(
        IAsyncStreamReader<UpsertDocumentRequest> requestStream, ServerCallContext context)
    {
        var received = new StrongBox<int>();
        try
        {
            var result = await engine.BulkUpsertAsync(Entries(requestStream, received, context.CancellationToken), context.CancellationToken).ConfigureAwait(false);
            var response = new BulkUpsertDocumentsResponse { Upserted = result.Upserted };
            foreach (var failure in result.Failures)
            {
                response.Failures.Add(new BulkFailure { Id = failure.Id, Reason = failure.Reason, Index = failure.Position });
            }

            return response;
        }
        catch (Exception ex) when (context.CancellationToken.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client went away (or its deadline passed) before the end of the stream: nothing of it was
            // acknowledged. Say so in the log; the client sees CANCELLED or DEADLINE_EXCEEDED.
            LogStreamAbandoned(logger, received.Value);
            throw;
        }
    }

    private static async IAsyncEnumerable<BulkEntry> Entries(
        IAsyncStreamReader<UpsertDocumentRequest> requestStream, StrongBox<int> received, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var request in requestStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            received.Value++;
            if (request.Document is null)
            {
                yield return BulkEntry.Invalid(string.Empty, new InputError("document", "document is required."));
            }
            else if (ProtoMapper.TryToDomain(request.Document, out var error) is { } doc)
            {
                yield return BulkEntry.Of(doc);
            }
            else
            {
                yield return BulkEntry.Invalid(request.Document.Id, error!);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A BulkUpsertDocuments stream ended before its end after {Received} documents: none of them was acknowledged or kept")]
    private static partial void LogStreamAbandoned(ILogger logger, int received);

    public override async Task<V1.Document> GetDocument(GetDocumentRequest request, ServerCallContext context) =>
        ProtoMapper.ToProto(await engine.GetAsync(request.Id, context.CancellationToken).ConfigureAwait(false));

    public override async Task<DeleteDocumentResponse> DeleteDocument(DeleteDocumentRequest request, ServerCallContext context)
    {
        await engine.DeleteAsync(request.Id, context.CancellationToken).ConfigureAwait(false);
        return new DeleteDocumentResponse { Id = request.Id };
    }
}
