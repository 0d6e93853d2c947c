using System.Text;
using TextSearch.Cli.Output;

namespace TextSearch.Cli.Tests.Unit;

public sealed class BidiTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("hello world 123", "hello world 123")]
    [InlineData("سلام عليكم", "مكيلع مالس")]
    [InlineData("خروج 4900 شخص", "صخش 4900 جورخ")]
    [InlineData("قال CNN اليوم", "مويلا CNN لاق")]
    [InlineData("قال Hello World اليوم", "مويلا Hello World لاق")]
    [InlineData("word: سلام end", "word: مالس end")]
    [InlineData("نحو 4,900.5 شخص", "صخش 4,900.5 وحن")]
    [InlineData("٤٩٠٠ شخص", "صخش ٤٩٠٠")]
    [InlineData("الإصدار v2.0 الجديد", "ديدجلا v2.0 رادصإلا")]
    public void Reverses_right_to_left_runs_and_keeps_numbers_and_latin_left_to_right(string logical, string visual)
    {
        Assert.Equal(visual, Bidi.ToVisual(logical));
    }

    [Fact]
    public void A_percent_sign_after_digits_in_arabic_text_stands_on_their_left()
    {
        // Digits after Arabic letters are Arabic numbers (W2), which terminators do not join (W5 is for European
        // numbers only): the sign resolves right-to-left and shows on the left, as Arabic typesetting has it.
        Assert.Equal("ابيرقت %50 ةبسنب", Bidi.ToVisual("بنسبة 50% تقريبا"));

        // After a Latin letter the same digits stay European and keep the sign on their right.
        Assert.Equal("x 50% ابيرقت", Bidi.ToVisual("x 50% تقريبا"));
    }

    [Fact]
    public void Mirrors_brackets_and_guillemets_inside_right_to_left_text()
    {
        Assert.Equal("(دسق)", Bidi.ToVisual("(قسد)"));
        Assert.Equal("«شعاد» ةميزه", Bidi.ToVisual("هزيمة «داعش»"));
    }

    [Fact]
    public void Latin_brackets_in_a_left_to_right_line_are_not_mirrored()
    {
        Assert.Equal("f(x) = [1]", Bidi.ToVisual("f(x) = [1]"));
    }

    [Fact]
    public void Combining_marks_stay_after_their_letter()
    {
        // بِسْمِ: every letter carries a haraka; reversed by letters, each mark follows its own letter.
        Assert.Equal("مِسْبِ", Bidi.ToVisual("بِسْمِ"));
    }

    [Fact]
    public void Each_line_is_reordered_on_its_own()
    {
        Assert.Equal("ابحرم\nhello ملاع", Bidi.ToVisual("مرحبا\nhello عالم"));
    }

    [Fact]
    public void Paragraph_direction_comes_from_the_first_strong_letter()
    {
        // Digits first, then Arabic: a right-to-left line, the number ends up on the right.
        Assert.Equal("صخش 24", Bidi.ToVisual("24 شخص"));

        // Latin first: a left-to-right line; the Arabic word and the number after it form a right-to-left run.
        Assert.Equal("id 24 ةملك", Bidi.ToVisual("id كلمة 24"));
    }

    [Fact]
    public void Trailing_whitespace_takes_the_paragraph_direction()
    {
        // In a right-to-left line the trailing space belongs at the visual left end.
        Assert.Equal(" مالس", Bidi.ToVisual("سلام "));
    }

    [Fact]
    public void Surrogate_pairs_are_never_split()
    {
        var visual = Bidi.ToVisual("سلام 😀 عليكم");

        Assert.Equal("مكيلع 😀 مالس", visual);
        Assert.True(visual.EnumerateRunes().All(r => r != Rune.ReplacementChar));
    }

    [Fact]
    public void Reorder_reports_positions_and_direction_of_each_element()
    {
        var elements = Bidi.Reorder("ab جد");

        Assert.Equal([0, 1, 2, 4, 3], elements.Select(e => e.Start));
        Assert.Equal([false, false, false, true, true], elements.Select(e => e.RightToLeft));
    }

    [Fact]
    public void Visual_order_is_a_permutation_of_the_logical_text()
    {
        const string text = "وقال مدير \"المرصد\" (رامي عبد الرحمن) إن 4,900 شخص خرجوا، منهم 470 من عناصر ISIS.";

        var visual = Bidi.ToVisual(text);

        Assert.Equal(text.Length, visual.Length);
        // The same characters, a mirrored bracket standing for its pair.
        static char Pair(char c) => (char)Math.Min(c, Bidi.Mirror(c));
        Assert.Equal(text.Select(Pair).Order(), visual.Select(Pair).Order());
        Assert.Contains("4,900", visual, StringComparison.Ordinal);
        Assert.Contains("470", visual, StringComparison.Ordinal);
        Assert.Contains("ISIS", visual, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('a', "L")]
    [InlineData('ب', "AL")]
    [InlineData('א', "R")]
    [InlineData('5', "EN")]
    [InlineData('٥', "AN")]
    [InlineData('۵', "EN")]
    [InlineData('\u064E', "NSM")]
    [InlineData(' ', "WS")]
    [InlineData(',', "CS")]
    [InlineData('،', "CS")]
    [InlineData('%', "ET")]
    [InlineData('-', "ES")]
    [InlineData('!', "ON")]
    [InlineData('؟', "AL")]
    [InlineData('\u200F', "R")]
    [InlineData('\t', "S")]
    public void Classifies_characters(char c, string expected)
    {
        Assert.Equal(expected, Bidi.Classify(new Rune(c)).ToString());
    }
}
