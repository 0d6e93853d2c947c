using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TextSearch.V1;

namespace TextSearch.Client.Tests;

/// <summary>
/// Filters, sort orders, facets, Suggest and Related through the client against a real in-process server with the
/// seeds. Documents indexed here carry a source and words of their own, so the seed tests are not disturbed.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DiscoveryIntegrationTests(ServerFixture server) : IDisposable
{
    private const string DemocracyId = "001_0cdae21df2de8709";

    private readonly TextSearchClient _client = TextSearchClient.Create(new TextSearchClientOptions { Address = server.Address });

    public void Dispose() => _client.Dispose();

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Indexes documents under a new source (lowercase hex after an Arabic word, so it is its own normalized form) with
    /// the given dates (null: undated), each holding <paramref name="marker"/>; returns the source.
    /// </summary>
    private async Task<string> IndexDatedAsync(string marker, params DateTimeOffset?[] dates)
    {
        var source = "مصدر" + Guid.NewGuid().ToString("N")[..8];
        foreach (var (date, i) in dates.Select((d, i) => (d, i)))
        {
            var document = new Document
            {
                Id = $"{source}-{i}",
                Title = $"خبر {i}",
                Body = $"نص عن {marker} رقم {i}",
                Source = source,
                Metadata = { ["batch"] = source, ["parity"] = i % 2 == 0 ? "even" : "odd" },
            };
            if (date is { } d)
            {
                document.PublishedAt = Timestamp.FromDateTimeOffset(d);
            }

            await _client.UpsertAsync(document);
        }

        return source;
    }

    /// <summary>
    /// A made-up word of Arabic letters only (so that it is one token), new every time; it ends in a letter no suffix
    /// rule of the stemmer strips.
    /// </summary>
    private static string Marker() => "برتقالونيا" + string.Concat(Guid.NewGuid().ToString("N")[..8].Select(c => "بتثجحخدذرزسشصضطظ"[Convert.ToInt32(c.ToString(), 16)])) + "ق";

    [Fact]
    public async Task A_blank_query_with_a_source_filter_lists_that_sources_documents_with_facets()
    {
        var source = await IndexDatedAsync(Marker(), Utc(2016, 3, 5), Utc(2016, 3, 20), Utc(2016, 7, 1), null);

        var response = await _client.SearchAsync(string.Empty, new SearchOptions
        {
            Filter = new DocumentFilter { Sources = [source] },
            Facets = [SearchFacets.Source, SearchFacets.PublishedAt],
        });

        Assert.Equal(4, response.TotalHits);
        Assert.All(response.Hits, h => Assert.Equal(source, h.Source));
        Assert.Equal([SearchFacets.Source, SearchFacets.PublishedAt], response.Facets.Select(f => f.Field));
        var sources = Assert.Single(response.Facets[0].Values);
        Assert.Equal(source, sources.Value);
        Assert.Equal(4, sources.Count);

        // By count, descending; the undated document has no month.
        Assert.Equal([("2016-03", 2L), ("2016-07", 1L)], response.Facets[1].Values.Select(v => (v.Value, v.Count)));
    }

    [Fact]
    public async Task Each_source_facet_count_is_the_number_of_hits_filtered_to_that_source()
    {
        var all = await _client.SearchAsync("دير الزور", new SearchOptions { Facets = [SearchFacets.Source], FacetSize = 100 });
        var facet = Assert.Single(all.Facets);
        Assert.Equal(SearchFacets.Source, facet.Field);
        Assert.NotEmpty(facet.Values);

        foreach (var value in facet.Values)
        {
            var filtered = await _client.SearchAsync("دير الزور", new SearchOptions { Filter = new DocumentFilter { Sources = [value.Value] }, PageSize = 100 });
            Assert.Equal(value.Count, filtered.TotalHits);
            Assert.Equal(value.Count, filtered.Hits.Count);
        }

        Assert.True(facet.Values.Sum(v => v.Count) <= all.TotalHits);
        Assert.True(facet.Values.Zip(facet.Values.Skip(1)).All(p => p.First.Count >= p.Second.Count), "values by count, descending");
    }

    [Fact]
    public async Task Facet_size_cuts_the_values_to_the_most_frequent()
    {
        var source = await IndexDatedAsync(Marker(), Utc(2015, 1, 2), Utc(2015, 1, 3), Utc(2015, 2, 1), Utc(2015, 3, 1), Utc(2015, 3, 2), Utc(2015, 3, 3));

        var response = await _client.SearchAsync(string.Empty, new SearchOptions
        {
            Filter = new DocumentFilter { Sources = [source] },
            Facets = [SearchFacets.PublishedAt],
            FacetSize = 2,
        });

        Assert.Equal([("2015-03", 3L), ("2015-01", 2L)], Assert.Single(response.Facets).Values.Select(v => (v.Value, v.Count)));
    }

    [Fact]
    public async Task Published_after_is_inclusive_and_published_before_exclusive()
    {
        var marker = Marker();
        var source = await IndexDatedAsync(marker, Utc(2016, 3, 5), Utc(2016, 3, 20), Utc(2016, 7, 1), null);

        var response = await _client.SearchAsync(marker, new SearchOptions
        {
            Filter = new DocumentFilter { Sources = [source], PublishedAfter = Utc(2016, 3, 20), PublishedBefore = Utc(2016, 7, 1) },
        });

        var hit = Assert.Single(response.Hits);
        Assert.Equal($"{source}-1", hit.Id);
        Assert.Equal(1, response.TotalHits);

        var after = await _client.SearchAsync(marker, new SearchOptions { Filter = new DocumentFilter { PublishedAfter = Utc(2016, 3, 20) }, PageSize = 10 });
        Assert.Equal([$"{source}-1", $"{source}-2"], after.Hits.Select(h => h.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_metadata_filter_needs_every_pair_to_match()
    {
        var marker = Marker();
        var source = await IndexDatedAsync(marker, Utc(2014, 1, 1), Utc(2014, 1, 2), Utc(2014, 1, 3));

        var even = await _client.SearchAsync(marker, new SearchOptions
        {
            Filter = new DocumentFilter { Metadata = new Dictionary<string, string> { ["batch"] = source, ["parity"] = "even" } },
        });
        var none = await _client.SearchAsync(marker, new SearchOptions
        {
            Filter = new DocumentFilter { Metadata = new Dictionary<string, string> { ["batch"] = source, ["parity"] = "neither" } },
        });

        Assert.Equal([$"{source}-0", $"{source}-2"], even.Hits.Select(h => h.Id).Order(StringComparer.Ordinal));
        Assert.Equal(0, none.TotalHits);
    }

    [Fact]
    public async Task Newest_and_oldest_order_the_hits_by_date_with_undated_documents_last()
    {
        var source = await IndexDatedAsync(Marker(), Utc(2013, 5, 1), null, Utc(2013, 1, 1), Utc(2013, 9, 1), Utc(2013, 3, 1));
        var filter = new DocumentFilter { Sources = [source] };

        var newest = await _client.SearchAsync(string.Empty, new SearchOptions { Filter = filter, Sort = SortOrder.Newest });
        var oldest = await _client.SearchAsync(string.Empty, new SearchOptions { Filter = filter, Sort = SortOrder.Oldest });

        Assert.Equal([$"{source}-3", $"{source}-0", $"{source}-4", $"{source}-2", $"{source}-1"], newest.Hits.Select(h => h.Id));
        Assert.Equal([$"{source}-2", $"{source}-4", $"{source}-0", $"{source}-3", $"{source}-1"], oldest.Hits.Select(h => h.Id));
        Assert.Null(newest.Hits[^1].PublishedAt);
    }

    [Fact]
    public async Task Newest_first_never_goes_up_in_date_across_pages()
    {
        var marker = Marker();
        await IndexDatedAsync(marker, Utc(2011, 4, 1), null, Utc(2011, 4, 1, 12), Utc(2010, 1, 1), null, Utc(2011, 12, 31), Utc(2011, 6, 6));
        var seeds = await _client.SearchAsync("داعش", new SearchOptions { Sort = SortOrder.Newest, PageSize = 100 });

        foreach (var (query, pageSize) in new[] { (marker, 2), ("داعش", 1) })
        {
            var dates = new List<DateTimeOffset?>();
            await foreach (var hit in _client.SearchAllAsync(query, new SearchOptions { Sort = SortOrder.Newest, PageSize = pageSize }))
            {
                dates.Add(hit.PublishedAt?.ToDateTimeOffset());
            }

            Assert.Equal((await _client.SearchAsync(query)).TotalHits, dates.Count);
            Assert.Contains(dates, d => d is not null);

            // Dated hits first, newest to oldest; the undated ones after them.
            var dated = dates.TakeWhile(d => d is not null).Select(d => d!.Value).ToList();
            Assert.All(dates.Skip(dated.Count), d => Assert.Null(d));
            Assert.True(dated.Zip(dated.Skip(1)).All(p => p.First >= p.Second), string.Join(", ", dated));
        }

        Assert.Equal(seeds.Hits.Select(h => h.Id), (await ToListAsync(_client.SearchAllAsync("داعش", new SearchOptions { Sort = SortOrder.Newest, PageSize = 1 }))).Select(h => h.Id));
    }

    private static async Task<List<SearchHit>> ToListAsync(IAsyncEnumerable<SearchHit> hits)
    {
        var list = new List<SearchHit>();
        await foreach (var hit in hits)
        {
            list.Add(hit);
        }

        return list;
    }

    [Fact]
    public async Task SearchAll_keeps_the_filter_on_every_page()
    {
        var source = await IndexDatedAsync(Marker(), Utc(2012, 1, 1), Utc(2012, 2, 1), Utc(2012, 3, 1));

        var ids = new List<string>();
        await foreach (var hit in _client.SearchAllAsync(string.Empty, new SearchOptions { Filter = new DocumentFilter { Sources = [source] }, Sort = SortOrder.Oldest, PageSize = 1 }))
        {
            ids.Add(hit.Id);
        }

        Assert.Equal([$"{source}-0", $"{source}-1", $"{source}-2"], ids);
    }

    [Fact]
    public async Task Suggest_completes_the_last_word_from_the_seeds()
    {
        var response = await _client.SuggestAsync("الديمو");

        var suggestion = Assert.Single(response.Suggestions, s => s.Text == "الديموقراطية");
        Assert.True(suggestion.Count >= 3, $"three seeds hold the word; counted {suggestion.Count}");
        Assert.All(response.Suggestions, s => Assert.StartsWith("الديمو", s.Text, StringComparison.Ordinal));
        Assert.True(response.Suggestions.Zip(response.Suggestions.Skip(1)).All(p => p.First.Count >= p.Second.Count), "by count, descending");
    }

    [Fact]
    public async Task Suggest_keeps_the_words_before_the_last_and_honours_the_size()
    {
        var phrase = await _client.SuggestAsync("قوات الديمو");
        var one = await _client.SuggestAsync("ال", new SuggestOptions { Size = 1 });

        Assert.Contains(phrase.Suggestions, s => s.Text == "قوات الديموقراطية");
        Assert.Single(one.Suggestions);
    }

    [Fact]
    public async Task Related_never_returns_the_document_itself()
    {
        var response = await _client.RelatedAsync(DemocracyId, new RelatedOptions { PageSize = 10 });

        Assert.NotEmpty(response.Hits);
        Assert.DoesNotContain(response.Hits, h => h.Id == DemocracyId);
        Assert.All(response.Hits, h => Assert.True(h.Score > 0));
        Assert.True(response.Hits.Zip(response.Hits.Skip(1)).All(p => p.First.Score >= p.Second.Score), "by score, descending");
    }

    [Fact]
    public async Task Related_applies_the_filter_and_the_page_size()
    {
        var unfiltered = await _client.RelatedAsync(DemocracyId, new RelatedOptions { PageSize = 100 });
        var source = unfiltered.Hits.First(h => h.Source.Length > 0).Source;

        var filtered = await _client.RelatedAsync(DemocracyId, new RelatedOptions { Filter = new DocumentFilter { Sources = [source] }, PageSize = 100 });
        var one = await _client.RelatedAsync(DemocracyId, new RelatedOptions { PageSize = 1 });

        Assert.NotEmpty(filtered.Hits);
        Assert.All(filtered.Hits, h => Assert.Equal(source, h.Source));
        Assert.Equal(unfiltered.Hits.Count(h => h.Source == source), filtered.Hits.Count);
        Assert.Equal(unfiltered.Hits[0].Id, Assert.Single(one.Hits).Id);
    }

    [Fact]
    public async Task Related_of_an_unknown_document_is_not_found()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.RelatedAsync("no-such-document-related"));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Invalid_discovery_arguments_name_their_field()
    {
        async Task<string> FieldOf(Func<Task> call)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
            return Assert.Single(ex.FieldViolations()).Field;
        }

        Assert.Equal("facets", await FieldOf(() => _client.SearchAsync("قسد", new SearchOptions { Facets = ["author"] })));
        Assert.Equal("facet_size", await FieldOf(() => _client.SearchAsync("قسد", new SearchOptions { Facets = [SearchFacets.Source], FacetSize = 101 })));
        Assert.Equal("filter.published_after", await FieldOf(() => _client.SearchAsync("قسد", new SearchOptions
        {
            Filter = new DocumentFilter { PublishedAfter = Utc(2018, 1, 1), PublishedBefore = Utc(2017, 1, 1) },
        })));
        Assert.Equal("prefix", await FieldOf(() => _client.SuggestAsync("  ")));
        Assert.Equal("size", await FieldOf(() => _client.SuggestAsync("الديمو", new SuggestOptions { Size = 51 })));
        Assert.Equal("page_size", await FieldOf(() => _client.RelatedAsync(DemocracyId, new RelatedOptions { PageSize = 101 })));
    }

    [Fact]
    public async Task An_empty_filter_is_no_filter_so_a_blank_query_is_still_refused()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.SearchAsync(string.Empty, new SearchOptions { Filter = new DocumentFilter { Sources = [] } }));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }
}
