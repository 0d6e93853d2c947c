using Grpc.Core;
using Grpc.Net.Client;
using TextSearch.V1;

namespace TextSearch.Cli.Client;

/// <summary>The gRPC calls the CLI makes, each with its deadline. No formatting here.</summary>
internal sealed class TextSearchClient(GrpcChannel channel, TimeSpan? unaryDeadline, TimeSpan? streamDeadline)
{
    private readonly NormalizationService.NormalizationServiceClient _normalization = new(channel);
    private readonly SearchService.SearchServiceClient _search = new(channel);
    private readonly DocumentService.DocumentServiceClient _documents = new(channel);

    public Task<NormalizeResponse> NormalizeAsync(string text, CancellationToken cancellationToken) =>
        _normalization.NormalizeAsync(new NormalizeRequest { Text = text }, Unary(cancellationToken)).ResponseAsync;

    public Task<AnalyzeResponse> AnalyzeAsync(string text, OffsetEncoding encoding, CancellationToken cancellationToken) =>
        _normalization.AnalyzeAsync(new AnalyzeRequest { Text = text, OffsetEncoding = encoding }, Unary(cancellationToken)).ResponseAsync;

    public Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken) =>
        _search.SearchAsync(request, Unary(cancellationToken)).ResponseAsync;

    public Task<SnippetResponse> SnippetAsync(SnippetRequest request, CancellationToken cancellationToken) =>
        _search.SnippetAsync(request, Unary(cancellationToken)).ResponseAsync;

    public Task<Document> GetAsync(string id, CancellationToken cancellationToken) =>
        _documents.GetDocumentAsync(new GetDocumentRequest { Id = id }, Unary(cancellationToken)).ResponseAsync;

    public Task<DeleteDocumentResponse> DeleteAsync(string id, CancellationToken cancellationToken) =>
        _documents.DeleteDocumentAsync(new DeleteDocumentRequest { Id = id }, Unary(cancellationToken)).ResponseAsync;

    /// <summary>
    /// Streams the documents through BulkUpsertDocuments. <paramref name="sent"/> is told after every message.
    /// When the call fails mid-stream, the failure surfaces as the call's status (an <see cref="RpcException"/>).
    /// </summary>
    public async Task<BulkUpsertDocumentsResponse> BulkUpsertAsync(
        IEnumerable<UpsertDocumentRequest> documents, Action<int>? sent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        using var call = _documents.BulkUpsertDocuments(Options(streamDeadline, cancellationToken));
        Exception? writeFailure = null;
        var count = 0;
        foreach (var document in documents)
        {
            try
            {
                await call.RequestStream.WriteAsync(document, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RpcException or InvalidOperationException or IOException or OperationCanceledException)
            {
                // The call is over (server gone, deadline, cancellation): its status says why.
                writeFailure = ex;
                break;
            }

            sent?.Invoke(++count);
        }

        if (writeFailure is RpcException rpc)
        {
            // The call failed; this carries its status (UNAVAILABLE when the server cannot be reached, ...).
            throw rpc;
        }

        if (writeFailure is null)
        {
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }

        // Throws the call's status when the call failed.
        var response = await call.ResponseAsync.ConfigureAwait(false);
        if (writeFailure is not null)
        {
            throw new IOException($"the upload was interrupted: {writeFailure.Message}", writeFailure);
        }

        return response;
    }

    private CallOptions Unary(CancellationToken cancellationToken) => Options(unaryDeadline, cancellationToken);

    private static CallOptions Options(TimeSpan? deadline, CancellationToken cancellationToken) =>
        new(deadline: deadline is { } d ? DateTime.UtcNow + d : null, cancellationToken: cancellationToken);
}
