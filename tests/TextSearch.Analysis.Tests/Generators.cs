using CsCheck;

namespace TextSearch.Analysis.Tests;

/// <summary>
/// Text generators for the property tests, biased towards what the analysis core has to get right: Arabic letters
/// (U+0600-U+06FF), presentation forms (U+FB50-U+FEFF), harakat and combining madda/hamza after the letters they
/// compose with, invisible and bidi marks, digits and separators, surrogate pairs and lone surrogates, plain
/// ASCII, and now and then any UTF-16 code unit at all.
/// </summary>
internal static class Generators
{
    private const string ComposingLetters = "\u0627\u0648\u064A\u06D5\u06C1\u06D2\u0649\u0623";
    private const string Harakat = "\u064B\u064C\u064D\u064E\u064F\u0650\u0651\u0652\u0656\u0670\u0610\u061A\u06D6\u06DD\u06E5\u06ED";
    private const string CombiningHamza = "\u0653\u0654\u0655";
    private const string Invisible = "\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u061C\uFEFF\u00AD";
    private const string Numeric = "0123456789\u0660\u0661\u0669\u06F0\u06F4\u06F9,.\u066B\u066C";
    private const string Punctuation = " \t\n\u00A0\u060C\u061B\u061F\u00AB\u00BB.,;:!?\"'()-\u0640";

    private static Gen<string> One(Gen<char> chars) => chars.Select(c => c.ToString());

    /// <summary>One piece of text: a code unit, or a surrogate pair, biased towards what the rules touch.</summary>
    private static readonly Gen<string> Piece = Gen.Frequency(
    [
        (30, One(Gen.Char['\u0600', '\u06FF'])),
        (10, One(Gen.Char[ComposingLetters])),
        (8, One(Gen.Char['\uFB50', '\uFDFF'])),
        (8, One(Gen.Char['\uFE70', '\uFEFF'])),
        (10, One(Gen.Char[Harakat])),
        (6, One(Gen.Char[Invisible])),
        (8, One(Gen.Char[Numeric])),
        (10, One(Gen.Char[Punctuation])),
        (10, One(Gen.Char[' ', '~'])),
        (3, One(Gen.Char['\u0300', '\u036F'])),
        (3, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)),
        (3, One(Gen.Char['\uD800', '\uDFFF'])),
        (1, One(Gen.Char["\uFFF0\uFFF1\uFFF2\uFFFF"])),
        (4, One(Gen.Char['\0', '\uFFFF'])),
        (10, One(Gen.Char[CombiningHamza])),
    ]);

    /// <summary>Biased text, up to <paramref name="maxPieces"/> pieces long.</summary>
    public static Gen<string> Text(int maxPieces = 64) => Piece.Array[0, maxPieces].Select(string.Concat);

    /// <summary>Any UTF-16 code units at all, lone surrogates included.</summary>
    public static Gen<string> AnyUtf16(int maxLength = 64) => Gen.Char['\0', '\uFFFF'].Array[0, maxLength].Select(a => new string(a));

    /// <summary>Long runs of letters and digits (including letters and digits outside the BMP) with few breaks,
    /// so tokens reach <see cref="Tokenizer.MaxTokenLength"/>.</summary>
    public static Gen<string> LongRuns()
    {
        (int, IGen<string>)[] pieces =
        [
            (40, One(Gen.Char["\u0628\u0627\u0644abc"])),
            (10, One(Gen.Char["0123456789"])),
            (10, Gen.OneOf("\U0001D400", "\U0001D7CE", "\U00020000")),
            (5, One(Gen.Char["\u064E\u0651\u200D,."])),
            (1, One(Gen.Char[" \u00AB"])),
        ];
        return Gen.Frequency(pieces).Array[100, 600].Select(string.Concat);
    }

    public static string Print(string s) => "\"" + TestText.Escape(s) + "\" (length " + s.Length + ")";
}
