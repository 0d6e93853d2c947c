using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TextSearch.Search.Elasticsearch.Tests.Support;

/// <summary>
/// Golden files of requests (Golden/*.http): the request line, the content type and the body (JSON indented, NDJSON
/// as sent). They are compared for what Elasticsearch reads, not byte for byte: the query string as a set of
/// parameters, the media type without spaces, and each JSON body in a canonical form (object keys sorted, a
/// one-element array and its element alike, numbers by value, escapes decoded). UPDATE_GOLDEN=1 rewrites them from
/// what the client sends (then review the diff).
/// </summary>
internal static class Golden
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(RecordedRequest request)
    {
        var sb = new StringBuilder();
        sb.Append(request.Method).Append(' ').Append(Uri.UnescapeDataString(request.PathAndQuery)).Append('\n');
        if (request.ContentType is not null)
        {
            sb.Append("Content-Type: ").Append(request.ContentType).Append('\n');
        }

        if (request.Body.Length > 0)
        {
            sb.Append('\n');
            sb.Append(IsNdjson(request.ContentType) ? request.Body : JsonNode.Parse(request.Body)!.ToJsonString(Indented) + "\n");
        }

        return sb.ToString();
    }

    /// <summary>What Elasticsearch reads from a rendered request, in a canonical form.</summary>
    public static string Canonical(string rendered)
    {
        var lines = rendered.ReplaceLineEndings("\n").Split('\n');
        var requestLine = lines[0].Split(' ', 2);
        var target = requestLine[1].Split('?', 2);
        var query = target.Length > 1 ? string.Join('&', target[1].Split('&').Order(StringComparer.Ordinal)) : string.Empty;
        var contentType = lines.Length > 1 && lines[1].StartsWith("Content-Type: ", StringComparison.Ordinal) ? lines[1]["Content-Type: ".Length..].Replace(" ", string.Empty, StringComparison.Ordinal) : null;
        var bodyStart = Array.IndexOf(lines, string.Empty);
        var body = bodyStart < 0 ? string.Empty : string.Join('\n', lines[(bodyStart + 1)..]).Trim();
        var json = body.Length == 0
            ? []
            : IsNdjson(contentType) ? body.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [body];
        return $"{requestLine[0]} {target[0]}?{query}\n{contentType}\n" + string.Join('\n', json.Select(j => Canonical(JsonNode.Parse(j))));
    }

    public static void AssertMatches(string name, RecordedRequest request)
    {
        var actual = Render(request);
        var sourcePath = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(ThisFile()))!, "Golden", name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(sourcePath, actual);
            return;
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Golden", name);
        Assert.True(File.Exists(path), $"golden file {name} is missing; run with UPDATE_GOLDEN=1 and review it");
        Assert.Equal(Canonical(File.ReadAllText(path)), Canonical(actual));
    }

    private static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(',', o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonSerializer.Serialize(p.Key) + ":" + Canonical(p.Value))) + "}",
        JsonArray { Count: 1 } a => Canonical(a[0]),
        JsonArray a => "[" + string.Join(',', a.Select(Canonical)) + "]",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(Indented),
    };

    private static bool IsNdjson(string? contentType) => contentType?.Contains("ndjson", StringComparison.Ordinal) == true;

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
