using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Playwright;
using TextSearch.V1;

namespace TextSearch.Server.Browser.Tests;

/// <summary>
/// The web search page at / in headless Chromium, driven by Playwright: search for a seed term, check the results,
/// highlights, normalization preview and pagination against the JSON API, and save a screenshot.
/// </summary>
public sealed class SearchPageTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Term = "سوريا";

    // Typed with diacritics and a hamza on the alef: the preview must show what the query became.
    private const string TypedQuery = "سُورِيَا";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    public static string ScreenshotPath => System.IO.Path.Combine(
        Environment.GetEnvironmentVariable("TEXTSEARCH_SCREENSHOTS") is { Length: > 0 } dir ? dir : System.IO.Path.Combine(AppContext.BaseDirectory, "screenshots"),
        "search-page.png");

    [ChromiumFact]
    public async Task Search_shows_results_highlights_preview_and_pages()
    {
        // Twelve more articles about the term (the seeds have five), so the results run to a second page.
        var documents = new DocumentService.DocumentServiceClient(server.Channel);
        for (var i = 1; i <= 12; i++)
        {
            await documents.UpsertDocumentAsync(new UpsertDocumentRequest
            {
                Document = new Document
                {
                    Id = $"browser-{i:00}",
                    Title = $"تقرير رقم {i} عن الاقتصاد",
                    Body = $"قال التقرير إن صادرات سوريا من القمح ارتفعت في الموسم {i} بعد سنوات من التراجع، وإن أسواق المنطقة تنتظر المزيد.",
                    Source = "وكالة الاختبار",
                    PublishedAt = Timestamp.FromDateTime(new DateTime(2024, 3, i, 0, 0, 0, DateTimeKind.Utc)),
                },
            });
        }

        using var http = new HttpClient { BaseAddress = server.HttpAddress };
        var api = JsonDocument.Parse(await http.GetStringAsync(new Uri($"v1/search?query={Uri.EscapeDataString(TypedQuery)}&pageSize=10", UriKind.Relative))).RootElement;
        var apiIds = api.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()).ToList();
        Assert.Equal(10, apiIds.Count);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Path,
            Headless = true,
            Args = ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "ar", ViewportSize = new ViewportSize { Width = 1100, Height = 1400 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(server.HttpAddress.ToString());
        Assert.Equal("rtl", await page.GetAttributeAsync("html", "dir"));
        Assert.Equal("ar", await page.GetAttributeAsync("html", "lang"));

        await page.FillAsync("#q", TypedQuery);
        await page.ClickAsync("#go");
        await page.WaitForSelectorAsync("#results li.hit");

        // The same hits as the JSON API, in the same order.
        var ids = await page.Locator("#results li.hit").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.id)");
        Assert.Equal(apiIds, ids);

        // Titles, source and date.
        var titles = await page.Locator("#results li.hit h2").AllTextContentsAsync();
        Assert.All(titles, t => Assert.False(string.IsNullOrWhiteSpace(t)));
        var ours = page.Locator("#results li.hit[data-id='browser-01']");
        if (await ours.CountAsync() == 1)
        {
            Assert.Equal("وكالة الاختبار", await ours.Locator(".source").TextContentAsync());
            Assert.Equal("2024-03-01T00:00:00Z", await ours.Locator("time").GetAttributeAsync("datetime"));
        }

        // Highlights: every hit has marked words in its snippets, and each marked word is the searched word.
        var marks = await page.Locator("#results .snippet mark").AllTextContentsAsync();
        Assert.NotEmpty(marks);
        Assert.All(marks, m => Assert.Contains("سوري", m, StringComparison.Ordinal));
        Assert.Equal(ids.Length, await page.Locator("#results li.hit:has(.snippet mark)").CountAsync());

        // The normalization preview: what the query became, and the terms searched.
        Assert.Equal(Term, await page.TextContentAsync("#normalized"));
        Assert.Equal(api.GetProperty("normalizedQuery").GetString(), await page.TextContentAsync("#normalized"));
        Assert.NotEmpty(await page.Locator("#terms code").AllTextContentsAsync());
        Assert.True(await page.IsVisibleAsync("#preview"));
        Assert.False(await page.IsVisibleAsync("#key-row"));
        Assert.False(await page.IsVisibleAsync("#error"));

        // Save the screenshot of the first page.
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(ScreenshotPath)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
        Assert.True(new FileInfo(ScreenshotPath).Length > 10_000);

        // Pagination: the next page has the rest, and previous comes back.
        Assert.True(await page.IsEnabledAsync("#next"));
        Assert.False(await page.IsEnabledAsync("#prev"));
        await page.ClickAsync("#next");
        await page.WaitForFunctionAsync("first => document.querySelector('#results li.hit')?.dataset.id !== first", ids[0]);
        var second = await page.Locator("#results li.hit").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.id)");
        Assert.NotEmpty(second);
        Assert.Empty(second.Intersect(ids));
        Assert.Equal(17, ids.Length + second.Length);
        Assert.False(await page.IsEnabledAsync("#next"));
        Assert.Contains("page=2", page.Url, StringComparison.Ordinal);

        await page.ClickAsync("#prev");
        await page.WaitForFunctionAsync("first => document.querySelector('#results li.hit')?.dataset.id === first", ids[0]);

        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task A_query_with_no_results_and_a_rejected_query_are_explained()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Path,
            Headless = true,
            Args = ChromiumArgs,
        });
        var page = await browser.NewPageAsync();

        // A shared link searches at once.
        await page.GotoAsync(new Uri(server.HttpAddress, "?q=" + Uri.EscapeDataString("كلمةغيرموجودةابدا")).ToString());
        await page.WaitForFunctionAsync("() => document.querySelector('#status').textContent.includes('لا نتائج')");
        Assert.Equal(0, await page.Locator("#results li.hit").CountAsync());

        // More than 64 terms: the server's INVALID_ARGUMENT message is shown, not a blank page.
        await page.FillAsync("#q", string.Join(' ', Enumerable.Repeat("كلمة", 70)));
        await page.ClickAsync("#go");
        await page.WaitForSelectorAsync("#error:not([hidden])");
        Assert.Contains("400", await page.TextContentAsync("#error"), StringComparison.Ordinal);
    }
}
