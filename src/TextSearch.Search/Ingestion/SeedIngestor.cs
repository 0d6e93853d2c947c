using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace TextSearch.Search.Ingestion;

public sealed record SeedReport(int Found, int Indexed, int Unchanged, int Failed = 0);

/// <summary>
/// Indexes the seed articles of a folder (*.txt, UTF-8) through the engine, so they are validated like any other
/// document and a seed the engine refuses is reported. Idempotent: the id is the file name without its extension, and
/// a seed whose content has not changed since it was indexed is skipped.
/// </summary>
public sealed partial class SeedIngestor(ISearchEngine engine, ILogger<SeedIngestor> logger)
{
    public const string HashKey = "seed_sha256";
    public const string OriginKey = "origin";

    public static IReadOnlyList<Document> Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Seeds folder '{folder}' does not exist.");
        }

        var documents = new List<Document>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.txt").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            var text = new UTF8Encoding(false, true).GetString(bytes).TrimStart(Analysis.ArabicChars.ZeroWidthNoBreakSpace); // a byte order mark
            var metadata = new Dictionary<string, string>
            {
                [OriginKey] = "seed",
                [HashKey] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            };
            documents.Add(ArticleExtractor.Extract(Path.GetFileNameWithoutExtension(path), text, metadata));
        }

        return documents;
    }

    public async Task<SeedReport> IngestAsync(string folder, CancellationToken cancellationToken)
    {
        var documents = Load(folder);
        var changed = new List<Document>();
        foreach (var doc in documents)
        {
            Document? existing;
            try
            {
                existing = await engine.FindAsync(doc.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (TextSearchException ex) when (ex.Kind == ErrorKind.InvalidArgument)
            {
                // An id the engine refuses: the upsert below reports it with the reason.
                existing = null;
            }

            if (existing is null || existing.Metadata.GetValueOrDefault(HashKey) != doc.Metadata[HashKey])
            {
                changed.Add(doc);
            }
        }

        var failed = 0;
        if (changed.Count > 0)
        {
            var result = await engine.BulkUpsertAsync(changed.Select(BulkEntry.Of).ToAsyncEnumerable(), cancellationToken).ConfigureAwait(false);
            foreach (var failure in result.Failures)
            {
                LogSeedRefused(logger, Path.Combine(folder, failure.Id + ".txt"), failure.Reason);
            }

            failed = result.Failures.Count;
        }

        var report = new SeedReport(documents.Count, changed.Count - failed, documents.Count - changed.Count, failed);
        LogSeeds(logger, folder, report.Found, report.Indexed, report.Unchanged, report.Failed);
        return report;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Seed {Path} was not indexed: {Reason}")]
    private static partial void LogSeedRefused(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeds from {Folder}: {Found} found, {Indexed} indexed, {Unchanged} unchanged, {Failed} refused")]
    private static partial void LogSeeds(ILogger logger, string folder, int found, int indexed, int unchanged, int failed);
}
