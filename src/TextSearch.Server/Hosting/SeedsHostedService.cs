using Microsoft.Extensions.Options;
using TextSearch.Search.Ingestion;

namespace TextSearch.Server.Hosting;

/// <summary>Indexes the seeds before the server starts listening (hosted services start first).</summary>
public sealed partial class SeedsHostedService(
    SeedIngestor ingestor, IOptions<TextSearchOptions> options, StartupState state, ILogger<SeedsHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.SeedsPath;
        if (string.IsNullOrWhiteSpace(configured))
        {
            LogSkipped(logger);
        }
        else
        {
            var folder = PathResolver.ResolveFolder(configured, probeUpwards: configured == "seeds");
            if (folder is null)
            {
                throw new DirectoryNotFoundException($"TextSearch:SeedsPath '{configured}' does not exist (set it to an existing folder, or to \"\" to skip seeds).");
            }

            await ingestor.IngestAsync(folder, cancellationToken).ConfigureAwait(false);
        }

        state.MarkReady();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "TextSearch:SeedsPath is empty: no seeds indexed")]
    private static partial void LogSkipped(ILogger logger);
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
