using Grpc.Core;
using Grpc.Core.Interceptors;

namespace TextSearch.Server.Services;

/// <summary>
/// Gives a streamed request's frame errors a precise status. gRPC reads a request stream inside the handler and
/// fails a frame it cannot read with INTERNAL ("Incomplete message.", a compressed message without grpc-encoding), an
/// <see cref="InvalidDataException"/> (a flag byte other than 0 or 1, a compressed message that does not decompress,
/// gRPC-Web text that is not base64) or an <see cref="IOException"/> (a declared length over 2 GB), all of which the
/// client would see as INTERNAL or UNKNOWN. This wraps the request stream so that they surface as INVALID_ARGUMENT
/// (RESOURCE_EXHAUSTED for the length), logged in one line with a fixed reason. Unary requests are judged earlier, by
/// <see cref="RequestValidationMiddleware"/>.
/// </summary>
public sealed partial class RequestStreamInterceptor(ILogger<RequestStreamInterceptor> logger) : Interceptor
{
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return continuation(new CheckedReader<TRequest>(requestStream, context, logger), context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return continuation(new CheckedReader<TRequest>(requestStream, context, logger), responseStream, context);
    }

    /// <summary>The status for a failure to read the next request message, or null when it is no frame error (the call was cancelled, say).</summary>
    internal static Status? Classify(Exception exception, ServerCallContext context)
    {
        if (context.CancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return exception switch
        {
            // "Incoming message cancelled." is gRPC stopping the read at the deadline, not a frame error.
            RpcException { StatusCode: StatusCode.Internal } rpc when rpc.Status.Detail != "Incoming message cancelled." =>
                new Status(StatusCode.InvalidArgument, "a request message frame is not valid: " + rpc.Status.Detail),
            InvalidDataException data =>
                new Status(StatusCode.InvalidArgument, "a request message frame is not valid: " + data.Message),
            IOException io when io.Message.StartsWith("Message too large", StringComparison.Ordinal) =>
                new Status(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size."),
            _ => null,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Method}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string method, string reason);

    private sealed class CheckedReader<T>(IAsyncStreamReader<T> inner, ServerCallContext context, ILogger logger) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                return await inner.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Classify(ex, context) is { } status)
            {
                // The method's declared name (the path may be in any case) and a fixed reason: nothing the client sent.
                var method = CallTarget.Of(context.GetHttpContext())?.Method.FullName ?? "unknown";
                LogRejected(logger, method, status.StatusCode == StatusCode.ResourceExhausted ? "streamed message over the size limit" : "malformed request stream frame");
                throw new RpcException(status);
            }
        }
    }
}
