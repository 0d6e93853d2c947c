using System.Text.Json;
using Microsoft.Playwright;

namespace TextSearch.Server.Browser.Tests;

/// <summary>
/// The web page's issue 16 features in headless Chromium against a real server (the seeds and four dated articles):
/// source chips, the date range, the newest toggle, the suggestions combobox, related articles and the address bar.
/// Every expectation is what the JSON API answers for the same request.
/// </summary>
public sealed class SearchPageFeatureTests(FeaturesServerFixture server) : IClassFixture<FeaturesServerFixture>
{
    // In every seed and every added article.
    private const string Term = "داعش";

    [ChromiumFact]
    public async Task Source_chips_show_the_facet_counts_and_filter_the_results()
    {
        var api = await server.GetJsonAsync("v1/search?" + FeaturesServerFixture.Query(("query", Term), ("facets", "source"), ("facetSize", "20"), ("pageSize", "10")));
        var facet = api.GetProperty("facets").EnumerateArray().Single(f => f.GetProperty("field").GetString() == "source");
        var expected = facet.GetProperty("values").EnumerateArray()
            .Select(v => (Value: v.GetProperty("value").GetString()!, Count: Int64(v.GetProperty("count"))))
            .ToList();
        Assert.True(expected.Count >= 3, "the seeds and the added articles have at least three sources");
        var khaleej = expected.Single(v => v.Value == "الخليج");
        var agency = expected.Single(v => v.Count == 2 && v.Value != khaleej.Value);
        Assert.Equal(2, khaleej.Count);

        await using var session = await BrowserSession.StartAsync();
        var page = session.Page;
        await page.GotoAsync(new Uri(server.HttpAddress, "?q=" + Uri.EscapeDataString(Term)).ToString());
        await session.ExpectIdsAsync(FeaturesServerFixture.Ids(api));

        // One chip per facet value, in the API's order, with its count.
        Assert.Equal(expected, await ChipsAsync(page));
        Assert.All(await page.Locator("#sources .chip").EvaluateAllAsync<string[]>("cs => cs.map(c => c.getAttribute('aria-pressed'))"), p => Assert.Equal("false", p));

        // The markup source is text, not an element.
        var markup = expected.Single(v => v.Value.Contains('<', StringComparison.Ordinal));
        Assert.Equal(markup.Value, await page.Locator("#sources .chip-label").Filter(new LocatorFilterOptions { HasText = "<" }).TextContentAsync());
        Assert.Equal(0, await page.Locator("#sources b").CountAsync());
        Assert.Equal(FeaturesServerFixture.MarkupSource, await page.Locator("#results li.hit[data-id='features-markup'] bdi.source").TextContentAsync());
        Assert.Equal(0, await page.Locator("#results b").CountAsync());

        // Choosing a source shows that source's documents only.
        await Chip(page, khaleej.Value).ClickAsync();
        await session.ExpectIdsAsync(await server.SearchIdsAsync(("query", Term), ("filter.sources", khaleej.Value)));
        Assert.Equal(khaleej.Count, await page.Locator("#results li.hit").CountAsync());
        Assert.Equal("true", await Chip(page, khaleej.Value).GetAttributeAsync("aria-pressed"));
        Assert.Contains(("source", khaleej.Value), session.UrlParameters());

        // The counts stay those of every source, so another source can be added: either one matches.
        Assert.Equal(expected, await ChipsAsync(page));
        await Chip(page, agency.Value).ClickAsync();
        var both = await server.SearchIdsAsync(("query", Term), ("filter.sources", khaleej.Value), ("filter.sources", agency.Value));
        Assert.Equal(khaleej.Count + agency.Count, both.Length);
        await session.ExpectIdsAsync(both);
        Assert.Equal(2, await page.Locator("#sources .chip[aria-pressed=true]").CountAsync());

        // A second click removes it; from the keyboard (Enter on the chip), the chip keeps the focus.
        await Chip(page, khaleej.Value).PressAsync("Enter");
        await session.ExpectIdsAsync(await server.SearchIdsAsync(("query", Term), ("filter.sources", agency.Value)));
        Assert.Equal("false", await Chip(page, khaleej.Value).GetAttributeAsync("aria-pressed"));
        Assert.Equal(khaleej.Value, await page.EvaluateAsync<string?>("() => document.activeElement?.dataset.source ?? null"));
        Assert.DoesNotContain(("source", khaleej.Value), session.UrlParameters());
        Assert.All(await page.Locator("#results li.hit .source").AllTextContentsAsync(), s => Assert.Equal(FeaturesServerFixture.Agency, s));

        Assert.Empty(session.Errors);
    }

    [ChromiumFact]
    public async Task A_date_range_narrows_the_results_by_inclusive_days()
    {
        var all = await server.SearchIdsAsync(("query", Term));
        await using var session = await BrowserSession.StartAsync();
        var page = session.Page;
        await page.GotoAsync(new Uri(server.HttpAddress, "?q=" + Uri.EscapeDataString(Term)).ToString());
        await session.ExpectIdsAsync(all);

        // One day, both ends inclusive: the seed published on 2017-10-14 (at midnight UTC).
        await page.FillAsync("#from", "2017-10-14");
        await page.FillAsync("#to", "2017-10-14");
        var oneDay = await server.SearchIdsAsync(("query", Term), ("filter.publishedAfter", "2017-10-14T00:00:00Z"), ("filter.publishedBefore", "2017-10-15T00:00:00Z"));
        Assert.Equal([FeaturesServerFixture.DatedSeed], oneDay);
        await session.ExpectIdsAsync(oneDay);

        // A wider range; its last day includes an article published at noon that day.
        await page.FillAsync("#from", "2016-01-01");
        await page.FillAsync("#to", "2018-06-10");
        var range = await server.SearchIdsAsync(("query", Term), ("filter.publishedAfter", "2016-01-01T00:00:00Z"), ("filter.publishedBefore", "2018-06-11T00:00:00Z"));
        Assert.Equal([FeaturesServerFixture.DatedSeed, "features-2016", "features-2018"], range.Order(StringComparer.Ordinal));
        Assert.True(range.Length < all.Length);
        await session.ExpectIdsAsync(range);
        var dates = await page.Locator("#results li.hit time").EvaluateAllAsync<string[]>("ts => ts.map(t => t.dateTime)");
        Assert.Equal(range.Length, dates.Length);
        Assert.All(dates, d => Assert.InRange(DateTime.Parse(d, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal), new DateTime(2016, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2018, 6, 11, 0, 0, 0, DateTimeKind.Utc)));
        var parameters = session.UrlParameters();
        Assert.Contains(("from", "2016-01-01"), parameters);
        Assert.Contains(("to", "2018-06-10"), parameters);

        // Clearing the dates shows every result again.
        await page.ClickAsync("#dates-clear");
        await session.ExpectIdsAsync(all);
        Assert.DoesNotContain(session.UrlParameters(), p => p.Name is "from" or "to");

        // A range typed backwards is searched (and shown) forwards.
        await page.FillAsync("#from", "2018-06-10");
        await page.FillAsync("#to", "2016-01-01");
        await session.ExpectIdsAsync(range);
        Assert.Equal("2016-01-01", await page.InputValueAsync("#from"));
        Assert.Equal("2018-06-10", await page.InputValueAsync("#to"));
        Assert.False(await page.IsVisibleAsync("#error"));

        // A range without words lists the documents in it.
        await page.GotoAsync(new Uri(server.HttpAddress, "?from=2018-01-01&to=2019-12-31").ToString());
        var listed = await server.SearchIdsAsync(("query", string.Empty), ("filter.publishedAfter", "2018-01-01T00:00:00Z"), ("filter.publishedBefore", "2020-01-01T00:00:00Z"));
        Assert.Equal(["features-2018", "features-2019"], listed.Order(StringComparer.Ordinal));
        await session.ExpectIdsAsync(listed);
        Assert.Equal(string.Empty, await page.InputValueAsync("#q"));

        Assert.Empty(session.Errors);
    }

    [ChromiumFact]
    public async Task The_newest_toggle_orders_the_hits_by_date()
    {
        var relevance = await server.SearchIdsAsync(("query", Term));
        var newest = await server.SearchIdsAsync(("query", Term), ("sort", "SORT_ORDER_NEWEST"));
        Assert.NotEqual(relevance, newest);

        await using var session = await BrowserSession.StartAsync();
        var page = session.Page;
        await page.GotoAsync(new Uri(server.HttpAddress, "?q=" + Uri.EscapeDataString(Term)).ToString());
        await session.ExpectIdsAsync(relevance);
        Assert.True(await page.IsCheckedAsync("#sort-relevance"));

        await page.CheckAsync("#sort-newest");
        await session.ExpectIdsAsync(newest);
        Assert.Contains(("sort", "newest"), session.UrlParameters());

        // Newest first; the articles without a date come last.
        var dates = await page.Locator("#results li.hit").EvaluateAllAsync<string?[]>("items => items.map(i => i.querySelector('time')?.dateTime ?? null)");
        var dated = dates.TakeWhile(d => d is not null).Select(d => DateTime.Parse(d!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal)).ToList();
        Assert.True(dated.Count >= 5);
        Assert.All(dates.Skip(dated.Count), d => Assert.Null(d));
        Assert.Equal(dated.OrderDescending(), dated);

        await page.CheckAsync("#sort-relevance");
        await session.ExpectIdsAsync(relevance);
        Assert.DoesNotContain(session.UrlParameters(), p => p.Name == "sort");

        Assert.Empty(session.Errors);
    }

    [ChromiumFact]
    public async Task Suggestions_are_a_right_to_left_combobox_driven_by_the_keyboard()
    {
        const string Prefix = "الر";
        var suggest = await server.GetJsonAsync("v1/suggest?" + FeaturesServerFixture.Query(("prefix", Prefix), ("size", "8")));
        var texts = suggest.GetProperty("suggestions").EnumerateArray().Select(s => s.GetProperty("text").GetString()!).ToArray();
        Assert.True(texts.Length >= 3);

        await using var session = await BrowserSession.StartAsync();
        var page = session.Page;
        await page.GotoAsync(server.HttpAddress.ToString());
        var input = page.Locator("#q");
        Assert.Equal("combobox", await input.GetAttributeAsync("role"));
        Assert.Equal("false", await input.GetAttributeAsync("aria-expanded"));
        Assert.Equal("suggestions", await input.GetAttributeAsync("aria-controls"));
        Assert.Equal("list", await input.GetAttributeAsync("aria-autocomplete"));

        await input.PressSequentiallyAsync(Prefix);
        await ExpectSuggestionsAsync(page, texts);
        Assert.Equal("listbox", await page.GetAttributeAsync("#suggestions", "role"));
        Assert.Equal("true", await input.GetAttributeAsync("aria-expanded"));
        Assert.Null(await input.GetAttributeAsync("aria-activedescendant"));

        // Right to left: the list is laid out rtl and starts at the input's right edge.
        Assert.Equal("rtl", await page.EvalOnSelectorAsync<string>("#suggestions", "e => getComputedStyle(e).direction"));
        var inputBox = (await input.BoundingBoxAsync())!;
        var listBox = (await page.Locator("#suggestions").BoundingBoxAsync())!;
        Assert.InRange(listBox.X + listBox.Width, inputBox.X + inputBox.Width - 2, inputBox.X + inputBox.Width + 2);
        Assert.True(listBox.Y >= inputBox.Y + inputBox.Height - 1);

        // ArrowDown and ArrowUp move the active option (wrapping), which the input points at.
        await input.PressAsync("ArrowDown");
        await ExpectActiveAsync(page, 0);
        await input.PressAsync("ArrowDown");
        await ExpectActiveAsync(page, 1);
        await input.PressAsync("ArrowUp");
        await ExpectActiveAsync(page, 0);
        await input.PressAsync("ArrowUp");
        await ExpectActiveAsync(page, texts.Length - 1);
        await input.PressAsync("ArrowDown");
        await ExpectActiveAsync(page, 0);

        // Escape closes the list and keeps what was typed; nothing is searched.
        await input.PressAsync("Escape");
        Assert.True(await page.Locator("#suggestions").IsHiddenAsync());
        Assert.Equal("false", await input.GetAttributeAsync("aria-expanded"));
        Assert.Null(await input.GetAttributeAsync("aria-activedescendant"));
        Assert.Equal(Prefix, await input.InputValueAsync());
        Assert.Equal(0, await page.Locator("#results li.hit").CountAsync());
        Assert.Empty(session.UrlParameters());

        // ArrowDown opens it again; Enter picks the active suggestion and searches for it.
        await input.PressAsync("ArrowDown");
        await page.WaitForSelectorAsync("#suggestions:not([hidden])");
        await input.PressAsync("ArrowDown");
        await input.PressAsync("ArrowDown");
        await ExpectActiveAsync(page, 1);
        await input.PressAsync("Enter");
        Assert.Equal(texts[1], await input.InputValueAsync());
        await session.ExpectIdsAsync(await server.SearchIdsAsync(("query", texts[1])));
        Assert.NotEmpty(await session.IdsAsync());
        Assert.True(await page.Locator("#suggestions").IsHiddenAsync());
        Assert.Equal("false", await input.GetAttributeAsync("aria-expanded"));
        Assert.Contains(("q", texts[1]), session.UrlParameters());

        // A second word: its last word is completed, the first kept.
        await input.FillAsync(string.Empty);
        await input.PressSequentiallyAsync("قوات سو");
        var second = await server.GetJsonAsync("v1/suggest?" + FeaturesServerFixture.Query(("prefix", "قوات سو"), ("size", "8")));
        await ExpectSuggestionsAsync(page, [.. second.GetProperty("suggestions").EnumerateArray().Select(s => s.GetProperty("text").GetString()!)]);
        Assert.NotEmpty(await page.Locator("#suggestions [role=option]").AllAsync());

        // A click picks a suggestion too.
        var clicked = await page.Locator("#suggestions [role=option] .suggestion-text").First.TextContentAsync();
        await page.Locator("#suggestions [role=option]").First.ClickAsync();
        Assert.Equal(clicked, await input.InputValueAsync());
        await session.ExpectIdsAsync(await server.SearchIdsAsync(("query", clicked!)));
        Assert.NotEmpty(await session.IdsAsync());
        Assert.True(await page.Locator("#suggestions").IsHiddenAsync());
        Assert.All(await page.Locator("#suggestions [role=option] .suggestion-text").AllTextContentsAsync(), t => Assert.StartsWith("قوات سو", t, StringComparison.Ordinal));

        Assert.Empty(session.Errors);
    }

    [ChromiumFact]
    public async Task The_related_link_shows_other_articles_not_the_article_itself()
    {
        var search = await server.SearchIdsAsync(("query", Term));
        var related = FeaturesServerFixture.Ids(await server.GetJsonAsync($"v1/documents/{FeaturesServerFixture.KhaleejSeed}/related?pageSize=10"));
        Assert.NotEmpty(related);
        Assert.DoesNotContain(FeaturesServerFixture.KhaleejSeed, related);
        var title = (await server.GetJsonAsync($"v1/documents/{FeaturesServerFixture.KhaleejSeed}")).GetProperty("title").GetString();

        await using var session = await BrowserSession.StartAsync();
        var page = session.Page;
        await page.GotoAsync(new Uri(server.HttpAddress, "?q=" + Uri.EscapeDataString(Term)).ToString());
        await session.ExpectIdsAsync(search);
        Assert.Equal(search.Length, await page.Locator("#results li.hit a.related-link").CountAsync());

        await page.ClickAsync($"#results li.hit[data-id='{FeaturesServerFixture.KhaleejSeed}'] a.related-link");
        await session.ExpectIdsAsync(related);
        Assert.Contains(("related", FeaturesServerFixture.KhaleejSeed), session.UrlParameters());
        Assert.True(await page.IsVisibleAsync("#related-header"));
        Assert.Equal(title, await page.TextContentAsync("#related-title"));
        Assert.False(await page.IsVisibleAsync("#filters"));
        Assert.False(await page.IsVisibleAsync("#preview"));
        Assert.Equal(related.Length, await page.Locator("#results li.hit:has(.snippet)").CountAsync());

        // A reload shows the same related articles, the title read from the document.
        await page.ReloadAsync();
        await session.ExpectIdsAsync(related);
        await page.WaitForFunctionAsync("t => document.querySelector('#related-title').textContent === t", title);

        // Back to the results, and the browser's back button returns to the related articles.
        await page.ClickAsync("#related-back");
        await session.ExpectIdsAsync(search);
        Assert.True(await page.IsHiddenAsync("#related-header"));
        Assert.DoesNotContain(session.UrlParameters(), p => p.Name == "related");
        await page.GoBackAsync();
        await session.ExpectIdsAsync(related);
        Assert.True(await page.IsVisibleAsync("#related-header"));

        Assert.Empty(session.Errors);
    }

    [ChromiumFact]
    public async Task The_address_bar_keeps_the_whole_state_across_reload_and_back()
    {
        await using var session = await BrowserSession.StartAsync();
        var page = session.Page;
        await page.GotoAsync(server.HttpAddress.ToString());

        await page.FillAsync("#q", Term);
        await page.PressAsync("#q", "Enter");
        await session.ExpectIdsAsync(await server.SearchIdsAsync(("query", Term)));

        var agency = (await ChipsAsync(page)).Single(c => c.Count == 2 && c.Value != "الخليج").Value;
        await Chip(page, agency).ClickAsync();
        await session.ExpectIdsAsync(await server.SearchIdsAsync(("query", Term), ("filter.sources", agency)));

        await page.FillAsync("#from", "2016-01-01");
        await page.FillAsync("#to", "2019-03-23");
        var filtered = await server.SearchIdsAsync(("query", Term), ("filter.sources", agency), ("filter.publishedAfter", "2016-01-01T00:00:00Z"), ("filter.publishedBefore", "2019-03-24T00:00:00Z"));
        await session.ExpectIdsAsync(filtered);

        await page.CheckAsync("#sort-newest");
        var newest = await server.SearchIdsAsync(("query", Term), ("filter.sources", agency), ("filter.publishedAfter", "2016-01-01T00:00:00Z"), ("filter.publishedBefore", "2019-03-24T00:00:00Z"), ("sort", "SORT_ORDER_NEWEST"));
        Assert.Equal(["features-2019", "features-2018"], newest);
        await session.ExpectIdsAsync(newest);

        Assert.Equal(
            [("q", Term), ("source", agency), ("from", "2016-01-01"), ("to", "2019-03-23"), ("sort", "newest")],
            session.UrlParameters());

        // A reload restores every control and the same results.
        await page.ReloadAsync();
        await session.ExpectIdsAsync(newest);
        await ExpectControlsAsync(page, Term, "2016-01-01", "2019-03-23", newest: true);
        Assert.Equal("true", await Chip(page, agency).GetAttributeAsync("aria-pressed"));
        Assert.Equal(1, await page.Locator("#sources .chip[aria-pressed=true]").CountAsync());

        // Back: relevance order again, then without the end date, then without the source. The results may not
        // change order between two steps, so each step first waits for its controls (set before the search starts).
        await page.GoBackAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('#sort-relevance').checked");
        await session.ExpectIdsAsync(filtered);
        await ExpectControlsAsync(page, Term, "2016-01-01", "2019-03-23", newest: false);
        await page.GoBackAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('#to').value === ''");
        await session.ExpectIdsAsync(await server.SearchIdsAsync(("query", Term), ("filter.sources", agency), ("filter.publishedAfter", "2016-01-01T00:00:00Z")));
        await ExpectControlsAsync(page, Term, "2016-01-01", string.Empty, newest: false);
        await page.GoBackAsync();
        await page.GoBackAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('#from').value === ''");
        await session.ExpectIdsAsync(await server.SearchIdsAsync(("query", Term)));
        await ExpectControlsAsync(page, Term, string.Empty, string.Empty, newest: false);
        Assert.Equal(0, await page.Locator("#sources .chip[aria-pressed=true]").CountAsync());

        // Forward again to the end.
        for (var i = 0; i < 4; i++)
        {
            await page.GoForwardAsync();
        }

        await page.WaitForFunctionAsync("() => document.querySelector('#sort-newest').checked");
        await session.ExpectIdsAsync(newest);
        await ExpectControlsAsync(page, Term, "2016-01-01", "2019-03-23", newest: true);

        Assert.Empty(session.Errors);
    }

    private static ILocator Chip(IPage page, string source) =>
        page.Locator("#sources .chip").Filter(new LocatorFilterOptions { Has = page.Locator(".chip-label").GetByText(source, new LocatorGetByTextOptions { Exact = true }) });

    private static async Task<List<(string Value, long Count)>> ChipsAsync(IPage page)
    {
        var chips = await page.Locator("#sources .chip").EvaluateAllAsync<JsonElement>(
            "cs => cs.map(c => [c.querySelector('.chip-label').textContent, c.querySelector('.chip-count').dataset.count])");
        return [.. chips.EnumerateArray().Select(c => (c[0].GetString()!, long.Parse(c[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)))];
    }

    private static long Int64(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : value.GetInt64();

    /// <summary>Waits (generously) until the open list shows these suggestions, then asserts it.</summary>
    private static async Task ExpectSuggestionsAsync(IPage page, string[] expected)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "expected => !document.querySelector('#suggestions').hidden && JSON.stringify([...document.querySelectorAll('#suggestions [role=option] .suggestion-text')].map(o => o.textContent)) === JSON.stringify(expected)",
                expected,
                new PageWaitForFunctionOptions { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
        }

        Assert.True(await page.Locator("#suggestions").IsVisibleAsync());
        Assert.Equal(expected, await page.Locator("#suggestions [role=option] .suggestion-text").AllTextContentsAsync());
    }

    private static async Task ExpectActiveAsync(IPage page, int index)
    {
        Assert.Equal($"suggestion-{index}", await page.GetAttributeAsync("#q", "aria-activedescendant"));
        Assert.Equal("true", await page.GetAttributeAsync($"#suggestion-{index}", "aria-selected"));
        Assert.Equal(1, await page.Locator("#suggestions [role=option][aria-selected=true]").CountAsync());
    }

    private static async Task ExpectControlsAsync(IPage page, string query, string from, string to, bool newest)
    {
        Assert.Equal(query, await page.InputValueAsync("#q"));
        Assert.Equal(from, await page.InputValueAsync("#from"));
        Assert.Equal(to, await page.InputValueAsync("#to"));
        Assert.Equal(newest, await page.IsCheckedAsync("#sort-newest"));
        Assert.Equal(!newest, await page.IsCheckedAsync("#sort-relevance"));
    }
}
