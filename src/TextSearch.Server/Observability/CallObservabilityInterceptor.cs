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

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var observation = Mark(context);
        try
        {
            var response = await continuation(request, context).ConfigureAwait(false);
            Count(response);
            observation?.Status = StatusCode.OK;
            return response;
        }
        catch (Exception ex) when (CountFailure(request, ex) || Remember(observation, ex))
        {
            throw;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var observation = Mark(context);
        try
        {
            var response = await continuation(requestStream, context).ConfigureAwait(false);
            Count(response);
            observation?.Status = StatusCode.OK;
            return response;
        }
        catch (Exception ex) when (Remember(observation, ex))
        {
            throw;
        }
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return Observe(Mark(context), continuation(request, responseStream, context));
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return Observe(Mark(context), continuation(requestStream, responseStream, context));
    }

    /// <summary>
    /// Notes how a streaming call ended. The status of a gRPC-Web call travels in its body, where the per-call
    /// middleware cannot read it afterwards; this is what it uses instead.
    /// </summary>
    private static async Task Observe(CallObservation? observation, Task call)
    {
        try
        {
            await call.ConfigureAwait(false);
            observation?.Status = StatusCode.OK;
        }
        catch (Exception ex) when (Remember(observation, ex))
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
