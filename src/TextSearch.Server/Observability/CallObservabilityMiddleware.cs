using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using TextSearch.Search;

namespace TextSearch.Server.Observability;

/// <summary>
/// The per-call work for every gRPC call, placed right after routing so that it also sees the calls answered before
/// gRPC runs (<see cref="Services.RequestValidationMiddleware"/>) or by gRPC itself (oversized or undecodable messages,
/// unknown methods): a span around the call, the call counter and latency histogram by status code, one debug log
/// line, and a warning for rejected input that no interceptor has logged. A gRPC method reached over plain HTTP (JSON
/// transcoding) is observed too, its status taken from the HTTP status. Other HTTP requests (/metrics) pass through.
/// </summary>
public sealed partial class CallObservabilityMiddleware(
    RequestDelegate next, TextSearchMetrics metrics, ILogger<CallObservabilityMiddleware> logger)
{
    private const string Unknown = "unknown";
    private const int MaxReasonChars = 300;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A CORS preflight (OPTIONS with Access-Control-Request-Method) is routed to the gRPC endpoint but is no call.
        if ((context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true
                && context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is null)
            || (HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.ContainsKey("Access-Control-Request-Method")))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        // Before gRPC-Web's middleware rewrites the content type.
        var transport = Transport(context);
        var observation = new CallObservation();
        context.Features.Set(observation);
        var (service, method) = Names(context);
        // The span's name is only built when someone listens.
        using var activity = SearchTelemetry.Source.HasListeners() ? SearchTelemetry.Source.StartActivity($"{service}/{method}", ActivityKind.Internal) : null;
        activity?.SetTag("rpc.system", "grpc");
        activity?.SetTag("rpc.service", service);
        activity?.SetTag("rpc.method", method);

        var completed = false;
        try
        {
            await next(context).ConfigureAwait(false);
            completed = true;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var code = completed ? ReadStatus(context) : StatusCode.Unknown;
            metrics.RecordCall(service, method, transport, code, elapsed);
            Tag(activity, code);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogCall(logger, $"{service}/{method}", StatusNames.Of(code), Math.Round(elapsed.TotalMilliseconds, 3), context.Connection.RemoteIpAddress?.ToString() ?? "-");
            }

            if (IsRejectedInput(code) && !observation.ReachedInterceptors && !observation.Logged)
            {
                LogRejected(logger, $"{service}/{method}", StatusNames.Of(code), Reason(context));
            }
        }
    }

    /// <summary>
    /// Service and method from the gRPC endpoint (also for a JSON-transcoded route); "unknown" for anything that is
    /// not one of the server's methods, such as gRPC's catch-all for unimplemented ones, so label values stay bounded.
    /// </summary>
    private static (string Service, string Method) Names(HttpContext context)
    {
        var grpcMethod = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        return grpcMethod is not null && KnownMethods.Contains((grpcMethod.ServiceName, grpcMethod.Name))
            ? (grpcMethod.ServiceName, grpcMethod.Name)
            : (Unknown, Unknown);
    }

    /// <summary>How the call arrived: gRPC, gRPC-Web, or HTTP/JSON (transcoding).</summary>
    private static string Transport(HttpContext context)
    {
        var type = context.Request.ContentType;
        return type is null || !type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) ? "http_json"
            : type.StartsWith("application/grpc-web", StringComparison.OrdinalIgnoreCase) ? "grpc_web"
            : "grpc";
    }

    private static readonly FrozenSet<(string Service, string Method)> KnownMethods =
        Services.ServiceCatalog.All
            .SelectMany(service => service.Methods.Select(m => (service.FullName, m.Name)))
            .ToFrozenSet();

    /// <summary>The grpc-status the call ended with: in the trailers, or in the headers of a trailers-only response.</summary>
    private static StatusCode ReadStatus(HttpContext context)
    {
        var value = Header(context, "grpc-status");
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return (StatusCode)code;
        }

        if (context.Features.Get<CallObservation>()?.Status is { } seen)
        {
            return seen;
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return StatusCode.Cancelled;
        }

        // A gRPC method called over plain HTTP (JSON transcoding) answers with an HTTP status instead.
        return context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true
            ? StatusCode.Unknown
            : context.Response.StatusCode switch
            {
                >= 200 and < 300 => StatusCode.OK,
                400 => StatusCode.InvalidArgument,
                401 => StatusCode.Unauthenticated,
                403 => StatusCode.PermissionDenied,
                404 => StatusCode.NotFound,
                409 => StatusCode.Aborted,
                429 => StatusCode.ResourceExhausted,
                499 => StatusCode.Cancelled,
                501 => StatusCode.Unimplemented,
                503 => StatusCode.Unavailable,
                504 => StatusCode.DeadlineExceeded,
                >= 500 => StatusCode.Internal,
                _ => StatusCode.Unknown,
            };
    }

    private static string? Header(HttpContext context, string name)
    {
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        var value = trailers is not null && trailers.TryGetValue(name, out var t) ? t.ToString() : null;
        return string.IsNullOrEmpty(value) && context.Response.Headers.TryGetValue(name, out var h) ? h.ToString() : value;
    }

    private static string Reason(HttpContext context)
    {
        var message = Header(context, "grpc-message");
        if (string.IsNullOrEmpty(message))
        {
            return "(no message)";
        }

        message = Uri.UnescapeDataString(message);
        return message.Length <= MaxReasonChars ? message : message[..MaxReasonChars] + "…";
    }

    /// <summary>Codes that say the caller sent something the server refused.</summary>
    private static bool IsRejectedInput(StatusCode code) => code is StatusCode.InvalidArgument or StatusCode.ResourceExhausted
        or StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.OutOfRange;

    /// <summary>Semantic conventions: a server span is an error for codes that are the server's fault, not the caller's.</summary>
    private static void Tag(Activity? activity, StatusCode code)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("rpc.grpc.status_code", (int)code);
        if (code is StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Unimplemented or StatusCode.Internal
            or StatusCode.Unavailable or StatusCode.DataLoss)
        {
            activity.SetStatus(ActivityStatusCode.Error, StatusNames.Of(code));
            activity.SetTag("error.type", StatusNames.Of(code));
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Method} answered {StatusCode} in {ElapsedMs} ms to {Peer}")]
    private static partial void LogCall(ILogger logger, string method, string statusCode, double elapsedMs, string peer);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Rejected {Method} with {StatusCode}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string method, string statusCode, string reason);
}
