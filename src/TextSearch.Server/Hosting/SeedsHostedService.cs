using Microsoft.Extensions.Options;
using TextSearch.Search;
using TextSearch.Search.Ingestion;

namespace TextSearch.Server.Hosting;

/// <summary>
/// Indexes the seeds before the server starts listening (hosted services start first). When the engine is
/// unavailable (an Elasticsearch cluster that is down), the server starts anyway, reports NOT_SERVING, and keeps
/// retrying in the background until the seeds are in.
/// </summary>
public sealed partial class SeedsHostedService(
    SeedIngestor ingestor, IOptions<TextSearchOptions> options, StartupState state, ILogger<SeedsHostedService> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _retries;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.SeedsPath;
        if (string.IsNullOrWhiteSpace(configured))
        {
            LogSkipped(logger);
            state.MarkReady();
            return;
        }

        var folder = PathResolver.ResolveFolder(configured, probeUpwards: configured == "seeds")
            ?? throw new DirectoryNotFoundException($"TextSearch:SeedsPath '{configured}' does not exist (set it to an existing folder, or to \"\" to skip seeds).");
        if (!await TryIngestAsync(folder, cancellationToken).ConfigureAwait(false))
        {
            _retries = RetryAsync(folder, _stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_retries is not null)
        {
            await _retries.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task<bool> TryIngestAsync(string folder, CancellationToken cancellationToken)
    {
        try
        {
            await ingestor.IngestAsync(folder, cancellationToken).ConfigureAwait(false);
            state.MarkReady();
            return true;
        }
        catch (TextSearchException ex) when (ex.Kind is ErrorKind.Unavailable or ErrorKind.DeadlineExceeded or ErrorKind.ResourceExhausted)
        {
            LogEngineUnavailable(logger, ex.Message);
            return false;
        }
        catch (TextSearchException ex) when (ex.Kind is ErrorKind.FailedPrecondition)
        {
            // e.g. an Elasticsearch cluster that rejects our credentials: a configuration error, but the server stays
            // up (NOT_SERVING) so the fix does not need a restart loop, and keeps retrying.
            LogEngineRejected(logger, ex.Message);
            return false;
        }
    }

    private async Task RetryAsync(string folder, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (cancellationToken.IsCancellationRequested || await TryIngestAsync(folder, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TextSearch:SeedsPath is empty: no seeds indexed")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The engine refuses the server ({Reason}); health is NOT_SERVING, retrying")]
    private static partial void LogEngineRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Seeds not indexed yet, the engine is unavailable ({Reason}); health is NOT_SERVING, retrying")]
    private static partial void LogEngineUnavailable(ILogger logger, string reason);
}

internal static class PathResolver
{
    /// <summary>
    /// Resolves a folder relative to the working directory; for defaults, also looks upwards from the working
    /// directory and the app's folder, so `dotnet run` works from the repository root or the project folder.
    /// </summary>
    public static string? ResolveFolder(string path, bool probeUpwards)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full) || Path.IsPathRooted(path) || !probeUpwards)
        {
            return Directory.Exists(full) ? full : null;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, path);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
