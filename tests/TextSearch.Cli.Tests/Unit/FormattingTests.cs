using Google.Protobuf.WellKnownTypes;
using TextSearch.Cli.Ingest;
using TextSearch.Cli.Output;
using TextSearch.V1;

namespace TextSearch.Cli.Tests.Unit;

public sealed class FormattingTests
{
    private const string On = DisplayOptions.HighlightOn;
    private const string Off = DisplayOptions.HighlightOff;

    private static readonly DisplayOptions Brackets = DisplayOptions.Plain with { Brackets = true };
    private static readonly DisplayOptions Colour = DisplayOptions.Plain with { Color = true };

    [Fact]
    public void Highlights_render_as_colour_brackets_or_nothing()
    {
        var text = StyledText.WithHighlights("قوات قسد هنا", [(5, 8)]);

        Assert.Equal("قوات قسد هنا", text.Render(DisplayOptions.Plain));
        Assert.Equal("قوات [قسد] هنا", text.Render(Brackets));
        Assert.Equal($"قوات {On}قسد{Off} هنا", text.Render(Colour));
        Assert.Equal($"قوات {On}[قسد]{Off} هنا", text.Render(Colour with { Brackets = true }));
    }

    [Fact]
    public void Highlights_survive_visual_reordering()
    {
        var text = StyledText.WithHighlights("قوات قسد هنا", [(5, 8)]);

        Assert.Equal("انه [دسق] تاوق", text.Render(Brackets with { Visual = true }));
        Assert.Equal($"انه {On}دسق{Off} تاوق", text.Render(Colour with { Visual = true }));
    }

    [Fact]
    public void Out_of_range_highlights_are_clipped()
    {
        Assert.Equal("[ab]", StyledText.WithHighlights("ab", [(-3, 1), (1, 99)]).Render(Brackets));
    }

    [Fact]
    public void Single_line_collapses_whitespace_and_keeps_the_highlights()
    {
        var text = StyledText.WithHighlights("  one\n\ntwo  three\t", [(2, 5), (7, 10)]).SingleLine();

        Assert.Equal("one two three", text.Text);
        Assert.Equal("[one] [two] three", text.Render(Brackets));
    }

    [Fact]
    public void A_highlight_across_a_line_break_stays_one_highlight()
    {
        var text = StyledText.WithHighlights("a b\nc d", [(2, 5)]).SingleLine();

        Assert.Equal("a [b c] d", text.Render(Brackets));
    }

    [Fact]
    public void Wrap_breaks_at_spaces_and_cuts_words_longer_than_the_width()
    {
        var lines = StyledText.Plain("aaa bbb ccc dddddddddd").Wrap(7).Select(l => l.Text);

        Assert.Equal(["aaa bbb", "ccc", "ddddddd", "ddd"], lines);
    }

    [Fact]
    public void Wrap_counts_letters_with_their_marks_as_one_column()
    {
        Assert.Single(StyledText.Plain("بِسْمِ بِسْمِ").Wrap(7));
    }

    [Fact]
    public void Search_output_has_rank_title_facts_snippets_and_the_next_page()
    {
        var response = new SearchResponse { TotalHits = 42, NextPageToken = "TOKEN1" };
        var hit = new SearchHit
        {
            Id = "doc-1",
            Score = 3.14159,
            Title = "عنوان قسد",
            Source = "الخليج",
            PublishedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2017, 10, 14, 0, 0, 0, TimeSpan.Zero)),
        };
        hit.TitleHighlights.Add(new Highlight { Start = 6, End = 9 });
        var snippet = new V1.Snippet { Text = "نص عن قسد", Start = 10, End = 19 };
        snippet.Highlights.Add(new Highlight { Start = 6, End = 9 });
        hit.Snippets.Add(snippet);
        response.Hits.Add(hit);
        response.Hits.Add(new SearchHit { Id = "doc-2", Score = 1 });

        var output = new HumanFormatter(Brackets).Search(response, "قسد أمريكا", pageSize: 2);

        Assert.Equal(
            "1. عنوان [قسد]\n" +
            "    id doc-1  ·  score 3.142  ·  source الخليج  ·  date 2017-10-14\n" +
            "    … نص عن [قسد]\n" +
            "\n" +
            "2. (untitled)\n" +
            "    id doc-2  ·  score 1.000\n" +
            "\n" +
            "total hits: 42\n" +
            "next page token: TOKEN1\n" +
            "next page: textsearch search --page-size 2 --page-token TOKEN1 'قسد أمريكا'\n",
            output.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("قسد", "قسد")]
    [InlineData("two words", "'two words'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("\"a phrase\"", "'\"a phrase\"'")]
    [InlineData("$HOME", "'$HOME'")]
    public void Shell_quoting_for_the_next_page_hint(string value, string quoted)
    {
        Assert.Equal(quoted, HumanFormatter.ShellQuote(value));
    }

    [Fact]
    public void Next_page_hint_puts_double_dash_before_a_query_that_starts_with_a_dash()
    {
        var output = new HumanFormatter(DisplayOptions.Plain).Search(new SearchResponse { NextPageToken = "T" }, "-a b", pageSize: null);

        Assert.Contains("next page: textsearch search --page-token T -- '-a b'", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Visual_document_output_wraps_before_reordering()
    {
        var formatter = new HumanFormatter(DisplayOptions.Plain with { Visual = true, Width = 20 });
        var doc = new Document { Id = "d", Title = "عنوان", Body = "الكلمة الأولى ثم الكلمة الثانية ثم الثالثة" };

        var lines = formatter.Document(doc).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

        Assert.Equal("title:   ناونع", lines[1]);
        Assert.Equal(["مث ىلوألا ةملكلا", "مث ةيناثلا ةملكلا", "ةثلاثلا"], lines[3..6]);
    }

    [Fact]
    public void Analyze_aligns_columns_by_text_elements()
    {
        var response = new AnalyzeResponse();
        response.Tokens.Add(new Token { Text = "ٱلرَّحْمَٰنِ", Term = "الرحمن", Stem = "رحمن", Position = 0 });
        response.Tokens.Add(new Token { Text = "و", Term = "و", Stem = "و", Position = 1, Stopword = true });

        var lines = new HumanFormatter(DisplayOptions.Plain).Analyze(response).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

        Assert.Equal("pos  text    term    stem  flags", lines[0]);
        Assert.Equal("  0  ٱلرَّحْمَٰنِ  الرحمن  رحمن", lines[1]);
        Assert.Equal("  1  و       و       و     stopword", lines[2]);
    }

    [Fact]
    public void Progress_bar_rendering()
    {
        Assert.Equal("[..............................]   0%  0 documents", ProgressBar.Render(0, 1000, 0));
        Assert.Equal("[###############...............]  50%  1 document", ProgressBar.Render(500, 1000, 1));
        Assert.Equal("[##############################] 100%  12,345 documents", ProgressBar.Render(2000, 1000, 12345));
        Assert.Equal("[##############################] 100%  0 documents", ProgressBar.Render(0, 0, 0));
    }
}
