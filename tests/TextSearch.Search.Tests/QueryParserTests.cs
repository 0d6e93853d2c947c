using TextSearch.Analysis;
using TextSearch.Search.Query;
using static TextSearch.Testing.TestSupport;

namespace TextSearch.Search.Tests;

public sealed class QueryParserTests
{
    [Fact]
    public void Plain_words_are_should_clauses_with_stems()
    {
        var q = Parser.Parse("المدينة الرقة");
        Assert.All(q.Clauses, c => Assert.Equal(Occur.Should, c.Occur));
        Assert.Equal(["مدين", "رقه"], q.Clauses.Select(c => c.Alternatives[0].Words[0].Stem));
    }

    [Theory]
    [InlineData("ما اسم عاصمة العراق؟", new[] { "عاصم", "عراق" })]
    [InlineData("ما إسم عاصمة العراق", new[] { "عاصم", "عراق" })] // no question mark: the question word opens it
    [InlineData("كم عدد ولايات الهند", new[] { "ولا", "هند" })]
    [InlineData("- ما معنى كلمة هون؟", new[] { "هون" })] // a lone operator before it changes nothing
    [InlineData("في أي عام كان سبب الحرب؟", new[] { "عام", "حرب" })] // the question mark says it is a question
    [InlineData("ما سبب الحرب -نوع", new[] { "حرب" })]
    [InlineData("ما عدد \"أبناء الملك\"", new string[0])] // the phrase is left to search for
    [InlineData("ماهي عاصمة العراق", new[] { "عاصم", "عراق" })] // ما هي written as one word
    [InlineData("ماهو اسم عاصمة العراق", new[] { "عاصم", "عراق" })]
    [InlineData("بماذا يشتهر نوع الأرز", new[] { "يشتهر", "ارز" })] // a preposition joined to the question word
    public void A_question_leaves_out_the_words_that_name_what_it_asks_for(string raw, string[] stems)
    {
        var q = Parser.Parse(raw);
        Assert.Equal(stems, q.Clauses.Where(c => c.Occur == Occur.Should).Select(c => c.Alternatives[0].Words[0].Stem));
        Assert.All(q.Clauses.Where(c => c.Occur == Occur.MustNot), c => Assert.Equal("نوع", c.Alternatives[0].Words[0].Term)); // an exclusion stays
    }

    [Theory]
    [InlineData("عدد سكان الرياض", new[] { "عدد", "سكان", "رياض" })] // asks nothing
    [InlineData("عدد القتلى من المدنيين", new[] { "عدد", "قتل", "مدن" })] // من inside is a preposition
    [InlineData("ما معنى؟", new[] { "معن" })] // nothing else to search for
    public void Answer_type_words_stay_where_the_query_asks_nothing_or_they_are_all_it_has(string raw, string[] stems)
    {
        var q = Parser.Parse(raw);
        Assert.Equal(stems, q.Clauses.Where(c => c.Occur == Occur.Should).Select(c => c.Alternatives[0].Words[0].Stem));
    }

    [Theory]
    [InlineData("متى افتتح المتحف؟", true)]
    [InlineData("- كم عدد ولايات الهند", true)]
    [InlineData("ومتى تأسست الشركة", true)]
    [InlineData("بكم بيعت اللوحة", true)]
    [InlineData("ما اسم عاصمة العراق؟", false)] // a question, but not for a number
    [InlineData("افتتح المتحف متى", false)] // the question word is not the first
    [InlineData("\"متى\" افتتح المتحف", false)] // quoted: a phrase, not a question word
    public void A_question_that_opens_with_when_or_how_many_asks_for_a_number(string raw, bool asks) =>
        Assert.Equal(asks, Parser.Parse(raw).AsksForNumber);

    [Fact]
    public void A_quoted_phrase_keeps_its_answer_type_words()
    {
        var q = Parser.Parse("ما اسم \"اسم الوردة\"؟");
        Assert.DoesNotContain(q.Clauses, c => c.Occur == Occur.Should);
        Assert.Equal(["اسم", "ورد"], Assert.Single(q.Clauses, c => c.Occur == Occur.Must).Alternatives[0].Words.Select(w => w.Stem));
    }

    [Fact]
    public void With_question_words_kept_as_terms_answer_type_words_stay_too()
    {
        var parser = new QueryParser(new TextAnalyzer(new AnalyzerOptions { QuestionWordsAreStopwords = false }), SynonymMap.Empty);
        Assert.Contains(parser.Parse("كم عدد ولايات الهند؟").Clauses, c => c.Alternatives[0].Words[0].Stem == "عدد");
    }

    [Fact]
    public void Quoted_phrase_is_a_must_phrase_with_positions()
    {
        var q = Parser.Parse("\"دوار النعيم\"");
        var clause = Assert.Single(q.Clauses);
        Assert.Equal(Occur.Must, clause.Occur);
        var phrase = Assert.Single(clause.Alternatives);
        Assert.Equal([0, 1], phrase.Words.Select(w => w.Offset));
        Assert.False(phrase.Variants);
    }

    [Fact]
    public void Phrase_keeps_stopword_gaps()
    {
        var phrase = Parser.Parse("\"معقل في سوريا\"").Clauses[0].Alternatives[0];
        Assert.Equal([0, 2], phrase.Words.Select(w => w.Offset));
    }

    [Fact]
    public void Minus_word_and_minus_phrase_exclude()
    {
        var q = Parser.Parse("داعش -الرقة -\"دير الزور\"");
        Assert.Equal(2, q.Clauses.Count(c => c.Occur == Occur.MustNot));
        Assert.Contains(q.Clauses, c => c.Occur == Occur.MustNot && c.Alternatives[0].Words.Count == 2);
    }

    [Fact]
    public void Hyphen_inside_a_word_is_not_an_operator()
    {
        var q = Parser.Parse("covid-19");
        Assert.DoesNotContain(q.Clauses, c => c.Occur == Occur.MustNot);
    }

    [Theory]
    [InlineData("\"غير مغلق")]
    [InlineData("-")]
    [InlineData("- - -")]
    [InlineData("\"")]
    [InlineData("!!! ؟؟ ...")]
    [InlineData("😀🚀")]
    [InlineData("-\"")]
    [InlineData("\"\"")]
    [InlineData("في من على")]
    public void Odd_input_parses_without_error(string raw)
    {
        // What the backends rely on: every alternative of every clause has words (an empty one would match nothing
        // in one engine and everything in another).
        var q = Parser.Parse(raw);
        Assert.All(q.Clauses, c => Assert.All(c.Alternatives, a => Assert.NotEmpty(a.Words)));
    }

    [Fact]
    public void Unbalanced_quote_is_ignored()
    {
        var q = Parser.Parse("\"الرقة");
        var clause = Assert.Single(q.Clauses);
        Assert.Equal(Occur.Should, clause.Occur);
    }

    [Fact]
    public void Punctuation_only_is_an_empty_query()
    {
        Assert.True(Parser.Parse("؟!،.").IsEmpty);
        Assert.True(Parser.Parse("😀").IsEmpty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Empty_query_is_invalid(string? raw) => AssertInvalid(() => Parser.Parse(raw));

    [Fact]
    public void Query_over_1024_characters_is_invalid()
    {
        Parser.Parse(new string('ا', 1024));
        var ex = AssertInvalid(() => Parser.Parse(new string('ا', 1025)));
        Assert.Contains("1024", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_with_over_64_terms_is_invalid()
    {
        Parser.Parse(string.Join(' ', Enumerable.Repeat("كلمة", 64)));
        var ex = AssertInvalid(() => Parser.Parse(string.Join(' ', Enumerable.Repeat("كلمة", 65))));
        Assert.Contains("64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_is_normalized_and_stemmed_like_the_index()
    {
        var diacritized = Parser.Parse("الرَّقَّة");
        var plain = Parser.Parse("الرقة");
        var tatweel = Parser.Parse("الـرقـة");
        Assert.Equal(plain.Canonical, diacritized.Canonical);
        Assert.Equal(plain.Canonical, tatweel.Canonical);
    }

    [Fact]
    public void Digits_in_any_script_become_ascii()
    {
        Assert.Equal("4900", Parser.Parse("٤٩٠٠").Clauses[0].Alternatives[0].Words[0].Stem);
        Assert.Equal("4900", Parser.Parse("۴۹۰۰").Clauses[0].Alternatives[0].Words[0].Stem);
    }

    [Fact]
    public void Synonym_expands_a_word_to_a_phrase()
    {
        var clause = Assert.Single(Parser.Parse("قسد").Clauses);
        Assert.Equal(2, clause.Alternatives.Count);
        Assert.Contains(clause.Alternatives, a => a.FromSynonym && a.Words.Count == 3);
    }

    [Fact]
    public void Synonym_expands_a_phrase_to_a_word()
    {
        var clause = Assert.Single(Parser.Parse("تنظيم الدولة الإسلامية").Clauses);
        Assert.Contains(clause.Alternatives, a => a.FromSynonym && a.Words.Count == 1 && a.Words[0].Stem == "داعش");
    }

    [Fact]
    public void Arabic_words_of_three_letters_or_more_match_their_variants_two_letter_words_and_numbers_do_not()
    {
        Assert.True(Parser.Parse("الديمقراطية").Clauses[0].Alternatives[0].Variants);
        Assert.True(Parser.Parse("سلو").Clauses[0].Alternatives[0].Variants);
        Assert.False(Parser.Parse("سل").Clauses[0].Alternatives[0].Variants);
        Assert.False(Parser.Parse("123456").Clauses[0].Alternatives[0].Variants);
        Assert.False(Parser.Parse("facebook").Clauses[0].Alternatives[0].Variants);
    }

    [Fact]
    public void Repeated_words_count_once()
    {
        Assert.Single(Parser.Parse("الرقة الرقة الرقة").Clauses);
    }

    [Fact]
    public void Synonym_file_format_supports_comments_and_arabic_comma()
    {
        var map = SynonymMap.Parse("# comment\nقسد ، قوات سوريا الديمقراطية # trailing\n\nsingle\n", Analysis.TextAnalyzer.Default);
        Assert.Equal(1, map.GroupCount);
    }
}
