using Microsoft.Playwright;

namespace TextSearch.Server.Browser.Tests;

/// <summary>
/// Headless Debian Chromium with one page, launched as <see cref="SearchPageTests"/> launches it; console errors and
/// page errors (a content security policy violation is one) are collected for the test to assert none.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => Errors.Add(error);
    }

    public IPage Page { get; }

    public List<string> Errors { get; } = [];

    public static async Task<BrowserSession> StartAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Path,
            Headless = true,
            Args = ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "ar", ViewportSize = new ViewportSize { Width = 1100, Height = 1400 } });
        return new BrowserSession(playwright, browser, await context.NewPageAsync());
    }

    /// <summary>Waits until no search is running (the results list is not busy).</summary>
    public Task WaitIdleAsync() =>
        Page.WaitForFunctionAsync("() => !document.querySelector('#results').hasAttribute('aria-busy')");

    /// <summary>
    /// Waits (generously) until the page is idle showing these hits in this order, then asserts it: on a timeout the
    /// assertion reports what is shown instead.
    /// </summary>
    public async Task ExpectIdsAsync(IReadOnlyList<string> expected)
    {
        try
        {
            await Page.WaitForFunctionAsync(
                "expected => !document.querySelector('#results').hasAttribute('aria-busy') && JSON.stringify([...document.querySelectorAll('#results li.hit')].map(i => i.dataset.id)) === JSON.stringify(expected)",
                expected,
                new PageWaitForFunctionOptions { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
        }

        Assert.Equal(expected, await IdsAsync());
    }

    /// <summary>The ids of the hits shown, in order.</summary>
    public Task<string[]> IdsAsync() =>
        Page.Locator("#results li.hit").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.id)");

    /// <summary>The page's query string parameters (name, value), unescaped, in order.</summary>
    public IReadOnlyList<(string Name, string Value)> UrlParameters()
    {
        var query = new Uri(Page.Url).Query.TrimStart('?');
        return [.. query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var name = at < 0 ? pair : pair[..at];
            var value = at < 0 ? string.Empty : pair[(at + 1)..];
            return (Uri.UnescapeDataString(name.Replace('+', ' ')), Uri.UnescapeDataString(value.Replace('+', ' ')));
        })];
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
