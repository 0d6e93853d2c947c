using System.Diagnostics;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using TextSearch.Cli.Client;

namespace TextSearch.Cli.Bench;

/// <summary>
/// The load loop: <see cref="BenchSettings.Concurrency"/> workers, worker i on channel i mod
/// <see cref="BenchSettings.Connections"/>. Every channel has its own <see cref="SocketsHttpHandler"/>, hence its own
/// connection pool and its own HTTP/2 connection; the handler counts the connections it really opens. A worker takes
/// the next call number, sends request N, and records the latency (Stopwatch timestamps) and the status in the run's
/// <see cref="BenchRecorder"/>, whose HdrHistograms take concurrent recordings without a lock.
/// </summary>
internal sealed class BenchRunner(BenchSettings settings, BenchWorkload workload, Uri server, string serverText, TimeSpan? deadline)
{
    private long _nextRequest;
    private int _connectionsOpened;

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        var handlers = new SocketsHttpHandler[settings.Connections];
        var channels = new GrpcChannel[settings.Connections];
        var callers = new Func<long, CallOptions, Task>[settings.Connections];
        try
        {
            for (var i = 0; i < channels.Length; i++)
            {
                handlers[i] = CreateHandler();
                channels[i] = GrpcChannel.ForAddress(server, new GrpcChannelOptions { HttpHandler = handlers[i], DisposeHttpClient = true });
                callers[i] = workload.CreateCaller(channels[i].CreateCallInvoker());
            }

            if (settings.Warmup > 0)
            {
                await RunPhaseAsync(callers, new Phase(settings.Warmup, null), null, cancellationToken).ConfigureAwait(false);
            }

            var recorder = new BenchRecorder();
            var started = Stopwatch.GetTimestamp();
            if (!cancellationToken.IsCancellationRequested)
            {
                var phase = new Phase(settings.Count ?? 0, settings.Duration is { } d ? started + (long)(d.TotalSeconds * Stopwatch.Frequency) : null);
                await RunPhaseAsync(callers, phase, recorder, cancellationToken).ConfigureAwait(false);
            }

            var total = Stopwatch.GetElapsedTime(started);
            return BenchReport.Build(
                recorder,
                total,
                settings.CountErrors,
                workload.Method,
                serverText,
                settings.Concurrency,
                settings.Connections,
                Volatile.Read(ref _connectionsOpened),
                settings.Warmup) with
            {
                UniqueIdTag = workload.UniqueIdTag,
                Cancelled = cancellationToken.IsCancellationRequested,
            };
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel?.Dispose();
            }

            foreach (var handler in handlers)
            {
                handler?.Dispose();
            }
        }
    }

    private Task RunPhaseAsync(Func<long, CallOptions, Task>[] callers, Phase phase, BenchRecorder? recorder, CancellationToken cancellationToken)
    {
        var workers = new Task[settings.Concurrency];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = WorkerAsync(callers[i % callers.Length], phase, recorder, cancellationToken);
        }

        return Task.WhenAll(workers);
    }

    private async Task WorkerAsync(Func<long, CallOptions, Task> call, Phase phase, BenchRecorder? recorder, CancellationToken cancellationToken)
    {
        // Start every worker before the first one runs its loop.
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested && phase.TryTake())
        {
            var n = Interlocked.Increment(ref _nextRequest) - 1;
            var options = new CallOptions(deadline: deadline is { } d ? DateTime.UtcNow + d : null, cancellationToken: cancellationToken);
            var start = Stopwatch.GetTimestamp();
            try
            {
                await call(n, options).ConfigureAwait(false);
                recorder?.RecordOk(Stopwatch.GetTimestamp() - start);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                // Ctrl+C: the call we cancelled ourselves is not a result.
                break;
            }
            catch (RpcException ex)
            {
                recorder?.RecordError(Stopwatch.GetTimestamp() - start, ex.StatusCode, ErrorMessages.OneLine(ex.Status.Detail));
            }
            catch (Exception ex)
            {
                // Not a gRPC status (a bug, or a failure outside the call): counted as UNKNOWN with its message.
                recorder?.RecordError(Stopwatch.GetTimestamp() - start, StatusCode.Unknown, $"{ex.GetType().Name}: {ErrorMessages.OneLine(ex.Message)}");
            }
        }
    }

    /// <summary>
    /// One handler per channel: its own pool, so its own HTTP/2 connection. EnableMultipleHttp2Connections stays off so
    /// that a channel never opens a second connection: calls beyond the server's stream limit (Kestrel: 100 per
    /// connection) wait in the client, as they do in ghz; use more --connections for more.
    /// </summary>
    private SocketsHttpHandler CreateHandler() => new()
    {
        EnableMultipleHttp2Connections = false,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _connectionsOpened);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>Hands out the calls of one phase: up to a count (0: no limit) and/or until a Stopwatch timestamp.</summary>
    private sealed class Phase(long count, long? endTimestamp)
    {
        private long _taken;

        public bool TryTake()
        {
            if (endTimestamp is { } end && Stopwatch.GetTimestamp() >= end)
            {
                return false;
            }

            return count <= 0 || Interlocked.Increment(ref _taken) <= count;
        }
    }
}
