using Grpc.Core;
using TextSearch.Search;
using TextSearch.V1;

namespace TextSearch.Server.Services;

public sealed class DocumentGrpcService(SearchEngine engine) : DocumentService.DocumentServiceBase
{
    /// <summary>Documents applied per commit in a bulk stream.</summary>
    public const int BulkBatchSize = 500;

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

    public override async Task<BulkUpsertDocumentsResponse> BulkUpsertDocuments(
        IAsyncStreamReader<UpsertDocumentRequest> requestStream, ServerCallContext context)
    {
        var response = new BulkUpsertDocumentsResponse();
        var batch = new List<Search.Document>(BulkBatchSize);
        var positions = new List<int>(BulkBatchSize);
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
                batch.Add(doc!);
                positions.Add(index);
                if (batch.Count == BulkBatchSize)
                {
                    await FlushAsync(batch, positions, response, context.CancellationToken).ConfigureAwait(false);
                }
            }

            index++;
        }

        if (batch.Count > 0)
        {
            await FlushAsync(batch, positions, response, context.CancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private async Task FlushAsync(List<Search.Document> batch, List<int> positions, BulkUpsertDocumentsResponse response, CancellationToken cancellationToken)
    {
        var failures = await engine.UpsertManyAsync(batch, cancellationToken).ConfigureAwait(false);
        response.Upserted += batch.Count - failures.Count;
        foreach (var failure in failures)
        {
            var at = batch.FindLastIndex(d => d.Id == failure.Id);
            response.Failures.Add(new BulkFailure { Id = failure.Id, Reason = failure.Reason, Index = at >= 0 ? positions[at] : -1 });
        }

        batch.Clear();
        positions.Clear();
    }

    public override async Task<V1.Document> GetDocument(GetDocumentRequest request, ServerCallContext context) =>
        ProtoMapper.ToProto(await engine.GetAsync(request.Id, context.CancellationToken).ConfigureAwait(false));

    public override async Task<DeleteDocumentResponse> DeleteDocument(DeleteDocumentRequest request, ServerCallContext context)
    {
        await engine.DeleteAsync(request.Id, context.CancellationToken).ConfigureAwait(false);
        return new DeleteDocumentResponse { Id = request.Id };
    }
}
