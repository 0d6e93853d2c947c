using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using TextSearch.Server.Hosting;

namespace TextSearch.Server.Services;

/// <summary>
/// Gives a call whose client sent no deadline the configured default one. For gRPC and gRPC-Web it adds the
/// grpc-timeout header before gRPC reads it: the call's CancellationToken then fires at the deadline and the client
/// gets DEADLINE_EXCEEDED, exactly as with a client deadline. JSON transcoding has no deadlines (it ignores
/// grpc-timeout), so a JSON call's cancellation token (the request's RequestAborted) is linked with a timer instead,
/// and the deadline is kept in the request's features (<see cref="CallDeadline"/>) so that the
/// <see cref="ErrorInterceptor"/> reports a call stopped by it as DEADLINE_EXCEEDED (HTTP 504), not CANCELLED.
/// Client-streaming calls (bulk uploads, which run as long as the corpus takes to send) get the longer
/// <see cref="LimitsOptions.DefaultBulkDeadlineSeconds"/>. Health and reflection (long-lived Watch streams) get
/// none. Decided on the routed method (<see cref="CallTarget"/>).
/// </summary>
public sealed class DefaultDeadlineMiddleware(RequestDelegate next, IOptions<TextSearchOptions> options)
{
    // CancellationTokenSource.CancelAfter takes at most uint.MaxValue - 1 milliseconds.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    private readonly string? _timeout = Format(options.Value.Limits.DefaultDeadlineSeconds);
    private readonly TimeSpan _deadline = Span(options.Value.Limits.DefaultDeadlineSeconds);
    private readonly string? _bulkTimeout = Format(options.Value.Limits.DefaultBulkDeadlineSeconds);
    private readonly TimeSpan _bulkDeadline = Span(options.Value.Limits.DefaultBulkDeadlineSeconds);

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var call = CallTarget.Of(context);
        var bulk = call?.Method.Type == MethodType.ClientStreaming;
        var timeout = bulk ? _bulkTimeout : _timeout;
        var deadline = bulk ? _bulkDeadline : _deadline;
        if (timeout is null || call is null || call.IsExempt)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (call.Transport != CallTransport.Json)
        {
            if (!context.Request.Headers.ContainsKey("grpc-timeout"))
            {
                context.Request.Headers["grpc-timeout"] = timeout;
            }

            await next(context).ConfigureAwait(false);
            return;
        }

        var aborted = context.RequestAborted;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        context.Features.Set(new CallDeadline(DateTime.UtcNow + deadline));
        timer.CancelAfter(deadline);
        context.RequestAborted = timer.Token;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.RequestAborted = aborted;
        }
    }

    private static TimeSpan Span(double seconds) =>
        seconds > 0 ? TimeSpan.FromSeconds(Math.Min(seconds, LongestTimer.TotalSeconds)) : Timeout.InfiniteTimeSpan;

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

/// <summary>The deadline the server gave a JSON call (in UTC); past it, a cancelled call is DEADLINE_EXCEEDED.</summary>
public sealed class CallDeadline(DateTime deadline)
{
    public DateTime Deadline { get; } = deadline;

    /// <summary>True once the deadline of the call behind <paramref name="context"/> has passed.</summary>
    public static bool Passed(ServerCallContext context) =>
        context?.GetHttpContext().Features.Get<CallDeadline>() is { } deadline && deadline.Deadline <= DateTime.UtcNow;
}
