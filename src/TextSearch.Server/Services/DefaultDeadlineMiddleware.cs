using System.Globalization;
using Microsoft.Extensions.Options;
using TextSearch.Server.Hosting;

namespace TextSearch.Server.Services;

/// <summary>
/// Gives a gRPC call whose client sent no deadline the configured default one, by adding the grpc-timeout header
/// before gRPC reads it: the call's CancellationToken then fires at the deadline and the client gets DEADLINE_EXCEEDED,
/// exactly as with a client deadline. Health and reflection (long-lived Watch streams) get none.
/// </summary>
public sealed class DefaultDeadlineMiddleware(RequestDelegate next, IOptions<TextSearchOptions> options)
{
    private readonly string? _timeout = Format(options.Value.Limits.DefaultDeadlineSeconds);

    public Task InvokeAsync(HttpContext context)
    {
        if (_timeout is not null
            && context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true
            && !context.Request.Headers.ContainsKey("grpc-timeout")
            && !ExemptMethods.IsExempt(context.Request.Path.Value ?? string.Empty))
        {
            context.Request.Headers["grpc-timeout"] = _timeout;
        }

        return next(context);
    }

    /// <summary>grpc-timeout is at most 8 digits and a unit.</summary>
    private static string? Format(double seconds)
    {
        if (seconds <= 0 || double.IsNaN(seconds))
        {
            return null;
        }

        var ms = Math.Ceiling(seconds * 1000);
        return ms <= 99_999_999
            ? ((long)ms).ToString(CultureInfo.InvariantCulture) + "m"
            : ((long)Math.Min(Math.Ceiling(seconds), 99_999_999)).ToString(CultureInfo.InvariantCulture) + "S";
    }
}
