using System.Text;
using CsCheck;
using TextSearch.Search.Paging;

namespace TextSearch.Search.Tests;

/// <summary>Ids tie-break by code point: the order of their UTF-8 bytes, as Lucene's and Elasticsearch's keyword sorts.</summary>
public sealed class IdOrderTests
{
    /// <summary>Pieces of ids from every range that orders differently in UTF-16: ASCII, Arabic, U+E000–U+FFFD, and above U+FFFF.</summary>
    private static readonly Gen<string> Id = Gen.Frequency(
            (3, Gen.Char['a', 'c'].Select(c => c.ToString())),
            (2, Gen.Char['\u0627', '\u0629'].Select(c => c.ToString())),
            (2, Gen.Char['\uE000', '\uE002'].Select(c => c.ToString())),
            (1, Gen.Char['\uFFFB', '\uFFFD'].Select(c => c.ToString())),
            (2, Gen.Int[0x10000, 0x10002].Select(char.ConvertFromUtf32)),
            (2, Gen.Int[0x1F600, 0x1F601].Select(char.ConvertFromUtf32)))
        .Array[0, 5]
        .Select(pieces => string.Concat(pieces));

    private static int Utf8Order(string a, string b) =>
        Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));

    [Fact]
    public void Agrees_with_the_order_of_the_utf8_bytes()
    {
        Gen.Select(Id, Id).Sample((a, b) => Assert.Equal(Utf8Order(a, b), Math.Sign(IdOrder.Compare(a, b))), iter: 20_000);
    }

    [Theory]
    [InlineData("a", "b", -1)]
    [InlineData("a", "a", 0)]
    [InlineData("a", "ab", -1)]
    [InlineData("\uFF21", "\U0001F600", -1)] // UTF-16 code units say the opposite
    [InlineData("\uE000", "\uD7FF", 1)]
    [InlineData("\U0001F600", "\U0001F601", -1)]
    [InlineData("\U00010000", "\uFFFD", 1)]
    public void Examples(string a, string b, int expected)
    {
        Assert.Equal(expected, Math.Sign(IdOrder.Compare(a, b)));
        Assert.Equal(-expected, Math.Sign(IdOrder.Compare(b, a)));
    }
}
