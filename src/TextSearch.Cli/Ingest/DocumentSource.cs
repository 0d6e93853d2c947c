using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using TextSearch.Cli.Syntax;
using TextSearch.V1;

namespace TextSearch.Cli.Ingest;

/// <summary>A document read from disk, or why a piece of input could not become one.</summary>
/// <param name="Request">The message to stream; null when <paramref name="Error"/> is set.</param>
/// <param name="Origin">Where it came from: "file.txt" or "file.jsonl:17".</param>
/// <param name="Error">Why the input was not sent.</param>
internal sealed record SourceItem(UpsertDocumentRequest? Request, string Origin, string? Error = null)
{
    public string Id => Request?.Document?.Id ?? string.Empty;
}

/// <summary>
/// The documents behind the PATH of <c>textsearch index</c>: a .txt file, a .jsonl or .jsonl.gz file, or a folder of
/// them. Read lazily, one document at a time, so a large corpus streams without being loaded; <see cref="BytesRead"/>
/// follows the reading for the progress bar.
/// </summary>
internal sealed class DocumentSource
{
    private readonly IReadOnlyList<(string Path, long Length)> _files;
    private long _finishedBytes;

    private DocumentSource(string path, IReadOnlyList<(string Path, long Length)> files)
    {
        Path = path;
        _files = files;
        TotalBytes = files.Sum(f => f.Length);
    }

    public string Path { get; }

    public int FileCount => _files.Count;

    public long TotalBytes { get; }

    /// <summary>Bytes of the input consumed so far (compressed bytes for .gz).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Checks the path; a path that cannot be read is a usage error of <paramref name="command"/>.</summary>
    public static DocumentSource Open(string path, string command = "index")
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(command);
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path)
                .Where(f => Kind(f) is not null)
                .Order(StringComparer.Ordinal)
                .Select(f => (f, new FileInfo(f).Length))
                .ToList();
            return files.Count > 0
                ? new DocumentSource(path, files)
                : throw new UsageException($"{command}: the folder '{path}' has no .txt, .jsonl or .jsonl.gz files.", command);
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{command}: '{path}' does not exist.", command);
        }

        return Kind(path) is not null
            ? new DocumentSource(path, [(path, new FileInfo(path).Length)])
            : throw new UsageException($"{command}: '{path}' is not a .txt, .jsonl or .jsonl.gz file, nor a folder.", command);
    }

    public IEnumerable<SourceItem> Read()
    {
        foreach (var (file, length) in _files)
        {
            var items = Kind(file) == FileKind.Text ? ReadText(file) : ReadJsonLines(file, Kind(file) == FileKind.JsonLinesGzip);
            foreach (var item in items)
            {
                yield return item;
            }

            _finishedBytes += length;
            BytesRead = _finishedBytes;
        }
    }

    /// <summary>A .txt file: id = the file name without .txt, title = the first non-empty line, body = the rest.</summary>
    internal static SourceItem FromText(string id, string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var titleLine = Array.FindIndex(lines, l => l.Trim().Length > 0);
        var title = titleLine >= 0 ? lines[titleLine].Trim() : string.Empty;
        var body = titleLine >= 0 ? string.Join('\n', lines[(titleLine + 1)..]).Trim() : string.Empty;
        var document = new Document { Id = id, Title = title, Body = body };
        return new SourceItem(new UpsertDocumentRequest { Document = document }, origin);
    }

    /// <summary>One line of a .jsonl file: {"id", "title", "body", "source", "date" | "publishedAt", "metadata"}.</summary>
    internal static SourceItem FromJsonLine(string line, string origin)
    {
        ArgumentNullException.ThrowIfNull(line);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            return new SourceItem(null, origin, $"not valid JSON ({ex.Message.Split('.')[0]}).");
        }

        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new SourceItem(null, origin, "not a JSON object.");
            }

            var document = new Document();
            foreach (var property in root.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name)
                {
                    case "id" or "title" or "body" or "source" when value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null):
                        return new SourceItem(null, origin, $"\"{property.Name}\" must be a string.");
                    case "id":
                        document.Id = value.GetString() ?? string.Empty;
                        break;
                    case "title":
                        document.Title = value.GetString() ?? string.Empty;
                        break;
                    case "body":
                        document.Body = value.GetString() ?? string.Empty;
                        break;
                    case "source":
                        document.Source = value.GetString() ?? string.Empty;
                        break;
                    case "date" or "publishedAt" or "published_at" when value.ValueKind == JsonValueKind.Null:
                        break;
                    case "date" or "publishedAt" or "published_at":
                        if (value.ValueKind != JsonValueKind.String || ParseDate(value.GetString()!) is not { } date)
                        {
                            return new SourceItem(null, origin, $"\"{property.Name}\" must be an ISO 8601 date such as 2019-02-20 or 2019-02-20T10:00:00Z.");
                        }

                        document.PublishedAt = Timestamp.FromDateTimeOffset(date);
                        break;
                    case "metadata" when value.ValueKind == JsonValueKind.Null:
                        break;
                    case "metadata":
                        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
                        {
                            return new SourceItem(null, origin, "\"metadata\" must be an object of strings.");
                        }

                        foreach (var entry in value.EnumerateObject())
                        {
                            document.Metadata[entry.Name] = entry.Value.GetString()!;
                        }

                        break;
                }
            }

            return new SourceItem(new UpsertDocumentRequest { Document = document }, origin);
        }
    }

    internal static DateTimeOffset? ParseDate(string text)
    {
        // A date, or a date and a time separated by a space as SQL dumps write them ("2015-07-21 02:51:32"), in UTC.
        string[] dateOnly = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF"];
        if (DateTime.TryParseExact(text.Trim(), dateOnly, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
        {
            return new DateTimeOffset(day, TimeSpan.Zero);
        }

        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) && text.Contains('T', StringComparison.Ordinal)
            ? moment.ToUniversalTime()
            : null;
    }

    private IEnumerable<SourceItem> ReadText(string file)
    {
        var text = File.ReadAllText(file, Encoding.UTF8);
        BytesRead = _finishedBytes + new FileInfo(file).Length;
        yield return FromText(System.IO.Path.GetFileNameWithoutExtension(file), text, file);
    }

    private IEnumerable<SourceItem> ReadJsonLines(string file, bool gzip)
    {
        using var stream = File.OpenRead(file);
        using var decompressed = gzip ? new GZipStream(stream, CompressionMode.Decompress) : null;
        using var reader = new StreamReader((Stream?)decompressed ?? stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            BytesRead = _finishedBytes + stream.Position;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            yield return FromJsonLine(line, $"{file}:{lineNumber}");
        }
    }

    private enum FileKind
    {
        Text,
        JsonLines,
        JsonLinesGzip,
    }

    private static FileKind? Kind(string path) =>
        path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) ? FileKind.Text
        : path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? FileKind.JsonLines
        : path.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase) ? FileKind.JsonLinesGzip
        : null;
}
