using static TextSearch.Search.Tests.TestSupport;

namespace TextSearch.Search.Tests;

public sealed class SnippetBuilderTests
{
    private static string Highlighted(string text, Snippets.Highlight h) => text[h.Start..h.End];

    [Fact]
    public void Highlight_covers_the_whole_original_word_with_diacritics_and_prefix()
    {
        const string text = "دخلت القوات وَالرَّقَّةِ أمس.";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("الرقة"), 1, 160));
        var h = Assert.Single(fragment.Highlights);
        Assert.Equal("وَالرَّقَّةِ", Highlighted(fragment.Text, h));
    }

    [Fact]
    public void Highlight_covers_tatweel_and_attached_prefix()
    {
        const string text = "وصل الوفد إلى بـالـرقـــة صباحا";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("الرقة"), 1, 160));
        Assert.Equal("بـالـرقـــة", Highlighted(fragment.Text, Assert.Single(fragment.Highlights)));
    }

    [Fact]
    public void Snippets_are_original_text_not_normalized()
    {
        const string text = "أعلنت قوات سوريا الديمقراطية السيطرة على مدينة الرقة.";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("اعلنت"), 1, 160));
        Assert.Contains("أعلنت", fragment.Text, StringComparison.Ordinal);
        Assert.Equal("أعلنت", Highlighted(fragment.Text, fragment.Highlights[0]));
    }

    [Fact]
    public void Phrase_matches_are_one_highlight()
    {
        const string text = "وقال المقاتل من دوار النعيم إن المدينة عادت.";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("\"دوار النعيم\""), 1, 160));
        Assert.Equal("دوار النعيم", Highlighted(fragment.Text, Assert.Single(fragment.Highlights)));
    }

    [Fact]
    public void Spelling_variants_are_highlighted()
    {
        const string text = "قوات سوريا الديموقراطية تتقدم.";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("الديمقراطية"), 1, 160));
        Assert.Equal("الديموقراطية", Highlighted(fragment.Text, Assert.Single(fragment.Highlights)));
    }

    [Fact]
    public void Excluded_words_are_not_highlighted()
    {
        const string text = "داعش في الرقة";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("داعش -الرقة"), 1, 160));
        Assert.Equal("داعش", Highlighted(fragment.Text, Assert.Single(fragment.Highlights)));
    }

    [Fact]
    public void Fragments_are_cut_at_word_boundaries_near_the_requested_length()
    {
        var words = string.Join(' ', Enumerable.Range(0, 200).Select(i => i == 100 ? "الرقة" : "كلمة" + (i % 10)));
        var fragment = Assert.Single(TestSupport.Snippets.Build(words, Parser.Parse("الرقة"), 1, 160));
        Assert.InRange(fragment.Text.Length, 80, 170);
        Assert.Equal(words.Substring(fragment.Start, fragment.End - fragment.Start), fragment.Text);
        Assert.True(fragment.Start == 0 || words[fragment.Start - 1] == ' ', "starts at a word boundary");
        Assert.True(fragment.End == words.Length || words[fragment.End] == ' ', "ends at a word boundary");
        Assert.Contains("الرقة", fragment.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Fragments_prefer_sentence_starts()
    {
        var text = "جملة أولى طويلة عن شيء آخر تماما. " + "ثم دخلت القوات مدينة الرقة بعد معارك. " + string.Join(' ', Enumerable.Repeat("حشو", 60));
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("الرقة"), 1, 160));
        Assert.StartsWith("ثم دخلت", fragment.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Best_scoring_fragment_comes_first()
    {
        var filler = string.Join(' ', Enumerable.Repeat("حشو", 80));
        var text = $"ذكرت الرقة وحدها هنا. {filler}. هنا الرقة ودير الزور والميادين معا. {filler}";
        var fragments = TestSupport.Snippets.Build(text, Parser.Parse("الرقة الزور الميادين"), 2, 120);
        Assert.Equal(2, fragments.Count);
        Assert.Contains("الميادين", fragments[0].Text, StringComparison.Ordinal);
        Assert.True(fragments[0].Score > fragments[1].Score);
    }

    [Fact]
    public void No_match_gives_the_beginning_without_highlights()
    {
        var fragment = Assert.Single(TestSupport.Snippets.Build("نص لا يحتوي على الكلمة المطلوبة.", Parser.Parse("الرقة"), 1, 160));
        Assert.Empty(fragment.Highlights);
        Assert.Equal(0, fragment.Start);
    }

    [Fact]
    public void Highlights_count_every_occurrence_in_titles()
    {
        var highlights = TestSupport.Snippets.HighlightAll("الرقة بعد الرقة", Parser.Parse("الرقة"));
        Assert.Equal(2, highlights.Count);
    }

    [Fact]
    public void Surrogate_pairs_and_emoji_do_not_break_offsets()
    {
        const string text = "😀 مدينة الرقة 😀";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("الرقة"), 1, 160));
        Assert.Equal("الرقة", Highlighted(fragment.Text, Assert.Single(fragment.Highlights)));
    }
}
