using Grpc.Core;
using Grpc.Core.Interceptors;
using TextSearch.V1;

namespace TextSearch.Server.Observability;

/// <summary>
/// The first interceptor: marks that the call reached the interceptors (see <see cref="CallObservation"/>) and counts
/// the documents written through DocumentService from the responses (the bulk response says how many were stored
/// and how many failed).
/// </summary>
public sealed class CallObservabilityInterceptor(TextSearchMetrics metrics) : Interceptor
{
    private const string Upsert = "upsert";
    private const string Delete = "delete";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return ObserveAsync(context, () => continuation(request, context), request);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return ObserveAsync(context, () => continuation(requestStream, context), request: null);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return ObserveAsync(context, async () => { await continuation(request, responseStream, context).ConfigureAwait(false); return true; }, request: null);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return ObserveAsync(context, async () => { await continuation(requestStream, responseStream, context).ConfigureAwait(false); return true; }, request: null);
    }

    /// <summary>
    /// Runs the call, noting how it ended for the per-call middleware (the status of a gRPC-Web or JSON call does not
    /// reach it otherwise) and counting the documents it wrote. <paramref name="request"/> is the single request of a
    /// unary call, whose failure may count as a failed document.
    /// </summary>
    private async Task<TResponse> ObserveAsync<TResponse>(ServerCallContext context, Func<Task<TResponse>> call, object? request)
    {
        var observation = Mark(context);
        try
        {
            var response = await call().ConfigureAwait(false);
            Count(response);
            observation?.Status = StatusCode.OK;
            return response;
        }
        catch (Exception ex) when (CountFailure(request, ex) || Remember(observation, ex))
        {
            throw;
        }
    }

    private static CallObservation? Mark(ServerCallContext context)
    {
        var observation = context.GetHttpContext().Features.Get<CallObservation>();
        observation?.ReachedInterceptors = true;
        return observation;
    }

    /// <summary>For an exception filter: notes the status the call fails with (the Error interceptor, inside this one, has mapped it).</summary>
    private static bool Remember(CallObservation? observation, Exception exception)
    {
        observation?.Status = exception is RpcException rpc ? rpc.StatusCode : StatusCode.Unknown;
        return false;
    }

    private void Count(object? response)
    {
        switch (response)
        {
            case UpsertDocumentResponse:
                metrics.RecordIngested(Upsert, ok: true, 1);
                break;
            case BulkUpsertDocumentsResponse bulk:
                metrics.RecordIngested(Upsert, ok: true, bulk.Upserted);
                metrics.RecordIngested(Upsert, ok: false, bulk.Failures.Count);
                break;
            case DeleteDocumentResponse:
                metrics.RecordIngested(Delete, ok: true, 1);
                break;
        }
    }

    /// <summary>For an exception filter: a single-document write that failed in the engine counts as one failed document. A failed bulk
    /// stream is not counted here (how many documents it carried is unknown); the call counter has it.</summary>
    private bool CountFailure(object? request, Exception exception)
    {
        // Calls turned away before the engine (no or wrong key, over the concurrency cap, abandoned) carried no
        // document that failed.
        if (exception is RpcException { StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.ResourceExhausted or StatusCode.Cancelled })
        {
            return false;
        }

        switch (request)
        {
            case UpsertDocumentRequest:
                metrics.RecordIngested(Upsert, ok: false, 1);
                break;
            case DeleteDocumentRequest:
                metrics.RecordIngested(Delete, ok: false, 1);
                break;
        }

        return false;
    }
}
