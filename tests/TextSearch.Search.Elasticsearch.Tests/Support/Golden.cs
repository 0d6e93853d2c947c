using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TextSearch.Search.Elasticsearch.Tests.Support;

/// <summary>
/// Golden files of requests (Golden/*.http): the request line, the content type and the body, JSON bodies indented,
/// NDJSON bodies as sent. UPDATE_GOLDEN=1 rewrites them in the source tree (then review the diff).
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
            sb.Append(request.ContentType?.StartsWith("application/x-ndjson", StringComparison.Ordinal) == true
                ? request.Body
                : JsonNode.Parse(request.Body)!.ToJsonString(Indented) + "\n");
        }

        return sb.ToString();
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
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
