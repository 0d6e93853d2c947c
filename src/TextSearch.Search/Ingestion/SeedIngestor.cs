using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace TextSearch.Search.Ingestion;

public sealed record SeedReport(int Found, int Indexed, int Unchanged);

/// <summary>
/// Indexes the seed articles of a folder (*.txt, UTF-8). Idempotent: the id is the file name without its
/// extension, and a seed whose content has not changed since it was indexed is skipped.
/// </summary>
public sealed partial class SeedIngestor(ISearchBackend backend, ILogger<SeedIngestor> logger)
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
            var text = new UTF8Encoding(false, true).GetString(bytes).TrimStart('\uFEFF');
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
            var existing = await backend.GetAsync(doc.Id, cancellationToken).ConfigureAwait(false);
            if (existing is null || existing.Metadata.GetValueOrDefault(HashKey) != doc.Metadata[HashKey])
            {
                changed.Add(doc);
            }
        }

        if (changed.Count > 0)
        {
            await backend.UpsertAsync(changed, cancellationToken).ConfigureAwait(false);
        }

        var report = new SeedReport(documents.Count, changed.Count, documents.Count - changed.Count);
        LogSeeds(logger, folder, report.Found, report.Indexed, report.Unchanged);
        return report;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeds from {Folder}: {Found} found, {Indexed} indexed, {Unchanged} unchanged")]
    private static partial void LogSeeds(ILogger logger, string folder, int found, int indexed, int unchanged);
}
