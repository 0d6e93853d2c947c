using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using TextSearch.Server.Hosting;

namespace TextSearch.Server.Services;

/// <summary>
/// Caps the calls in flight (beyond the cap: RESOURCE_EXHAUSTED at once, no queueing). Health and reflection are
/// neither counted nor limited. (The default deadline is <see cref="DefaultDeadlineMiddleware"/>.)
/// </summary>
public sealed partial class LimitsInterceptor : Interceptor, IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _maxCalls;
    private readonly ILogger<LimitsInterceptor> _logger;

    public LimitsInterceptor(IOptions<TextSearchOptions> options, ILogger<LimitsInterceptor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value.Limits;
        _maxCalls = Math.Max(1, limits.MaxConcurrentCalls);
        _slots = new SemaphoreSlim(_maxCalls, _maxCalls);
        _logger = logger;
    }

    public void Dispose() => _slots.Dispose();

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, c => continuation(request, c));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, c => continuation(requestStream, c));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, async c =>
        {
            await continuation(request, responseStream, c).ConfigureAwait(false);
            return true;
        });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, async c =>
        {
            await continuation(requestStream, responseStream, c).ConfigureAwait(false);
            return true;
        });

    private async Task<T> RunAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> call)
    {
        if (ExemptMethods.IsExempt(context.Method))
        {
            return await call(context).ConfigureAwait(false);
        }

        if (!_slots.Wait(0))
        {
            LogOverloaded(_logger, context.Method, _maxCalls);
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted, $"the server is at its limit of {_maxCalls} concurrent calls; retry with backoff."));
        }

        try
        {
            return await call(context).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Method}: {MaxCalls} calls already in flight")]
    private static partial void LogOverloaded(ILogger logger, string method, int maxCalls);
}
