using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace TextSearch.Server.Hosting;

/// <summary>
/// Guards the HTTP/1.1 side against DNS rebinding: a web page on another site must not reach a TextSearch that
/// listens on this machine's loopback by pointing its own host name at 127.0.0.1. Requests that arrive on the HTTP
/// listener must name an allowed host (<c>TextSearch:HttpAllowedHosts</c>; by default, when every HttpUrl is a
/// loopback address, only localhost, 127.0.0.1 and [::1]). The gRPC listener is not guarded: browsers cannot speak
/// h2c.
/// </summary>
internal sealed class HttpHostGuard(RequestDelegate next, Listeners listeners, IOptions<TextSearchOptions> options)
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "::1", "[::1]"];

    private readonly FrozenSet<string>? _allowed = Allowed(options.Value, listeners.HttpIsLoopbackOnly);
    private FrozenSet<int>? _httpPorts;

    public Task InvokeAsync(HttpContext context)
    {
        if (_allowed is null)
        {
            return next(context);
        }

        _httpPorts ??= listeners.Http.Select(u => u.Port).ToFrozenSet();
        if (!_httpPorts.Contains(context.Connection.LocalPort) || _allowed.Contains(context.Request.Host.Host))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(
            $"Host '{context.Request.Host.Host}' is not served here (TextSearch:HttpAllowedHosts).", context.RequestAborted);
    }

    /// <summary>The allowed host names, or null for any.</summary>
    private static FrozenSet<string>? Allowed(TextSearchOptions options, bool loopbackOnly)
    {
        if (options.HttpAllowedHosts.Count > 0)
        {
            return options.HttpAllowedHosts.Contains("*") ? null : options.HttpAllowedHosts.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        }

        return loopbackOnly ? LoopbackNames.ToFrozenSet(StringComparer.OrdinalIgnoreCase) : null;
    }
}
