using System.IO.Compression;
using System.Text.Json;
using TextSearch.Search;

namespace TextSearch.Perf;

/// <summary>Reads and writes corpora as JSON lines (id, title, body, source, date), optionally gzipped.</summary>
public static class CorpusFile
{
    // Arabic is written as is, not as \uXXXX escapes.
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
                Id = root.GetProperty("id").ToString(),
                Title = root.TryGetProperty("title", out var t) ? t.GetString() ?? string.Empty : string.Empty,
                Body = root.TryGetProperty("body", out var b) ? b.GetString() ?? string.Empty : string.Empty,
                Source = root.TryGetProperty("source", out var s) ? s.GetString() ?? string.Empty : string.Empty,
            };
            n++;
        }
    }

    public static void Write(string path, IEnumerable<Document> documents)
    {
        using var file = File.Create(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var writer = new StreamWriter(stream);
        foreach (var doc in documents)
        {
            writer.WriteLine(JsonSerializer.Serialize(new { id = doc.Id, title = doc.Title, body = doc.Body, source = doc.Source }, Json));
        }
    }

    /// <summary>UTF-8 bytes of the indexed text (title and body).</summary>
    public static long TextBytes(Document doc) => System.Text.Encoding.UTF8.GetByteCount(doc.Title) + System.Text.Encoding.UTF8.GetByteCount(doc.Body);
}
