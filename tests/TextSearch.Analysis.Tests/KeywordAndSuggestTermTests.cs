namespace TextSearch.Analysis.Tests;

/// <summary>Keyword values (<see cref="Keywords"/>) and completion terms (<see cref="SuggestTerms"/>): one test per rule.</summary>
public sealed class KeywordAndSuggestTermTests
{
    private static string Normalize(string value) => Keywords.Normalize(TextAnalyzer.Default, value);

    [Theory]
    [InlineData("الإسلامية", "الاسلاميه")]
    [InlineData("الاسلامية", "الاسلاميه")]
    [InlineData("الإسـلامـيّة", "الاسلاميه")]
    [InlineData("Okaz", "okaz")]
    public void Keywords_are_normalized_like_text(string value, string expected) => Assert.Equal(expected, Normalize(value));

    [Fact]
    public void Keywords_lose_outer_white_space_and_inner_runs_become_one_space()
    {
        Assert.Equal("وكالات - الامارات 71", Normalize("  وكالات \t-  الإمارات\n71 "));
        Assert.Equal(string.Empty, Normalize(" \t "));
    }

    [Fact]
    public void A_keyword_already_normal_is_returned_as_it_is()
    {
        const string value = "الرياض";
        Assert.Same(value, Normalize(value));
    }

    private static List<string> Terms(params string[] texts) => Terms(words: true, texts);

    private static List<string> Terms(bool words, params string[] texts)
    {
        var builder = new SuggestTermBuilder();
        var session = new AnalysisSession(TextAnalyzer.Default);
        foreach (var text in texts)
        {
            session.Reset(text);
            while (session.MoveNext())
            {
                var token = session.Current;
                builder.Add(token.Term, text.AsSpan(token.Start, token.End - token.Start), token.IsStopword);
            }
        }

        return [.. builder.Terms(words).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void A_word_written_as_its_normalized_form_is_one_term()
    {
        Assert.Equal(["سوريا"], Terms("سوريا"));
    }

    [Fact]
    public void A_word_written_otherwise_also_gives_a_marker_and_its_spellings_its_normalized_form_included()
    {
        Assert.Equal(["الاسلاميه", "الاسلاميه ", "الاسلاميه الإسلامية"], Terms("الإسلامية"));
        Assert.Equal(["الاسلاميه", "الاسلاميه ", "الاسلاميه الإسلامية", "الاسلاميه الاسلاميه"], Terms("الإسلامية الاسلاميه"));
    }

    [Fact]
    public void Without_the_words_only_the_markers_and_spellings_remain()
    {
        // For an engine that reads the words from a field holding the same terms (the embedded engine's exact forms).
        Assert.Empty(Terms(words: false, "سوريا"));
        Assert.Equal(["الاسلاميه ", "الاسلاميه الإسلامية", "الاسلاميه الاسلاميه"], Terms(words: false, "سوريا الإسلامية الاسلاميه"));
    }

    [Fact]
    public void A_document_counts_once_across_its_title_and_body()
    {
        Assert.Equal(["الاسلاميه", "الاسلاميه ", "الاسلاميه الإسلامية", "الاسلاميه الاسلاميه"], Terms("الإسلامية", "الاسلاميه"));
    }

    [Fact]
    public void The_best_spelling_counts_the_documents_that_write_the_normalized_form_without_a_term_of_their_own()
    {
        // 10 documents hold the word; 4 write it otherwise (the marker), one of them also as the word itself.
        Assert.Equal(("الاسلاميه", 7L), SuggestTerms.BestSpelling("الاسلاميه", 10, 4, [("الإسلامية", 4), ("الاسلاميه", 1)]));
        // 10 documents, 8 write it otherwise: the other spelling leads.
        Assert.Equal(("الإسلامية", 8L), SuggestTerms.BestSpelling("الاسلاميه", 10, 8, [("الإسلامية", 8)]));
        // A tie goes to the spelling first in ordinal order.
        Assert.Equal(("الإسلامية", 5L), SuggestTerms.BestSpelling("الاسلاميه", 10, 5, [("الإسلامية", 5)]));
    }

    [Fact]
    public void A_spelling_stretched_past_the_limit_is_recorded_as_its_normalized_word()
    {
        var stretched = "ب" + new string('\u0640', 40_000) + "ت";
        Assert.Equal(["بت"], Terms(stretched));
        var marked = "بَ" + new string('\u0640', 100) + "ت";
        Assert.Contains("بت " + marked, Terms(marked));
    }

    [Fact]
    public void Stopwords_and_one_letter_words_are_not_completions()
    {
        Assert.Equal(["الرقه", "الرقه ", "الرقه الرقة"], Terms("في و الرقة"));
    }

    [Fact]
    public void A_word_sorts_before_its_spellings_and_before_longer_words()
    {
        var terms = Terms("الاسلام الإسلام الاسلامي");
        Assert.Equal(["الاسلام", "الاسلام ", "الاسلام الإسلام", "الاسلام الاسلام", "الاسلامي"], terms);
        Assert.Equal(("الاسلام", "الإسلام"), SuggestTerms.Split("الاسلام الإسلام"));
        Assert.Equal(("الاسلام", string.Empty), SuggestTerms.Split("الاسلام"));
    }

    [Theory]
    [InlineData("الاسلا", "", "الاسلا")]
    [InlineData("قوات الإسـلا", "قوات ", "الاسلا")]
    [InlineData("الرَّقَّ", "", "الرق")]
    public void The_last_word_typed_is_completed_and_what_comes_before_is_kept(string typed, string head, string prefix) =>
        Assert.Equal((head, prefix), SuggestTerms.LastWord(TextAnalyzer.Default, typed));

    [Theory]
    [InlineData("الرقة ")]
    [InlineData("الرقة،")]
    [InlineData("!!")]
    public void Text_that_ends_after_its_last_word_has_nothing_to_complete(string typed) =>
        Assert.Null(SuggestTerms.LastWord(TextAnalyzer.Default, typed));
}
