using Grpc.Core;
using Microsoft.Extensions.Options;
using TextSearch.Server.Hosting;

namespace TextSearch.Server.Services;

/// <summary>
/// Admits a call before anything reads its body: checks the API key (<see cref="ApiKeys"/>), then takes one of the
/// <c>MaxConcurrentCalls</c> slots, held until the call ends (beyond the cap: RESOURCE_EXHAUSTED at once, no queueing).
/// Health and reflection need no key and take no slot; health Watch streams, which live long, have their own cap
/// (<c>MaxHealthWatchers</c>). Runs right after routing and CORS, on the routed method's descriptor
/// (<see cref="CallTarget"/>), so every case of a path gets the same decision, and answers in the call's own protocol
/// (<see cref="CallResponses"/>). Turned-away calls are logged as "Rejected {Method}: {Reason}" with the method's
/// declared name and a fixed reason; never a key or anything else the client sent.
/// </summary>
public sealed partial class AdmissionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ApiKeys _keys;
    private readonly ILogger<AdmissionMiddleware> _logger;
    private readonly int _maxCalls;
    private readonly int _maxWatchers;
    private int _calls;
    private int _watchers;

    public AdmissionMiddleware(RequestDelegate next, ApiKeys keys, IOptions<TextSearchOptions> options, ILogger<AdmissionMiddleware> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _next = next;
        _keys = keys;
        _logger = logger;
        var limits = options.Value.Limits;
        _maxCalls = Math.Max(1, limits.MaxConcurrentCalls);
        _maxWatchers = Math.Max(0, limits.MaxHealthWatchers);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var call = CallTarget.Of(context);
        // Not a gRPC method (pages, /metrics, unknown methods), or a CORS preflight, which carries no call.
        if (call is null || (HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.ContainsKey("Access-Control-Request-Method")))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        if (call.IsHealthWatch)
        {
            await WatchAsync(context, call).ConfigureAwait(false);
            return;
        }

        if (call.IsExempt)
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        if (_keys.Check(context.Request.Headers, call.IsWrite) is { } refusal)
        {
            LogRejected(_logger, call.Method.FullName, refusal.Reason);
            await CallResponses.RefuseAsync(context, call, refusal.Code, refusal.Message).ConfigureAwait(false);
            return;
        }

        if (Interlocked.Increment(ref _calls) > _maxCalls)
        {
            Interlocked.Decrement(ref _calls);
            LogOverloaded(_logger, call.Method.FullName, _maxCalls);
            await CallResponses.RefuseAsync(
                context, call, StatusCode.ResourceExhausted, $"the server is at its limit of {_maxCalls} concurrent calls; retry with backoff.").ConfigureAwait(false);
            return;
        }

        try
        {
            await _next(context).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _calls);
        }
    }

    private async Task WatchAsync(HttpContext context, CallTarget call)
    {
        if (Interlocked.Increment(ref _watchers) > _maxWatchers)
        {
            Interlocked.Decrement(ref _watchers);
            LogTooManyWatchers(_logger, call.Method.FullName, _maxWatchers);
            await CallResponses.RefuseAsync(
                context, call, StatusCode.ResourceExhausted,
                $"the server is at its limit of {_maxWatchers} health Watch streams; use Check, or retry with backoff.").ConfigureAwait(false);
            return;
        }

        try
        {
            await _next(context).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _watchers);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Method}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string method, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Method}: {MaxCalls} calls already in flight")]
    private static partial void LogOverloaded(ILogger logger, string method, int maxCalls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Method}: {MaxWatchers} health Watch streams already open")]
    private static partial void LogTooManyWatchers(ILogger logger, string method, int maxWatchers);
}
