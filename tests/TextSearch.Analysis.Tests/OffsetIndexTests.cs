using System.Text;
using CsCheck;

namespace TextSearch.Analysis.Tests;

/// <summary>Text positions in code points, UTF-16 and UTF-8, by index and in one pass.</summary>
public sealed class OffsetIndexTests
{
    private const string Text = "😀 abc الرقة\uD800x"; // a pair, ASCII, Arabic, a lone high surrogate

    [Theory]
    [InlineData(OffsetUnit.CodePoint, new[] { 0, 0, 1, 2, 5, 6, 10, 11, 12 })]
    [InlineData(OffsetUnit.Utf8, new[] { 0, 0, 4, 5, 8, 9, 17, 19, 22 })]
    [InlineData(OffsetUnit.Utf16, new[] { 0, 1, 2, 3, 6, 7, 11, 12, 13 })]
    public void Positions_map_to_each_unit(OffsetUnit unit, int[] expected)
    {
        int[] utf16 = [0, 1, 2, 3, 6, 7, 11, 12, 13];
        var index = new OffsetIndex(Text, unit);
        Assert.Equal(expected, utf16.Select(o => index[o]));

        var inPlace = (int[])utf16.Clone();
        Array.Reverse(inPlace); // any order
        OffsetIndex.Convert(Text, unit, inPlace);
        Assert.Equal(expected.Reverse(), inPlace);
    }

    [Fact]
    public void One_pass_conversion_agrees_with_the_index_and_with_the_encoders()
    {
        var chars = Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['\u0600', '\u06FF'], Gen.Char['\uD800', '\uDFFF'], Gen.Const('\uD83D'));
        Gen.Select(Gen.String[chars, 0, 60], Gen.Int[0, 60].Array[0, 100])
            .Sample((text, raw) =>
            {
                var offsets = raw.Select(o => Math.Min(o, text.Length)).ToArray();
                foreach (var unit in Enum.GetValues<OffsetUnit>())
                {
                    var index = new OffsetIndex(text, unit);
                    var converted = (int[])offsets.Clone();
                    OffsetIndex.Convert(text, unit, converted);
                    Assert.Equal(offsets.Select(o => index[o]), converted);
                }

                // Whole text: the UTF-8 length .NET's encoder gives (lone surrogates as U+FFFD).
                Assert.Equal(Encoding.UTF8.GetByteCount(text), new OffsetIndex(text, OffsetUnit.Utf8)[text.Length]);
            });
    }

    [Fact]
    public void Positions_outside_the_text_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OffsetIndex.Convert("abc", OffsetUnit.Utf8, new[] { 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => OffsetIndex.Convert("abc", OffsetUnit.CodePoint, new[] { -1 }));
    }
}
