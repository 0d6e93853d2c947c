using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using TextSearch.V1;

namespace TextSearch.Server.Browser.Tests;

/// <summary>
/// A real server with the seeds (two of the five have a source, one has a date) and four more dated articles about
/// the same subject, so sorting by date and date ranges have something to order and narrow. One source is markup,
/// which the page must show as text.
/// </summary>
public sealed class FeaturesServerFixture : IAsyncLifetime
{
    /// <summary>The seed with a date (2017-10-14) and a source.</summary>
    public const string DatedSeed = "000_e7c410046469def3";

    /// <summary>A seed with a source (الخليج) and no date.</summary>
    public const string KhaleejSeed = "003_46747d5c7beb1e50";

    public const string Agency = "وكالة الاختبار";

    public const string MarkupSource = "<b>مصدر</b>";

    private readonly ServerFixture _server = new();
    private HttpClient _http = null!;

    public Uri HttpAddress => _server.HttpAddress;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _http = new HttpClient { BaseAddress = _server.HttpAddress };
        var documents = new DocumentService.DocumentServiceClient(_server.Channel);
        (string Id, string Title, string Body, string Source, DateTime Date)[] articles =
        [
            ("features-2016", "داعش يعلن سيطرته على الرقة", "أعلن تنظيم داعش سيطرته على الرقة، وقال سكان إن داعش فرض قيودا جديدة، وإن مقاتلي داعش انتشروا في الأحياء.", "الخليج", new DateTime(2016, 11, 5, 0, 0, 0, DateTimeKind.Utc)),
            ("features-2018", "اقتصاد المنطقة بعد الحرب", "تحاول أسواق المنطقة التعافي بعد سنوات الحرب على داعش، وتعود التجارة ببطء إلى المدن.", Agency, new DateTime(2018, 6, 10, 12, 0, 0, DateTimeKind.Utc)),
            ("features-2019", "هزيمة داعش الأخيرة في الباغوز", "خسر تنظيم داعش آخر جيوبه في الباغوز شرق سوريا بعد معارك استمرت أسابيع.", Agency, new DateTime(2019, 3, 23, 0, 0, 0, DateTimeKind.Utc)),
            ("features-markup", "مصادر متعددة عن داعش", "تقرير عن داعش نشرته جهة اسمها مكتوب بعلامات.", MarkupSource, new DateTime(2015, 2, 1, 0, 0, 0, DateTimeKind.Utc)),
        ];
        foreach (var (id, title, body, source, date) in articles)
        {
            await documents.UpsertDocumentAsync(new UpsertDocumentRequest
            {
                Document = new Document { Id = id, Title = title, Body = body, Source = source, PublishedAt = Timestamp.FromDateTime(date) },
            });
        }
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>GET on the JSON API; the query string is given already escaped.</summary>
    public async Task<JsonElement> GetJsonAsync(string pathAndQuery)
    {
        using var reply = await _http.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
        var text = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.IsSuccessStatusCode, $"GET {pathAndQuery}: {(int)reply.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The hit ids of GET /v1/search with these parameters (values unescaped).</summary>
    public async Task<string[]> SearchIdsAsync(params (string Name, string Value)[] parameters)
    {
        var response = await GetJsonAsync("v1/search?" + Query(parameters));
        return Ids(response);
    }

    public static string[] Ids(JsonElement response) =>
        response.TryGetProperty("hits", out var hits) ? [.. hits.EnumerateArray().Select(h => h.GetProperty("id").GetString()!)] : [];

    public static string Query(params (string Name, string Value)[] parameters) =>
        string.Join('&', parameters.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value)));
}
