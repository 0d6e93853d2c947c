using TextSearch.Cli.Output;
using TextSearch.V1;

namespace TextSearch.Cli.Tests.Unit;

/// <summary>How facets, suggestions and related documents are printed.</summary>
public sealed class DiscoveryFormattingTests
{
    private static string Lf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static Facet Facet(string field, params (string Value, long Count)[] values)
    {
        var facet = new Facet { Field = field };
        facet.Values.Add(values.Select(v => new FacetValue { Value = v.Value, Count = v.Count }));
        return facet;
    }

    [Fact]
    public void Facets_are_small_tables_after_the_hits_and_before_the_total()
    {
        var response = new SearchResponse { TotalHits = 1234 };
        response.Hits.Add(new SearchHit { Id = "d1", Score = 1, Title = "عنوان" });
        response.Facets.Add(Facet("source", ("الخليج", 1200), ("عنب بلدي", 34)));
        response.Facets.Add(Facet("published_at", ("2017-10", 7), ("2017-09", 12345)));

        var output = new HumanFormatter(DisplayOptions.Plain).Search(response, string.Empty, []);

        Assert.Equal(
            "1. عنوان\n" +
            "    id d1  ·  score 1.000\n" +
            "\n" +
            "facet source:\n" +
            "    source    count\n" +
            "    الخليج     1200\n" +
            "    عنب بلدي     34\n" +
            "\n" +
            "facet published_at:\n" +
            "    month    count\n" +
            "    2017-10      7\n" +
            "    2017-09  12345\n" +
            "\n" +
            "total hits: 1234\n" +
            "next page token: (none, last page)\n",
            Lf(output));
    }

    [Fact]
    public void A_facet_without_values_says_so_and_no_hits_still_comes_first()
    {
        var response = new SearchResponse();
        response.Facets.Add(Facet("source"));

        var output = new HumanFormatter(DisplayOptions.Plain).Search(response, "x", []);

        Assert.Equal("no hits\n\nfacet source:\n    (no values)\n\ntotal hits: 0\nnext page token: (none, last page)\n", Lf(output));
    }

    [Fact]
    public void Facet_cells_are_reordered_in_visual_mode_and_stay_aligned()
    {
        var response = new SearchResponse();
        response.Facets.Add(Facet("source", ("الخليج", 3), ("عنب بلدي", 10)));

        var lines = Lf(new HumanFormatter(DisplayOptions.Plain with { Visual = true }).Search(response, "x", [])).Split('\n');

        Assert.Equal("    source    count", lines[3]);
        Assert.Equal("    جيلخلا        3", lines[4]);
        Assert.Equal("    يدلب بنع     10", lines[5]);
    }

    [Fact]
    public void The_next_page_command_repeats_the_filters_and_leaves_out_a_blank_query()
    {
        var response = new SearchResponse { TotalHits = 9, NextPageToken = "T1" };
        string[] repeat = ["--page-size", "2", "--source", "عنب بلدي", "--from", "2017-01-01", "--sort", "newest", "--facets", "source,published_at"];

        var listing = new HumanFormatter(DisplayOptions.Plain).Search(response, string.Empty, repeat);
        var query = new HumanFormatter(DisplayOptions.Plain).Search(response, "-a", ["--sort", "oldest"]);

        Assert.EndsWith(
            "next page: textsearch search --page-size 2 --source 'عنب بلدي' --from 2017-01-01 --sort newest --facets source,published_at --page-token T1\n",
            Lf(listing),
            StringComparison.Ordinal);
        Assert.EndsWith("next page: textsearch search --sort oldest --page-token T1 -- -a\n", Lf(query), StringComparison.Ordinal);
    }

    [Fact]
    public void Suggestions_are_a_table_of_text_normalized_word_and_documents()
    {
        var response = new SuggestResponse();
        response.Suggestions.Add(new Suggestion { Text = "قوات الديموقراطية", Normalized = "الديموقراطيه", Count = 3 });
        response.Suggestions.Add(new Suggestion { Text = "قوات الديمقراطية", Normalized = "الديمقراطيه", Count = 12 });

        var output = new HumanFormatter(DisplayOptions.Plain).Suggestions(response);

        Assert.Equal(
            "suggestion         normalized    documents\n" +
            "قوات الديموقراطية  الديموقراطيه          3\n" +
            "قوات الديمقراطية   الديمقراطيه          12\n",
            Lf(output));
        Assert.Equal("(no suggestions)\n", Lf(new HumanFormatter(DisplayOptions.Plain).Suggestions(new SuggestResponse())));
    }

    [Fact]
    public void Related_prints_hits_and_the_total_without_paging()
    {
        var response = new SearchResponse { TotalHits = 3 };
        response.Hits.Add(new SearchHit { Id = "d2", Score = 2.5, Title = "قريب", Source = "الخليج" });

        var output = new HumanFormatter(DisplayOptions.Plain).Related(response);

        Assert.Equal("1. قريب\n    id d2  ·  score 2.500  ·  source الخليج\n\ntotal hits: 3\n", Lf(output));
        Assert.Equal("no related documents\ntotal hits: 0\n", Lf(new HumanFormatter(DisplayOptions.Plain).Related(new SearchResponse())));
    }
}
