using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using TextSearch.Server.Observability;

namespace TextSearch.Server.Services;

/// <summary>
/// Answers a call from a middleware, before gRPC runs, in the call's own protocol: a trailers-only response (the
/// status in the headers, no body) for gRPC and gRPC-Web, and for a JSON call the error JSON transcoding writes
/// (<c>{"code":N,"message":"…","details":[]}</c> with the HTTP status transcoding uses for that code).
/// </summary>
internal static class CallResponses
{
    public static Task RefuseAsync(HttpContext context, CallTarget call, StatusCode code, string message)
    {
        var observation = context.Features.Get<CallObservation>();
        observation?.Status = code;
        // The middleware that refuses a call logs it; the per-call middleware need not log it again.
        observation?.Logged = true;

        var response = context.Response;
        if (call.Transport == CallTransport.Json)
        {
            return WriteJsonErrorAsync(response, code, message);
        }

        response.StatusCode = StatusCodes.Status200OK;
        // Before the gRPC-Web middleware the request still has its gRPC-Web content type, and the answer must have it
        // too; after it, the middleware turns application/grpc back into gRPC-Web.
        var requestType = context.Request.ContentType;
        response.ContentType = CallTarget.IsContentType(requestType, "application/grpc-web-text") ? "application/grpc-web-text"
            : CallTarget.IsContentType(requestType, "application/grpc-web") ? "application/grpc-web"
            : "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }

    private static async Task WriteJsonErrorAsync(HttpResponse response, StatusCode code, string message)
    {
        response.StatusCode = HttpStatusOf(code);
        response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(response.Body);
        json.WriteStartObject();
        json.WriteNumber("code", (int)code);
        json.WriteString("message", message);
        json.WriteStartArray("details");
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>The HTTP status JSON transcoding answers for a gRPC status code.</summary>
    internal static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.Cancelled => StatusCodes.Status408RequestTimeout,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
