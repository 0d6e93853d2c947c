using Grpc.Core;
using Grpc.Core.Interceptors;
using TextSearch.Search;

namespace TextSearch.Server.Services;

/// <summary>
/// Maps domain errors to precise gRPC status codes. Bad input never surfaces as UNKNOWN or INTERNAL; INTERNAL is
/// left for real bugs, and then the message says nothing about internals.
/// </summary>
public sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (Map(ex, context) is { } rpc)
        {
            throw rpc;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (Map(ex, context) is { } rpc)
        {
            throw rpc;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (Map(ex, context) is { } rpc)
        {
            throw rpc;
        }
    }

    private RpcException? Map(Exception ex, ServerCallContext context)
    {
        switch (ex)
        {
            case RpcException:
                return null;
            case TextSearchException e:
                var code = e.Kind switch
                {
                    ErrorKind.InvalidArgument => StatusCode.InvalidArgument,
                    ErrorKind.NotFound => StatusCode.NotFound,
                    ErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
                    ErrorKind.Unavailable => StatusCode.Unavailable,
                    ErrorKind.DeadlineExceeded => StatusCode.DeadlineExceeded,
                    ErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
                    ErrorKind.DataLoss => StatusCode.DataLoss,
                    _ => StatusCode.Internal,
                };
                if (code == StatusCode.InvalidArgument)
                {
                    // The field's name only: the message may quote what the caller sent (a metadata key, say).
                    LogRejected(logger, MethodName(context), e.Field is { } f ? ProtoFields.Of(f) : "the request");
                }

                return e.Field is { } field ? FieldViolation(code, ProtoFields.Of(field), e.Message) : new RpcException(new Status(code, e.Message));
            case Google.Protobuf.InvalidProtocolBufferException or System.Text.DecoderFallbackException:
                // A streamed request message that cannot be decoded (e.g. a string that is not valid UTF-8).
                LogRejected(logger, MethodName(context), "request message");
                return new RpcException(new Status(StatusCode.InvalidArgument, "a request message is not valid protobuf (string fields must be valid UTF-8): " + ex.Message));
            // A JSON call has no gRPC deadline; DefaultDeadlineMiddleware gives it one and notes it (CallDeadline).
            case OperationCanceledException when context.Deadline <= DateTime.UtcNow || CallDeadline.Passed(context):
                return new RpcException(new Status(StatusCode.DeadlineExceeded, "the call's deadline passed."));
            case OperationCanceledException:
                return new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled."));
            case IOException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Status(StatusCode.Cancelled, "the client went away."));
            default:
                LogUnexpected(logger, ex, MethodName(context));
                return new RpcException(new Status(StatusCode.Internal, "internal error; the server log has the details."));
        }
    }

    /// <summary>
    /// The status with google.rpc.BadRequest details naming the field (grpc-dotnet's rich error model), next to the
    /// same message as before: clients that read details get the field, others the message.
    /// </summary>
    private static RpcException FieldViolation(StatusCode code, string field, string message) => new Google.Rpc.Status
    {
        Code = (int)code,
        Message = message,
        Details =
        {
            Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.BadRequest
            {
                FieldViolations = { new Google.Rpc.BadRequest.Types.FieldViolation { Field = field, Description = message } },
            }),
        },
    }.ToRpcException();

    /// <summary>The method as declared (never the path as the client spelled it).</summary>
    private static string MethodName(ServerCallContext context) =>
        context.GetHttpContext() is { } http && CallTarget.Of(http) is { } target ? target.Method.FullName : "unknown method";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Method}: invalid {Field}")]
    private static partial void LogRejected(ILogger logger, string method, string field);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
