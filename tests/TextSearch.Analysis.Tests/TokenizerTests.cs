namespace TextSearch.Analysis.Tests;

/// <summary>The tokenizer on its own (spans of the text it is given) and through the analyzer (terms and offsets in
/// the original text).</summary>
public sealed class TokenizerTests
{
    private static List<TokenSpan> Spans(string text)
    {
        var list = new List<TokenSpan>();
        foreach (var token in new Tokenizer(text))
        {
            list.Add(token);
        }

        return list;
    }

    private static string[] Words(string text) => Spans(text).Select(t => text.Substring(t.Start, t.Length)).ToArray();

    private static string[] Terms(string text) => TextAnalyzer.Default.Analyze(text).Select(t => t.Term).ToArray();

    public static TheoryData<string, string> Separators => new()
    {
        { "Space", " " },
        { "Tab", "\t" },
        { "LineFeed", "\n" },
        { "CarriageReturnLineFeed", "\r\n" },
        { "NoBreakSpace", "\u00A0" },
        { "EmSpace", "\u2003" },
        { "ArabicComma", "\u060C" },
        { "ArabicSemicolon", "\u061B" },
        { "ArabicQuestionMark", "\u061F" },
        { "ArabicFullStop", "\u06D4" },
        { "ArabicPercentSign", "\u066A" },
        { "LeftPointingDoubleAngleQuotationMark", "\u00AB" },
        { "RightPointingDoubleAngleQuotationMark", "\u00BB" },
        { "FullStop", "." },
        { "Comma", "," },
        { "Semicolon", ";" },
        { "Colon", ":" },
        { "ExclamationMark", "!" },
        { "QuestionMark", "?" },
        { "QuotationMark", "\"" },
        { "Apostrophe", "'" },
        { "HyphenMinus", "-" },
        { "Solidus", "/" },
        { "LeftParenthesis", "(" },
        { "RightParenthesis", ")" },
        { "LeftSquareBracket", "[" },
        { "EnDash", "\u2013" },
        { "EmDash", "\u2014" },
        { "Ellipsis", "\u2026" },
        { "LeftDoubleQuotationMark", "\u201C" },
        { "Bullet", "\u2022" },
        { "ZeroWidthNonJoiner", "\u200C" },
    };

    [Theory]
    [MemberData(nameof(Separators))]
    public void Splits_arabic_and_latin_words_on(string name, string separator)
    {
        Assert.True(Words($"كتاب{separator}قلم").SequenceEqual(["كتاب", "قلم"]), name);
        Assert.True(Words($"book{separator}pen").SequenceEqual(["book", "pen"]), name);
        Assert.True(Terms($"كتاب{separator}قلم").SequenceEqual(["كتاب", "قلم"]), name);
    }

    [Fact]
    public void A_sentence_with_arabic_punctuation_and_quotes()
    {
        Assert.Equal(["قال", "الناشط", "في", "تجمع", "الرقه", "ان", "داعش", "خسر", "هل", "انتهي"],
            Terms("قال الناشط في «تجمع الرقة»: إن «داعش» خسر؛ هل انتهى؟"));
    }

    [Fact]
    public void Every_token_has_its_position_and_its_offsets_in_the_original_text()
    {
        const string text = "  «أحمدُ»، ذهبَ إلى المدرسـة!  ";
        var tokens = TextAnalyzer.Default.Analyze(text);
        Assert.Equal([0, 1, 2, 3], tokens.Select(t => t.Position));
        Assert.Equal(["احمد", "ذهب", "الي", "المدرسه"], tokens.Select(t => t.Term));
        Assert.Equal(["أحمدُ", "ذهبَ", "إلى", "المدرسـة"], tokens.Select(t => t.Text));
        Assert.All(tokens, t => Assert.Equal(t.Text, text[t.Start..t.End]));
        Assert.Equal(text.IndexOf('أ', StringComparison.Ordinal), tokens[0].Start);
        Assert.Equal(text.IndexOf('»', StringComparison.Ordinal), tokens[0].End);
    }

    [Theory]
    [InlineData("26,950", "26950")]
    [InlineData("1,000,000", "1000000")]
    [InlineData("3.5", "3.5")]
    [InlineData("٢٦٬٩٥٠", "26950")]
    [InlineData("٣٫٥", "3.5")]
    [InlineData("۱۴۰۲", "1402")]
    [InlineData("2024", "2024")]
    public void A_number_with_separators_is_one_token(string text, string term)
    {
        var token = Assert.Single(TextAnalyzer.Default.Analyze(text));
        Assert.Equal(TokenKind.Number, token.Kind);
        Assert.Equal(term, token.Term);
        Assert.Equal(term, token.Stem);
        Assert.Equal((0, text.Length), (token.Start, token.End));
    }

    [Fact]
    public void Number_separators_only_join_digits()
    {
        Assert.Equal(["26,950"], Words("26,950,"));
        Assert.Equal(["26", "950"], Words("26, 950"));
        Assert.Equal(["5"], Words("5."));
        Assert.Equal(["26950", "دولار"], Terms("بلغ 26,950، دولار").Skip(1));
        Assert.Equal(["كتاب", "قلم"], Words("كتاب,قلم"));
    }

    [Fact]
    public void Numbers_in_running_text_keep_their_offsets()
    {
        const string text = "بلغ العدد 26,950 شخصا";
        var number = TextAnalyzer.Default.Analyze(text)[2];
        Assert.Equal(TokenKind.Number, number.Kind);
        Assert.Equal("26950", number.Term);
        Assert.Equal("26,950", number.Text);
        Assert.Equal(2, number.Position);
    }

    [Theory]
    [InlineData("الـ24", new[] { "ال", "24" })]
    [InlineData("ال24", new[] { "ال", "24" })]
    [InlineData("24ساعة", new[] { "24", "ساعه" })]
    [InlineData("عام2024م", new[] { "عام", "2024", "م" })]
    [InlineData("٢٤ساعة", new[] { "24", "ساعه" })]
    public void Arabic_letters_and_digits_split(string text, string[] terms) => Assert.Equal(terms, Terms(text));

    [Fact]
    public void Latin_words_and_numbers_are_kept_and_lower_cased()
    {
        Assert.Equal(["covid", "19", "يضرب", "new", "york", "abc123", "h2o"], Terms("COVID-19 يضرب New York abc123 H2O"));
        var kinds = TextAnalyzer.Default.Analyze("COVID 19").Select(t => t.Kind);
        Assert.Equal([TokenKind.Word, TokenKind.Number], kinds);
    }

    [Fact]
    public void Marks_and_joiners_stay_inside_a_word_and_do_not_start_one()
    {
        Assert.Equal(["كَتَبَ"], Words("كَتَبَ"));
        Assert.Equal(["ب\u200Dت"], Words("ب\u200Dت"));
        Assert.Empty(Words("\u064E \u0651 \u200D"));
        Assert.Equal(["ب"], Words("\u064Eب"));
    }

    [Fact]
    public void Tatweel_stays_inside_a_raw_word_and_is_removed_before_tokenizing()
    {
        // The tokenizer alone sees tatweel as a modifier letter inside the word; the analyzer removes it first.
        Assert.Equal(["مـــدرسة"], Words("مـــدرسة"));
        Assert.Equal(["مدرسه"], Terms("مـــدرسة"));
    }

    [Fact]
    public void Empty_and_blank_text_has_no_tokens()
    {
        Assert.Empty(Words(""));
        Assert.Empty(Words(" \t\n،؛؟«»"));
        Assert.Empty(TextAnalyzer.Default.Analyze(""));
        Assert.Empty(TextAnalyzer.Default.Analyze("\u200F\u064E"));
    }

    [Fact]
    public void Letters_outside_the_bmp_are_one_token_and_lone_surrogates_separate()
    {
        const string math = "\U0001D400\U0001D401"; // mathematical bold A, B
        Assert.Equal([math], Words(math));
        Assert.Equal(["ab", "cd"], Words("ab\uD800cd"));
        Assert.Equal(["ab", "cd"], Words("ab\uDC00cd"));
        Assert.Equal(["ab"], Words("ab\uD800"));
    }

    [Fact]
    public void Long_words_are_cut_at_the_maximum_token_length()
    {
        var text = new string('ب', 300);
        Assert.Equal([128, 128, 44], Spans(text).Select(t => t.Length));
        Assert.Equal([0, 128, 256], Spans(text).Select(t => t.Start));
    }

    [Fact]
    public void A_surrogate_pair_at_the_length_limit_is_neither_split_nor_over_the_limit()
    {
        // 127 letters, then a letter outside the BMP: taking it would make the token 129 units long.
        var text = new string('a', 127) + "\U0001D400" + "b";
        var spans = Spans(text);
        Assert.All(spans, t => Assert.InRange(t.Length, 1, Tokenizer.MaxTokenLength));
        Assert.Equal([(0, 127), (127, 3)], spans.Select(t => (t.Start, t.Length)));

        var exact = new string('a', 126) + "\U0001D400" + "b";
        Assert.Equal([(0, 128), (128, 1)], Spans(exact).Select(t => (t.Start, t.Length)));
    }

    [Fact]
    public void Long_numbers_are_cut_too_and_each_piece_folds_its_separators()
    {
        var text = string.Join(",", Enumerable.Repeat("123", 60)); // 239 chars
        var tokens = TextAnalyzer.Default.Analyze(text);
        Assert.All(tokens, t => Assert.InRange(t.End - t.Start, 1, Tokenizer.MaxTokenLength));
        Assert.All(tokens, t => Assert.DoesNotContain(',', t.Term));
        Assert.Equal(text.Replace(",", "", StringComparison.Ordinal), string.Concat(tokens.Select(t => t.Term)));
    }

    [Fact]
    public void The_tokenizer_works_on_a_slice_of_a_larger_text()
    {
        const string text = "xx كتاب قلم xx";
        var slice = text.AsSpan(3, 8);
        var starts = new List<int>();
        foreach (var t in new Tokenizer(slice))
        {
            starts.Add(t.Start);
            Assert.Equal(TokenKind.Word, t.Kind);
            Assert.Equal(t.Start + t.Length, t.End);
        }

        Assert.Equal([0, 5], starts);
    }

    [Fact]
    public void The_arabic_letters_fast_path_covers_letters_only()
    {
        // The tokenizer takes U+0620 to U+064A as letters without asking Unicode: every one of them must be one.
        for (var c = Tokenizer.ArabicLettersFirst; c <= Tokenizer.ArabicLettersLast; c++)
        {
            Assert.True(
                char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.OtherLetter or System.Globalization.UnicodeCategory.ModifierLetter,
                $"U+{(int)c:X4} is {char.GetUnicodeCategory(c)}");
            Assert.Equal([new TokenSpan(0, 3, TokenKind.Word)], Spans($"{c}{c}{c}"));
        }

        // Its neighbours keep their classes: a haraka after a letter stays in the word (U+064B, a mark); the Arabic
        // question mark before one separates (U+061F).
        Assert.Equal([new TokenSpan(0, 2, TokenKind.Word)], Spans("\u0628\u064B"));
        Assert.Equal([new TokenSpan(1, 1, TokenKind.Word)], Spans("\u061F\u0628"));
    }

    [Theory]
    [InlineData("abcعربي12", new[] { "abcعربي", "12" })] // a Latin word running into Arabic letters, then digits
    [InlineData("3Dعربي", new[] { "3dعربي" })] // a number that became a word, then Arabic letters
    [InlineData("بَيْتٌ كَبِيرٌ", new[] { "بيت", "كبير" })] // runs of letters broken by marks
    [InlineData("كتاب،قلم«دفتر»", new[] { "كتاب", "قلم", "دفتر" })] // a run ends at Arabic punctuation
    public void A_run_of_arabic_letters_ends_where_the_word_does(string text, string[] terms) => Assert.Equal(terms, Terms(text));

    [Fact]
    public void A_long_word_of_letters_and_marks_is_cut_at_the_maximum_token_length()
    {
        // Letter, mark, letter, mark…: the runs of letters are one unit long, and the cut still falls at 128 units.
        var text = string.Concat(Enumerable.Repeat("\u0628\u064E", 100)) + " \u0628";
        Assert.Equal([(0, 128), (128, 72), (201, 1)], Spans(text).Select(t => (t.Start, t.Length)));
    }
}
