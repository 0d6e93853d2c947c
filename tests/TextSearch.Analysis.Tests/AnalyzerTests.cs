namespace TextSearch.Analysis.Tests;

/// <summary>TextAnalyzer and the reusable AnalysisSession behind it.</summary>
public sealed class AnalyzerTests
{
    [Fact]
    public void Analyze_gives_text_term_stem_position_offsets_kind_and_stopword_flag()
    {
        const string text = "وزيرُها ذهب إلى «الْمَدْرَسَةِ» في ٢٠٢٤";
        var tokens = TextAnalyzer.Default.Analyze(text);
        Assert.Equal(
        [
            new AnalyzedToken("وزيرُها", "وزيرها", "وزير", 0, 0, 7, TokenKind.Word, false),
            new AnalyzedToken("ذهب", "ذهب", "ذهب", 1, 8, 11, TokenKind.Word, false),
            new AnalyzedToken("إلى", "الي", "الي", 2, 12, 15, TokenKind.Word, true),
            new AnalyzedToken("الْمَدْرَسَةِ", "المدرسه", "مدرس", 3, 17, 30, TokenKind.Word, false),
            new AnalyzedToken("في", "في", "في", 4, 32, 34, TokenKind.Word, true),
            new AnalyzedToken("٢٠٢٤", "2024", "2024", 5, 35, 39, TokenKind.Number, false),
        ], tokens);
    }

    [Fact]
    public void A_session_yields_what_analyze_yields_and_can_be_reused()
    {
        var session = new AnalysisSession(TextAnalyzer.Default);
        Assert.Same(TextAnalyzer.Default, session.Analyzer);
        string[] texts = ["ٱلرَّحْمَٰنِ ﷲ 26,950 الـ24", "كتب", "", "\u200F", "قال ﷺ", "وزيرُها ذهب إلى المدرسة"];
        foreach (var text in texts.Concat(texts.Reverse()))
        {
            var expected = TextAnalyzer.Default.Analyze(text);
            session.Reset(text);
            var i = 0;
            while (session.MoveNext())
            {
                var t = session.Current;
                Assert.True(i < expected.Count, $"extra token in \"{text}\"");
                var e = expected[i++];
                Assert.Equal(e.Term, t.Term.ToString());
                Assert.Equal(e.Stem, t.Stem.ToString());
                Assert.Equal((e.Position, e.Start, e.End, e.Kind, e.IsStopword), (t.Position, t.Start, t.End, t.Kind, t.IsStopword));
            }

            Assert.Equal(expected.Count, i);
            Assert.False(session.MoveNext());
        }
    }

    [Fact]
    public void A_sessions_term_and_offsets_alone_are_those_of_its_current_token()
    {
        // Diacritics and a presentation form (the normalized text is not the original), a number with separators (the
        // term is rewritten), a stopword, and offsets asked before, after or instead of the whole token.
        const string text = "وزيرُها ذهب إلى ﻣﺪﺭﺳﺔ عددها ٢٦٬٩٥٠ طالبًا";
        var expected = TextAnalyzer.Default.Analyze(text);
        var session = new AnalysisSession(TextAnalyzer.Default);
        session.Reset(text);
        var i = 0;
        while (session.MoveNext())
        {
            var e = expected[i];
            if (i++ % 2 == 0)
            {
                Assert.Equal(e.Term, session.CurrentTerm.ToString());
                Assert.Equal((e.Start, e.End), session.CurrentOffsets);
                Assert.Equal((e.Start, e.End), (session.Current.Start, session.Current.End));
            }
            else
            {
                Assert.Equal((e.Start, e.End), session.CurrentOffsets);
                Assert.Equal(e.Term, session.CurrentTerm.ToString());
            }
        }

        Assert.Equal(expected.Count, i);
        Assert.Contains(expected, t => t.Term == "26950");
        Assert.Contains(expected, t => t.Text != t.Term);
    }

    [Fact]
    public void Stem_of_a_single_word_and_of_a_phrase()
    {
        Assert.Equal("كتاب", TextAnalyzer.Default.StemOf("الكتاب"));
        Assert.Equal("كتاب قلم", TextAnalyzer.Default.StemOf("الكتاب والقلم"));
        Assert.Equal("", TextAnalyzer.Default.StemOf("،"));
    }

    [Fact]
    public void Options_choose_the_normalization_rules()
    {
        var analyzer = new TextAnalyzer(new AnalyzerOptions { Rules = NormalizationRules.All, Stem = false });
        Assert.Equal(NormalizationRules.All, analyzer.Normalizer.Rules);
        Assert.Equal(["رييس", "موتمر"], analyzer.Analyze("رئيس مؤتمر").Select(t => t.Term));
        Assert.Equal(["رئيس", "مؤتمر"], TextAnalyzer.Default.Analyze("رئيس مؤتمر").Select(t => t.Term));
        Assert.Same(AnalyzerOptions.Default, TextAnalyzer.Default.Options);
        Assert.Same(AnalyzerOptions.Default, new TextAnalyzer().Options);
    }

    [Fact]
    public void Null_text_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => TextAnalyzer.Default.Analyze(null!));
        Assert.Throws<ArgumentNullException>(() => new AnalysisSession(TextAnalyzer.Default).Reset(null!));
    }
}
