using System.IO.Compression;
using System.Text.Json;

namespace TextSearch.Search.Ingestion;

/// <summary>
/// Corpora as JSON lines, one document per line (`id, title, body, source`, optionally `date`), plain or gzipped
/// (by the .gz extension). The format of the SaudiNewsNet file and of generated corpora.
/// </summary>
public static class JsonlCorpus
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        // Arabic is written as is, not as \uXXXX escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IEnumerable<Document> Read(string path, int limit = int.MaxValue)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var n = 0;
        while (n < limit && reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            yield return new Document
            {
                Id = root.TryGetProperty("id", out var id) ? id.ToString() : n.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Title = Text(root, "title"),
                Body = Text(root, "body"),
                Source = Text(root, "source"),
                PublishedAt = Date(Text(root, "date")),
            };
            n++;
        }
    }

    // "2015-07-21 02:51:32" (SaudiNewsNet) or ISO 8601, read as UTC; anything else leaves the document undated.
    private static DateTimeOffset? Date(string value) =>
        DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;

    public static void Write(string path, IEnumerable<Document> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        using var file = File.Create(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var writer = new StreamWriter(stream);
        foreach (var doc in documents)
        {
            writer.WriteLine(JsonSerializer.Serialize(new { id = doc.Id, title = doc.Title, body = doc.Body, source = doc.Source }, WriteOptions));
        }
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;
}
