namespace TextSearch.Analysis.Tests;

/// <summary>
/// The light stemmer: Lucene ArabicStemmer's prefixes and suffixes, the length guards (a prefix leaves at least
/// 2 letters, و at least 3; a suffix leaves at least 3), and the root-word exceptions for و and ال.
/// Terms are given already normalized (ة → ه, ى → ي, أ → ا), as the analyzer hands them to the stemmer.
/// </summary>
public sealed class StemmerTests
{
    private static string Stem(string term) => ArabicLightStemmer.StemSpan(term).ToString();

    [Theory]
    [InlineData("الكتاب", "كتاب")]
    [InlineData("والكتاب", "كتاب")]
    [InlineData("بالكتاب", "كتاب")]
    [InlineData("كالكتاب", "كتاب")]
    [InlineData("فالكتاب", "كتاب")]
    [InlineData("للكتاب", "كتاب")]
    [InlineData("وللكتاب", "كتاب")]
    [InlineData("وكتاب", "كتاب")]
    public void Strips_a_prefix(string term, string stem) => Assert.Equal(stem, Stem(term));

    [Theory]
    [InlineData("كتابها", "كتاب")]
    [InlineData("معلمان", "معلم")]
    [InlineData("معلمات", "معلم")]
    [InlineData("معلمون", "معلم")]
    [InlineData("معلمين", "معلم")]
    [InlineData("كتابيه", "كتاب")]
    [InlineData("مدرسية", "مدرس")]
    [InlineData("كتابه", "كتاب")]
    [InlineData("مدرسة", "مدرس")]
    [InlineData("كتابي", "كتاب")]
    public void Strips_a_suffix(string term, string stem) => Assert.Equal(stem, Stem(term));

    [Theory]
    [InlineData("معلماتها", "معلم")] // ها then ات
    [InlineData("والمعلمات", "معلم")] // prefix and suffix
    [InlineData("بالمدرسه", "مدرس")]
    [InlineData("مدرستيه", "مدرست")] // يه once; ه is then not at the end
    public void Strips_a_prefix_and_then_suffixes_in_order(string term, string stem) => Assert.Equal(stem, Stem(term));

    [Theory]
    [InlineData("الحب", "حب")] // ال leaves 2: allowed
    [InlineData("الم", "الم")] // ال would leave 1
    [InlineData("بالب", "بالب")] // بال would leave 1
    [InlineData("لله", "لله")] // لل would leave 1
    [InlineData("وكتب", "كتب")] // و leaves 3: allowed
    [InlineData("وجد", "وجد")] // و would leave 2
    [InlineData("كتبه", "كتب")] // ه leaves 3: allowed
    [InlineData("سنه", "سنه")] // ه would leave 2
    [InlineData("مكان", "مكان")] // ان would leave 2
    [InlineData("بيات", "بيات")] // ات would leave 2
    [InlineData("اخي", "اخي")] // ي would leave 2
    public void Length_guards(string term, string stem) => Assert.Equal(stem, Stem(term));

    [Theory]
    [InlineData("وزراء", "وزراء")]
    [InlineData("وزير", "وزير")]
    [InlineData("وزيرها", "وزير")]
    [InlineData("وزيره", "وزير")]
    [InlineData("وزارات", "وزار")] // و kept, ات stripped
    [InlineData("وقت", "وقت")]
    [InlineData("وطنيه", "وطن")]
    [InlineData("واشنطن", "واشنطن")]
    [InlineData("والد", "والد")] // وال is not the conjunction plus article here
    [InlineData("والدين", "والد")]
    [InlineData("ووزير", "وزير")] // the conjunction before a root و is still stripped
    public void Waw_that_belongs_to_the_root_stays(string term, string stem) => Assert.Equal(stem, Stem(term));

    [Theory]
    [InlineData("الله", "الله")]
    [InlineData("والله", "الله")]
    [InlineData("بالله", "الله")]
    [InlineData("فالله", "الله")]
    [InlineData("الاف", "الاف")]
    [InlineData("والاف", "الاف")]
    [InlineData("بالاف", "الاف")]
    [InlineData("المانيا", "المانيا")]
    [InlineData("والمانيا", "المانيا")]
    [InlineData("الالاف", "الاف")] // the article before the word's own ال is stripped
    public void Alef_lam_that_belongs_to_the_word_stays(string term, string stem) => Assert.Equal(stem, Stem(term));

    [Theory]
    [InlineData("في")]
    [InlineData("من")]
    [InlineData("hello")]
    [InlineData("worlds")]
    [InlineData("2024")]
    [InlineData("")]
    public void Short_and_non_arabic_terms_are_left_alone(string term) => Assert.Equal(term, Stem(term));

    [Fact]
    public void The_stem_is_a_slice_of_the_term()
    {
        Assert.Equal((3, 4), ArabicLightStemmer.Stem("والكتابها".AsSpan()[..7]));
        Assert.Equal((1, 4), ArabicLightStemmer.Stem("والله"));
        Assert.Equal((0, 5), ArabicLightStemmer.Stem("وزراء"));
    }

    [Fact]
    public void Root_word_lists_also_match_the_hamza_carrier_spelling()
    {
        // With HamzaCarriers the analyzer hands over وزراء unchanged but ئ → ي in وثائق: both must be known.
        var analyzer = new TextAnalyzer(new AnalyzerOptions { Rules = NormalizationRules.All });
        Assert.Equal("وثايق", analyzer.StemOf("وثائق"));
        Assert.Equal("وثائق", TextAnalyzer.Default.StemOf("وثائق"));
    }

    [Fact]
    public void The_analyzer_stems_normalized_terms_and_only_words()
    {
        Assert.Equal("مدرس", TextAnalyzer.Default.StemOf("المدرسَة"));
        Assert.Equal("وزير", TextAnalyzer.Default.StemOf("وزيرُها"));
        Assert.Equal("الله", TextAnalyzer.Default.StemOf("ﷲ"));
        Assert.Equal("الله", TextAnalyzer.Default.StemOf("والله"));
        Assert.Equal("كتاب 2024", TextAnalyzer.Default.StemOf("الكتاب 2024"));
        var number = Assert.Single(TextAnalyzer.Default.Analyze("٢٠٢٤"));
        Assert.Equal("2024", number.Stem);
    }

    [Fact]
    public void Stemming_can_be_switched_off()
    {
        var analyzer = new TextAnalyzer(new AnalyzerOptions { Stem = false });
        var tokens = analyzer.Analyze("والكتاب وزيرها");
        Assert.Equal(["والكتاب", "وزيرها"], tokens.Select(t => t.Stem));
        Assert.All(tokens, t => Assert.Same(t.Term, t.Stem));
    }
}
