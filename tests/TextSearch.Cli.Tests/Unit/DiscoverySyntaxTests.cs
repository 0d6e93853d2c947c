using TextSearch.Cli.Syntax;
using TextSearch.V1;

namespace TextSearch.Cli.Tests.Unit;

/// <summary>The options of filters, sort orders, facets, suggest and related as the command line reads them.</summary>
public sealed class DiscoverySyntaxTests
{
    private static Invocation Parse(params string[] args) => Assert.IsType<Invocation>(new CliSyntax().Read(args, _ => null));

    private static UsageException Fails(params string[] args) => Assert.Throws<UsageException>(() => new CliSyntax().Read(args, _ => null));

    private static DateTimeOffset Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Search_reads_repeated_sources_days_sort_and_facets()
    {
        var i = Parse("search", "داعش", "--source", "الخليج", "--source=عنب بلدي", "--from", "2017-01-01", "--to", "2017-12-31",
            "--sort", "Newest", "--facets", "published_at, source,published_at", "--facet-size", "5");

        Assert.Equal(["داعش"], i.Arguments);
        Assert.Equal(["الخليج", "عنب بلدي"], i.Sources);
        Assert.Equal(new DateOnly(2017, 1, 1), i.From);
        Assert.Equal(new DateOnly(2017, 12, 31), i.To);
        Assert.Equal(SortOrder.Newest, i.Sort);
        Assert.Equal(["published_at", "source"], i.Facets);
        Assert.Equal(5, i.FacetSize);
    }

    [Fact]
    public void From_is_the_start_of_its_day_and_to_includes_its_whole_day()
    {
        var filter = Parse("search", "x", "--from", "2017-01-01", "--to", "2017-12-31").Filter!;

        Assert.Equal(Utc(2017, 1, 1), filter.PublishedAfter);
        Assert.Equal(Utc(2018, 1, 1), filter.PublishedBefore);
        Assert.Empty(filter.Sources!);

        var oneDay = Parse("search", "x", "--from", "2016-02-29", "--to", "2016-02-29").Filter!;
        Assert.Equal(Utc(2016, 2, 29), oneDay.PublishedAfter);
        Assert.Equal(Utc(2016, 3, 1), oneDay.PublishedBefore);

        Assert.Equal(DateTimeOffset.MaxValue, Parse("search", "x", "--to", "9999-12-31").Filter!.PublishedBefore);
        Assert.Null(Parse("search", "x", "--to", "2020-01-01").Filter!.PublishedAfter);
    }

    [Fact]
    public void Without_filter_options_there_is_no_filter_and_the_sort_is_not_given()
    {
        var i = Parse("search", "x");

        Assert.Null(i.Filter);
        Assert.Null(i.Sort);
        Assert.Empty(i.Sources);
        Assert.Empty(i.Facets);
        Assert.Equal(["الخليج"], Parse("search", "x", "--source", "الخليج").Filter!.Sources);
    }

    [Theory]
    [InlineData("--source", "الخليج")]
    [InlineData("--from", "2017-01-01")]
    [InlineData("--to", "2017-01-01")]
    [InlineData("--facets", "source")]
    public void A_search_with_a_filter_or_facets_may_leave_out_the_query(string option, string value)
    {
        var i = Parse("search", option, value);

        Assert.Equal([string.Empty], i.Arguments);
    }

    [Theory]
    [InlineData("relevance", SortOrder.Relevance)]
    [InlineData("NEWEST", SortOrder.Newest)]
    [InlineData("oldest", SortOrder.Oldest)]
    public void Sort_orders(string text, SortOrder expected)
    {
        Assert.Equal(expected, Parse("search", "x", "--sort", text).Sort);
    }

    [Fact]
    public void Suggest_and_related_take_their_own_options()
    {
        var suggest = Parse("suggest", "قوات الديمو", "--size", "5");
        var related = Parse("related", "001_0cdae21df2de8709", "--page-size", "3", "--source", "الخليج", "--from", "2017-10-01");

        Assert.Equal(CommandKind.Suggest, suggest.Command.Kind);
        Assert.Equal(["قوات الديمو"], suggest.Arguments);
        Assert.Equal(5, suggest.Size);
        Assert.Equal(CommandKind.Related, related.Command.Kind);
        Assert.Equal(["001_0cdae21df2de8709"], related.Arguments);
        Assert.Equal(3, related.PageSize);
        Assert.Equal(["الخليج"], related.Filter!.Sources);
        Assert.Equal(Utc(2017, 10, 1), related.Filter.PublishedAfter);
    }

    [Fact]
    public void The_next_page_repeats_every_option_of_the_search_in_a_fixed_order()
    {
        var i = Parse("search", "--facet-size", "3", "--sort", "OLDEST", "--to", "2017-12-31", "--source", "ب", "--page-size", "2",
            "--facets", "source", "--from", "2017-01-01", "--source", "أ", "--snippets", "2", "q");

        Assert.Equal(
            ["--page-size", "2", "--snippets", "2", "--source", "ب", "--source", "أ", "--from", "2017-01-01", "--to", "2017-12-31",
                "--sort", "oldest", "--facets", "source", "--facet-size", "3"],
            i.SearchOptionArguments());
        Assert.Empty(Parse("search", "q").SearchOptionArguments());

        // What it prints reads back as the same search.
        var again = Parse(["search", .. i.SearchOptionArguments(), "q"]);
        Assert.Equal(i.SearchOptionArguments(), again.SearchOptionArguments());
    }

    [Theory]
    [InlineData("--from must be a date as YYYY-MM-DD, e.g. 2017-01-31; got '2017-13-01'.", "search", "x", "--from", "2017-13-01")]
    [InlineData("--from must be a date as YYYY-MM-DD, e.g. 2017-01-31; got '2017-1-1'.", "search", "x", "--from", "2017-1-1")]
    [InlineData("--to must be a date as YYYY-MM-DD, e.g. 2017-01-31; got 'yesterday'.", "search", "x", "--to", "yesterday")]
    [InlineData("--to must be a date as YYYY-MM-DD, e.g. 2017-01-31; got '2017-02-30'.", "related", "d", "--to", "2017-02-30")]
    [InlineData("--to must be a date as YYYY-MM-DD, e.g. 2017-01-31; got '2017-01-01T00:00:00Z'.", "search", "x", "--to", "2017-01-01T00:00:00Z")]
    [InlineData("--from 2018-01-01 is after --to 2017-12-31.", "search", "x", "--from", "2018-01-01", "--to", "2017-12-31")]
    [InlineData("--sort must be relevance, newest or oldest; got 'best'.", "search", "x", "--sort", "best")]
    [InlineData("--facets must be a comma-separated list of source and published_at (e.g. source,published_at); got 'source,author'.", "search", "x", "--facets", "source,author")]
    [InlineData("--facets must be a comma-separated list of source and published_at (e.g. source,published_at); got 'source,'.", "search", "x", "--facets", "source,")]
    [InlineData("option --facets is given more than once.", "search", "x", "--facets", "source", "--facets", "published_at")]
    [InlineData("--facet-size needs --facets.", "search", "x", "--facet-size", "3")]
    [InlineData("--facet-size must be a whole number from 1 to 100; got '101'.", "search", "x", "--facets", "source", "--facet-size", "101")]
    [InlineData("option --source needs a value (S).", "search", "x", "--source")]
    [InlineData("option --source needs a value (S).", "search", "x", "--source", "a", "--source")]
    [InlineData("--source must not be empty.", "search", "x", "--source", " ")]
    [InlineData("search: too many arguments (expected QUERY, got 2); quote text that contains spaces, e.g. textsearch search \"two words\".", "search", "x", "--source", "a", "b")]
    [InlineData("search: missing QUERY (without one, give --source, --from, --to or --facets to list the matching documents).", "search", "--sort", "newest")]
    [InlineData("--size must be a whole number from 1 to 50; got '51'.", "suggest", "x", "--size", "51")]
    [InlineData("suggest: missing TEXT.", "suggest")]
    [InlineData("related: missing ID.", "related", "--source", "a")]
    [InlineData("option --source does not apply to 'suggest'.", "suggest", "x", "--source", "a")]
    [InlineData("option --sort does not apply to 'related'.", "related", "d", "--sort", "newest")]
    [InlineData("option --facets does not apply to 'related'.", "related", "d", "--facets", "source")]
    [InlineData("option --size does not apply to 'search'.", "search", "x", "--size", "3")]
    [InlineData("option --from does not apply to 'get'.", "get", "x", "--from", "2017-01-01")]
    [InlineData("--source applies only to --call search.", "bench", "--call", "normalize", "--query", "x", "--source", "a")]
    [InlineData("option --source does not apply to 'snippet'.", "snippet", "d", "x", "--source", "a")]
    public void Usage_errors_name_the_option(string message, params string[] args)
    {
        var e = Fails(args);

        Assert.Equal(message, e.Message);
        Assert.Equal(args[0], e.Command);
    }

    [Fact]
    public void Help_shows_the_optional_query_the_repeatable_source_and_the_new_commands()
    {
        var syntax = new CliSyntax();
        var general = HelpText.General(syntax);

        Assert.StartsWith("textsearch search [--page-size N] [--page-token TOKEN] [--snippets N] [--source S]... [--from DATE] [--to DATE] [--sort ORDER] [--facets LIST] [--facet-size N] [QUERY]", syntax.Find("search")!.Usage, StringComparison.Ordinal);
        Assert.Equal("textsearch suggest [--size N] TEXT", syntax.Find("suggest")!.Usage);
        Assert.Equal("textsearch related [--page-size N] [--source S]... [--from DATE] [--to DATE] ID", syntax.Find("related")!.Usage);
        Assert.Contains("\n  search [QUERY]  ", general, StringComparison.Ordinal);
        Assert.Contains("\n  suggest TEXT  ", general, StringComparison.Ordinal);
        Assert.Contains("\n  related ID  ", general, StringComparison.Ordinal);
        Assert.Contains("\n  --facets LIST  ", general, StringComparison.Ordinal);
        Assert.Contains("\n  --size N  ", HelpText.OfCommand(syntax, syntax.Find("suggest")!), StringComparison.Ordinal);
        Assert.DoesNotContain("--sort", HelpText.OfCommand(syntax, syntax.Find("related")!), StringComparison.Ordinal);
    }
}
