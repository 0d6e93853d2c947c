
namespace TextSearch.Analysis.Tests;

/// <summary>The one definition of word and sentence boundaries, one case per rule, and its agreement with the tokenizer.</summary>
public sealed class TextBoundariesTests
{
    [Theory]
    [InlineData("ب", true)]              // Arabic letter
    [InlineData("\u064E", true)]         // fatha (a mark)
    [InlineData("\u0640", true)]         // tatweel (a modifier letter)
    [InlineData("٣", true)]              // Arabic-Indic digit
    [InlineData("x", true)]
    [InlineData("\u200D", true)]         // ZWJ (a format character) joins
    [InlineData("\u200C", false)]        // ZWNJ breaks words
    [InlineData(" ", false)]
    [InlineData("،", false)]
    [InlineData(".", false)]
    [InlineData("\uD83D\uDE00", false)]  // 😀, a symbol
    [InlineData("\uD840\uDC00", true)]   // 𠀀, a CJK letter outside the BMP
    [InlineData("\uD800", false)]        // a lone surrogate
    public void Word_characters(string text, bool expected)
    {
        for (var i = 0; i < text.Length; i++)
        {
            Assert.Equal(expected, TextBoundaries.IsWordChar(text, i)); // both halves of a pair answer for it
        }
    }

    [Theory]
    [InlineData('.', true)]
    [InlineData('!', true)]
    [InlineData('?', true)]
    [InlineData('\n', true)]
    [InlineData('؟', true)]
    [InlineData('؛', true)]
    [InlineData('…', true)]
    [InlineData('،', false)]
    [InlineData(',', false)]
    [InlineData(':', false)]
    public void Sentence_ends(char c, bool expected) => Assert.Equal(expected, TextBoundaries.IsSentenceEnd(c));

    [Fact]
    public void Only_those_seven_characters_end_a_sentence_and_a_vectorized_search_finds_each()
    {
        var ends = Enumerable.Range(0, char.MaxValue + 1).Select(i => (char)i).Where(TextBoundaries.IsSentenceEnd).ToArray();
        Assert.Equal(".!?\n؟؛…".Order(), ends.Order());
        foreach (var c in ends)
        {
            Assert.Equal(40, (new string('ب', 40) + c + "ت.").AsSpan().IndexOfAny(TextBoundaries.SentenceEnds));
        }
    }

    [Fact]
    public void Every_token_is_made_of_word_characters_and_bounded_by_others()
    {
        const string text = "قالَ ٣ رجالٍ، في الـمدينة😀: «نعم»؟ x\u200Cy";
        var tokenizer = new Tokenizer(text);
        while (tokenizer.MoveNext())
        {
            var t = tokenizer.Current;
            for (var i = t.Start; i < t.Start + t.Length; i++)
            {
                Assert.True(TextBoundaries.IsWordChar(text, i), $"'{text[i]}' at {i} inside a token");
            }

            Assert.True(t.Start == 0 || !TextBoundaries.IsWordChar(text, t.Start - 1));
            Assert.True(t.Start + t.Length == text.Length || !TextBoundaries.IsWordChar(text, t.Start + t.Length));
        }
    }
}
