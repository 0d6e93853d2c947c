using TextSearch.Search;

namespace TextSearch.Testing;

/// <summary>
/// Issue 16 on every engine: filters, date sorts, facets, Suggest and Related. Twelve news items are added to the
/// seeds: three sources written with different hamza and taa marbuta forms, dates over three months (two undated),
/// metadata, and words shared so that ranking, ties and completions are exercised.
/// </summary>
public abstract partial class EngineConformanceTests
{
    private static readonly DateTimeOffset Jan = new(2017, 1, 15, 8, 0, 0, TimeSpan.Zero);

    private static Document News(int i, string source, DateTimeOffset? date, string body, string? lang = null) => new()
    {
        Id = $"news-{i:D2}",
        Title = $"خبر رقم {i}",
        Body = body,
        Source = source,
        PublishedAt = date,
        Metadata = lang is null ? Document.EmptyMetadata : new Dictionary<string, string> { ["lang"] = lang, ["desk"] = i % 2 == 0 ? "even" : "odd" },
    };

    private static readonly Document[] Newsroom =
    [
        News(1, "الإسلامية", Jan, "المحكمة الإسلامية تنظر في قضية النفط", "ar"),
        News(2, "الاسلامية", Jan.AddDays(3), "الجامعة الإسلامية تفتتح كلية النفط", "ar"),
        News(3, "الاسلاميه ", Jan.AddMonths(1), "الشؤون الإسلامية والنفط والاقتصاد", "ar"),
        News(4, "الرياض", Jan.AddMonths(1).AddDays(2), "أسعار النفط ترتفع في الرياض", "ar"),
        News(5, "الرياض", Jan.AddMonths(2), "النفط النفط النفط في الأسواق", "en"),
        News(6, "الرياض", null, "الاسلامية كلمة بلا همزة عن النفط"),
        News(7, "عكاظ", Jan.AddMonths(2).AddDays(1), "الاقتصاد الإسلامي ينمو", "ar"),
        News(8, "عكاظ", null, "خبر بلا تاريخ عن الاقتصاد"),
        News(9, "عكاظ", Jan.AddMonths(2).AddDays(1), "الاقتصاد الإسلامي ينمو", "ar"),
        News(10, string.Empty, Jan.AddDays(1), "خبر بلا مصدر عن النفط"),
        News(11, "الرياض", Jan.AddDays(1), "أسواق الرياض المالية والنفط", "en"),
        News(12, "عكاظ", Jan.AddMonths(1), "الإسلامية الإسلامية الاسلامية", "ar"),
    ];

    private async Task AddNewsroomAsync()
    {
        foreach (var doc in Newsroom)
        {
            await Engine.UpsertAsync(doc, default);
        }
    }

    private static SearchFilter Sources(params string[] sources) => new() { Sources = sources };

    private async Task<SearchResultModel> Find(string? query, SearchFilter? filter = null, SortOrder sort = SortOrder.Relevance, int pageSize = 100, string[]? facets = null, int facetSize = 0, string? token = null) =>
        await Engine.SearchAsync(new SearchRequestModel(query, pageSize, token) { Filter = filter, Sort = sort, Facets = facets ?? [], FacetSize = facetSize }, default);

    private static List<string> IdsOf(SearchResultModel result) => [.. result.Hits.Select(h => h.Document.Id)];

    [ConformanceFact]
    public async Task Source_filter_matches_after_normalization_and_lists_documents_for_a_blank_query()
    {
        await AddNewsroomAsync();
        var listed = await Find(string.Empty, Sources("الاسلامية"));
        Assert.Equal(["news-01", "news-02", "news-03"], IdsOf(listed));
        Assert.Equal(3, listed.TotalHits);
        Assert.All(listed.Hits, h => Assert.Equal(1f, h.Score));

        // Any of several sources; with a query, only its matches among them.
        var either = await Find("النفط", Sources("الإسلاميّة", "عكاظ"));
        Assert.Equal(["news-01", "news-02", "news-03"], IdsOf(either).Order(StringComparer.Ordinal));
    }

    [ConformanceFact]
    public async Task Filters_never_change_scores()
    {
        await AddNewsroomAsync();
        var all = (await Find("النفط")).Hits.ToDictionary(h => h.Document.Id, h => h.Score);
        var filtered = await Find("النفط", Sources("الرياض"));
        Assert.Equal(["news-04", "news-05", "news-06", "news-11"], IdsOf(filtered).Order(StringComparer.Ordinal));
        Assert.All(filtered.Hits, h => Assert.Equal(all[h.Document.Id], h.Score));
    }

    [ConformanceFact]
    public async Task Date_bounds_are_inclusive_then_exclusive_and_leave_out_undated_documents()
    {
        await AddNewsroomAsync();
        var january = await Find(string.Empty, new SearchFilter { PublishedAfter = Jan, PublishedBefore = Jan.AddDays(3) });
        Assert.Equal(["news-01", "news-10", "news-11"], IdsOf(january));

        var open = await Find("الاقتصاد", new SearchFilter { PublishedAfter = Jan.AddMonths(2) });
        Assert.Equal(["news-07", "news-09"], IdsOf(open).Order(StringComparer.Ordinal));

        var before = await Find("الاقتصاد", new SearchFilter { PublishedBefore = Jan.AddMonths(2) });
        Assert.Equal(["news-03"], IdsOf(before));

        // Bounds before 1970 too: every dated document, and only those.
        var everything = await Find(string.Empty, facets: ["published_at"]);
        var dated = await Find(string.Empty, new SearchFilter { PublishedAfter = new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero), PublishedBefore = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        Assert.Equal(everything.Hits.Where(h => h.Document.PublishedAt is not null).Select(h => h.Document.Id), IdsOf(dated));
        Assert.Empty((await Find(string.Empty, new SearchFilter { PublishedBefore = new DateTimeOffset(1960, 1, 1, 0, 0, 0, TimeSpan.Zero) })).Hits);
    }

    [ConformanceFact]
    public async Task Metadata_filter_needs_every_pair_exactly()
    {
        await AddNewsroomAsync();
        var english = await Find("النفط", new SearchFilter { Metadata = new Dictionary<string, string> { ["lang"] = "en" } });
        Assert.Equal(["news-05", "news-11"], IdsOf(english).Order(StringComparer.Ordinal));
        var both = await Find(string.Empty, new SearchFilter { Metadata = new Dictionary<string, string> { ["lang"] = "en", ["desk"] = "odd" } });
        Assert.Equal(["news-05", "news-11"], IdsOf(both));
        var none = await Find(string.Empty, new SearchFilter { Metadata = new Dictionary<string, string> { ["lang"] = "EN" } });
        Assert.Empty(none.Hits);
    }

    [ConformanceFact]
    public async Task Newest_and_oldest_order_by_date_then_score_then_id_with_undated_last()
    {
        await AddNewsroomAsync();
        var relevance = (await Find("النفط")).Hits.ToDictionary(h => h.Document.Id, h => h.Score);
        foreach (var sort in new[] { SortOrder.Newest, SortOrder.Oldest })
        {
            var hits = (await Find("النفط", sort: sort)).Hits;
            Assert.Equal(relevance.Count, hits.Count);
            var dated = hits.TakeWhile(h => h.Document.PublishedAt is not null).ToList();
            Assert.All(hits.Skip(dated.Count), h => Assert.Null(h.Document.PublishedAt));
            for (var i = 1; i < dated.Count; i++)
            {
                var (a, b) = (dated[i - 1], dated[i]);
                var order = sort == SortOrder.Newest ? b.Document.PublishedAt!.Value.CompareTo(a.Document.PublishedAt!.Value) : a.Document.PublishedAt!.Value.CompareTo(b.Document.PublishedAt!.Value);
                Assert.True(order <= 0, $"{sort}: {a.Document.Id} before {b.Document.Id}");
                if (order == 0)
                {
                    Assert.True(a.Score > b.Score || (a.Score == b.Score && string.CompareOrdinal(a.Document.Id, b.Document.Id) < 0));
                }
            }

            // Scores stay the relevance scores; pages of one walk the same order through the tokens.
            Assert.All(hits, h => Assert.Equal(relevance[h.Document.Id], h.Score));
            var paged = new List<string>();
            string? token = null;
            do
            {
                var page = await Find("النفط", sort: sort, pageSize: 1, token: token);
                paged.AddRange(IdsOf(page));
                token = page.NextPageToken;
            }
            while (token is not null && paged.Count < 20);
            Assert.Equal(hits.Select(h => h.Document.Id), paged);
        }

        // Same date (news-07 and news-09, same text): ties broken by id.
        var ties = IdsOf(await Find("الاقتصاد", sort: SortOrder.Newest));
        Assert.Equal(["news-07", "news-09", "news-03", "news-08"], ties);
    }

    [ConformanceFact]
    public async Task Page_tokens_are_refused_for_another_sort_or_filter()
    {
        await AddNewsroomAsync();
        var first = await Find("النفط", sort: SortOrder.Newest, pageSize: 2);
        Assert.NotNull(first.NextPageToken);
        var otherSort = await Assert.ThrowsAsync<TextSearchException>(() => Find("النفط", sort: SortOrder.Oldest, pageSize: 2, token: first.NextPageToken));
        Assert.Equal((ErrorKind.InvalidArgument, "PageToken"), (otherSort.Kind, otherSort.Field));
        var otherFilter = await Assert.ThrowsAsync<TextSearchException>(() => Find("النفط", Sources("الرياض"), SortOrder.Newest, 2, token: first.NextPageToken));
        Assert.Equal((ErrorKind.InvalidArgument, "PageToken"), (otherFilter.Kind, otherFilter.Field));

        // The same filter, spelled differently, is the same filter.
        var filtered = await Find("النفط", Sources("الرياض", "الإسلامية"), pageSize: 2);
        var next = await Find("النفط", Sources("الاسلاميه", "الرياض"), pageSize: 2, token: filtered.NextPageToken);
        Assert.Empty(IdsOf(filtered).Intersect(IdsOf(next)));
    }

    [ConformanceFact]
    public async Task Facets_count_every_match_not_only_the_page()
    {
        await AddNewsroomAsync();
        var result = await Find("النفط", pageSize: 1, facets: ["source", "published_at"]);
        Assert.Single(result.Hits);
        Assert.Equal(["source", "published_at"], result.Facets.Select(f => DocumentKeys.Name(f.Field)));
        Assert.Equal(
            [("الرياض", 4L), ("الاسلاميه", 3L)],
            result.Facets[0].Values.Select(v => (v.Value, v.Count)));
        Assert.Equal(
            [("2017-01", 4L), ("2017-02", 2L), ("2017-03", 1L)],
            result.Facets[1].Values.Select(v => (v.Value, v.Count)));

        // The source facet's values are what the source filter takes; the size caps the values.
        var capped = await Find(string.Empty, Sources(result.Facets[0].Values[1].Value), facets: ["source"], facetSize: 1);
        Assert.Equal([("الاسلاميه", 3L)], capped.Facets[0].Values.Select(v => (v.Value, v.Count)));
    }

    [ConformanceFact]
    public async Task Facets_alone_count_the_whole_index()
    {
        await AddNewsroomAsync();
        var result = await Find(null, pageSize: 1, facets: ["source"], facetSize: 100);
        var expected = (await Find(string.Empty, new SearchFilter { Sources = ["عكاظ"] })).TotalHits;
        Assert.Equal(expected, result.Facets[0].Values.Single(v => v.Value == "عكاظ").Count);
        Assert.Equal(4, expected);
    }

    [ConformanceFact]
    public async Task Bad_filters_and_facets_name_their_field()
    {
        await AddNewsroomAsync();
        async Task<string?> Field(Func<Task> call) => (await Assert.ThrowsAsync<TextSearchException>(call)).Field;
        Assert.Equal("Facets", await Field(() => Find("النفط", facets: ["author"])));
        Assert.Equal("FacetSize", await Field(() => Find("النفط", facets: ["source"], facetSize: 101)));
        Assert.Equal("Filter.PublishedAfter", await Field(() => Find("النفط", new SearchFilter { PublishedAfter = Jan, PublishedBefore = Jan.AddDays(-1) })));
        Assert.Equal("Filter.Sources", await Field(() => Find("النفط", Sources("  "))));
        Assert.Equal("Sort", await Field(() => Find("النفط", sort: (SortOrder)7)));
        Assert.Equal("Query", await Field(() => Find(" ")));
    }

    [ConformanceFact]
    public async Task Suggest_completes_the_last_word_in_its_most_frequent_spelling_by_document_count()
    {
        var seeds = (await Engine.SuggestAsync("الاسلاميه", 1, default)).Single().Count;
        await AddNewsroomAsync();
        var suggestions = await Engine.SuggestAsync("الاسلا", 10, default);
        Assert.Equal("الإسلامية", suggestions[0].Text);
        Assert.Equal("الاسلاميه", suggestions[0].Normalized);
        Assert.Equal(seeds + 5, suggestions[0].Count); // news-01, 02, 03, 06 and 12
        Assert.Equal(["الاسلاميه", "الاسلامي"], suggestions.Select(s => s.Normalized).Take(2));

        // Insensitive to marks and tatweel; the words before the last are kept as typed.
        var typed = await Engine.SuggestAsync("أسعار الإسـلا", 3, default);
        Assert.Equal("أسعار الإسلامية", typed[0].Text);

        // Counts are of live documents.
        await Engine.DeleteAsync("news-12", default);
        Assert.Equal(seeds + 4, (await Engine.SuggestAsync("الاسلا", 1, default)).Single().Count);

        // A short prefix too (the embedded engine keeps those per reader): a write shows at once.
        Assert.Equal(2, (await Engine.SuggestAsync("ين", 50, default)).Single(s => s.Normalized == "ينمو").Count);
        await Engine.DeleteAsync("news-09", default);
        Assert.Equal(1, (await Engine.SuggestAsync("ين", 50, default)).Single(s => s.Normalized == "ينمو").Count);

        Assert.Empty(await Engine.SuggestAsync("النفط ", 5, default));
        var empty = await Assert.ThrowsAsync<TextSearchException>(() => Engine.SuggestAsync(" ", 5, default));
        Assert.Equal((ErrorKind.InvalidArgument, "Prefix"), (empty.Kind, empty.Field));
        var size = await Assert.ThrowsAsync<TextSearchException>(() => Engine.SuggestAsync("ال", 51, default));
        Assert.Equal("Size", size.Field);
    }

    [ConformanceFact]
    public async Task A_word_stretched_by_tatweel_far_past_the_term_limit_is_stored_and_completed()
    {
        var stretched = new Document { Id = "stretched", Body = "بـ" + new string('\u0640', 40_000) + "ـتـلـة" };
        await Engine.UpsertAsync(stretched, default);
        Assert.Equal(["stretched"], IdsOf(await Find("بتله")));
        Assert.Contains(await Engine.SuggestAsync("بتل", 10, default), s => s.Normalized == "بتله" && s.Count == 1);
    }

    [ConformanceFact]
    public async Task Related_finds_similar_articles_never_itself_with_snippets_and_filters()
    {
        await AddNewsroomAsync();
        var related = await Engine.RelatedAsync("news-07", 5, null, 0, 0, default);
        Assert.Equal("news-09", related.Hits[0].Document.Id); // the same text
        Assert.DoesNotContain("news-07", IdsOf(related));
        Assert.All(related.Hits, h => Assert.NotEmpty(h.Snippets));

        var filtered = await Engine.RelatedAsync("news-07", 5, Sources("الإسلامية"), 0, 0, default);
        Assert.All(filtered.Hits, h => Assert.Equal("الاسلاميه", Analysis.Keywords.Normalize(Analysis.TextAnalyzer.Default, h.Document.Source)));
        Assert.Equal("news-03", filtered.Hits[0].Document.Id); // shares الاقتصاد too
        Assert.Equal(["news-01", "news-02", "news-03"], IdsOf(filtered).Order(StringComparer.Ordinal));

        var missing = await Assert.ThrowsAsync<TextSearchException>(() => Engine.RelatedAsync("no-such-news", 5, null, 0, 0, default));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
    }

    [ConformanceFact]
    public async Task Related_of_a_seed_ranks_the_other_seeds_about_the_same_war()
    {
        var related = await Engine.RelatedAsync(D3, 10, null, 0, 0, default);
        Assert.DoesNotContain(D3, IdsOf(related));
        Assert.Equal([D0, D1, D2, D4], IdsOf(related).Order(StringComparer.Ordinal));
    }
}
