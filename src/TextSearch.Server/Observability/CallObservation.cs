using Grpc.Core;

namespace TextSearch.Server.Observability;

/// <summary>
/// Per-call state shared by <see cref="CallObservabilityMiddleware"/> (which puts it in the request's features) and
/// <see cref="CallObservabilityInterceptor"/> (which marks that the call reached the gRPC interceptors, whose
/// rejections the Error and request-stream interceptors already log), and by the middlewares that turn calls away
/// before gRPC runs and log them themselves.
/// </summary>
public sealed class CallObservation
{
    public bool ReachedInterceptors { get; set; }

    /// <summary>A middleware turned the call away and logged why (admission, request validation).</summary>
    public bool Logged { get; set; }

    /// <summary>
    /// The status the interceptors saw the call end with. A JSON-transcoded call answers with an HTTP status, which
    /// loses detail; this keeps the exact gRPC code.
    /// </summary>
    public StatusCode? Status { get; set; }
}
