namespace TextSearch.Analysis.Tests;

/// <summary>Stopwords are normalized with the analyzer's own rules when it is built, so every spelling its
/// normalizer conflates is covered; question words are stopwords unless the options say otherwise.</summary>
public sealed class StopwordTests
{
    // An analyzer that keeps question words as terms.
    private static readonly TextAnalyzer KeepQuestions = new(new AnalyzerOptions { QuestionWordsAreStopwords = false });

    private static bool IsStop(TextAnalyzer analyzer, string word) => Assert.Single(analyzer.Analyze(word)).IsStopword;

    [Theory]
    [InlineData("إلى")]
    [InlineData("الى")]
    [InlineData("الي")]
    [InlineData("إلي")]
    [InlineData("أو")]
    [InlineData("او")]
    [InlineData("أن")]
    [InlineData("ان")]
    [InlineData("إِلَى")]
    [InlineData("على")]
    [InlineData("علي")]
    [InlineData("هذه")]
    [InlineData("هذة")]
    [InlineData("الذى")]
    [InlineData("ﺇﻟﻰ")] // presentation forms
    public void Both_spellings_are_stopwords(string word) => Assert.True(IsStop(TextAnalyzer.Default, word), word);

    [Fact]
    public void The_set_holds_the_usual_and_the_normalized_spelling()
    {
        var set = TextAnalyzer.Default.Stopwords;
        Assert.Contains("إلى", set);
        Assert.Contains("الي", set);
        Assert.Contains("أو", set);
        Assert.Contains("او", set);
        Assert.True(TextAnalyzer.Default.IsStopword("الي"));
        Assert.False(TextAnalyzer.Default.IsStopword("كتاب"));
    }

    [Fact]
    public void Every_listed_stopword_is_flagged_in_any_spelling_the_normalizer_produces()
    {
        foreach (var word in ArabicStopwords.Words.Concat(ArabicStopwords.QuestionWords))
        {
            var tokens = TextAnalyzer.Default.Analyze(word);
            Assert.NotEmpty(tokens);
            Assert.All(tokens, t => Assert.True(t.IsStopword, $"{word} → {t.Term}"));
        }
    }

    [Theory]
    [InlineData("ماذا")]
    [InlineData("متى")]
    [InlineData("كيف")]
    [InlineData("هل")]
    [InlineData("لماذا")]
    [InlineData("أين")]
    [InlineData("اين")]
    [InlineData("كم")]
    [InlineData("أية")]
    [InlineData("بكم")]
    public void Question_words_are_stopwords_by_default_and_can_be_kept(string word)
    {
        Assert.True(IsStop(TextAnalyzer.Default, word), word);
        Assert.False(IsStop(KeepQuestions, word), word);
    }

    [Theory]
    [InlineData("متى", true)]
    [InlineData("متي", true)]
    [InlineData("كم", true)]
    [InlineData("بكم", true)]
    [InlineData("ومتى", true)]
    [InlineData("فكم", true)]
    [InlineData("ما", false)]
    [InlineData("أين", false)]
    [InlineData("عدد", false)]
    public void When_and_how_many_ask_for_a_number(string word, bool asks)
    {
        var term = TextAnalyzer.Default.Normalizer.NormalizeToString(word);
        Assert.Equal(asks, TextAnalyzer.Default.AsksForNumber(term));
        Assert.False(KeepQuestions.AsksForNumber(term)); // kept as a term
    }

    [Theory]
    [InlineData("ماهي")] // ما هي and ما هو, as people often type them
    [InlineData("ماهى")]
    [InlineData("ماهو")]
    [InlineData("بماذا")] // a preposition or conjunction joined to the question word
    [InlineData("عماذا")]
    [InlineData("بأي")]
    [InlineData("ومتى")]
    [InlineData("وكيف")]
    public void Question_words_written_together_with_a_pronoun_or_particle_are_question_words(string word)
    {
        var term = TextAnalyzer.Default.Normalizer.NormalizeToString(word);
        Assert.True(TextAnalyzer.Default.IsQuestionWord(term), word);
        Assert.True(IsStop(TextAnalyzer.Default, word), word);
        Assert.False(IsStop(KeepQuestions, word), word);
    }

    [Theory]
    [InlineData("ما")]
    [InlineData("من")]
    [InlineData("أي")]
    public void Question_words_that_are_also_function_words_stay_stopwords(string word)
    {
        Assert.True(IsStop(KeepQuestions, word), word);
    }

    [Fact]
    public void Stopwords_can_be_switched_off()
    {
        var analyzer = new TextAnalyzer(new AnalyzerOptions { Stopwords = false });
        Assert.Empty(analyzer.Stopwords);
        Assert.All(analyzer.Analyze("ذهب إلى البيت ثم عاد"), t => Assert.False(t.IsStopword));
    }

    [Fact]
    public void Stopwords_keep_their_position_and_are_not_stemmed()
    {
        var tokens = TextAnalyzer.Default.Analyze("ذهب إلى البيت وهو يضحك");
        Assert.Equal([0, 1, 2, 3, 4], tokens.Select(t => t.Position));
        Assert.Equal([false, true, false, true, false], tokens.Select(t => t.IsStopword));
        Assert.Equal("الي", tokens[1].Stem);
        Assert.Equal("وهو", tokens[3].Stem); // not cut to هو by the و prefix rule (too short anyway) nor stemmed
        Assert.Equal("بيت", tokens[2].Stem);
    }

    [Fact]
    public void The_set_follows_the_analyzers_own_rules()
    {
        // With hamza carriers folded, هؤلاء is spelt هولاء and must still be a stopword.
        var analyzer = new TextAnalyzer(new AnalyzerOptions { Rules = NormalizationRules.All });
        Assert.True(IsStop(analyzer, "هؤلاء"));
        Assert.True(IsStop(analyzer, "هولاء"));
        Assert.False(TextAnalyzer.Default.IsStopword("هولاء"));

        // Without the alef rule, إلى and الى are different terms, and only the listed spelling is a stopword.
        var keepAlef = new TextAnalyzer(new AnalyzerOptions { Rules = NormalizationRules.Default & ~NormalizationRules.AlefForms });
        Assert.True(IsStop(keepAlef, "إلى"));
        Assert.False(IsStop(keepAlef, "الى"));
    }

    [Fact]
    public void Create_set_rejects_a_null_normalizer() =>
        Assert.Throws<ArgumentNullException>(() => ArabicStopwords.CreateSet(null!, includeQuestionWords: true));

    [Theory]
    [InlineData("اسم")]
    [InlineData("إسم")]
    [InlineData("معنى")]
    [InlineData("عدد")]
    [InlineData("كلمة")]
    [InlineData("كلمه")]
    [InlineData("نوع")]
    [InlineData("سبب")]
    public void Answer_type_words_are_known_in_every_spelling_the_normalizer_folds_and_indexed_as_words(string word)
    {
        var term = TextAnalyzer.Default.Normalizer.NormalizeToString(word);
        Assert.True(TextAnalyzer.Default.IsAnswerTypeWord(term), word);
        Assert.False(TextAnalyzer.Default.IsStopword(term), word);

        // Question structure is the analyzer's choice: with question words kept as terms, these stay too.
        Assert.False(KeepQuestions.IsAnswerTypeWord(term), word);
        Assert.False(new TextAnalyzer(new AnalyzerOptions { Stopwords = false }).IsAnswerTypeWord(term), word);
    }

    [Fact]
    public void Question_words_are_known_whether_or_not_they_are_stopwords()
    {
        foreach (var analyzer in new[] { TextAnalyzer.Default, KeepQuestions })
        {
            Assert.True(analyzer.IsQuestionWord(analyzer.Normalizer.NormalizeToString("متى")));
            Assert.True(analyzer.IsQuestionWord(analyzer.Normalizer.NormalizeToString("أين")));
            Assert.True(analyzer.IsQuestionWord(analyzer.Normalizer.NormalizeToString("اين")));
            Assert.False(analyzer.IsQuestionWord("عدد"));
        }

        Assert.Throws<ArgumentNullException>(() => ArabicStopwords.CreateSet(TextAnalyzer.Default.Normalizer, words: null!));
    }
}
