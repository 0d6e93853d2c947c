using System.Buffers;
using System.Globalization;
using System.Text;

namespace TextSearch.Analysis;

public enum TokenKind
{
    /// <summary>Letters (any script), possibly with marks.</summary>
    Word,

    /// <summary>Digits, possibly with decimal or grouping separators between them.</summary>
    Number,
}

/// <summary>A token's place in the text it was cut from.</summary>
public readonly record struct TokenSpan(int Start, int Length, TokenKind Kind)
{
    public int End => Start + Length;
}

/// <summary>
/// Splits text into words and numbers. Splits on white space and punctuation (including ، ؛ ؟ « »), on symbols
/// and on ZWNJ; keeps Latin words and numbers ("26,950", "3.5") as tokens; separates Arabic letters from digits
/// ("ال24" → "ال", "24"). Tokens longer than <see cref="MaxTokenLength"/> are cut into pieces.
/// Allocation-free: enumerate with <c>foreach</c> over a span.
/// </summary>
public ref struct Tokenizer
{
    public const int MaxTokenLength = 128;

    private readonly ReadOnlySpan<char> _text;
    private int _pos;

    public Tokenizer(ReadOnlySpan<char> text)
    {
        _text = text;
        _pos = 0;
        Current = default;
    }

    public TokenSpan Current { get; private set; }

    public readonly Tokenizer GetEnumerator() => this;

    public bool MoveNext()
    {
        var text = _text;
        var i = _pos;

        // Skip to the start of a token: a letter or a digit (a mark or joiner alone does not start one).
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                // The common separator, without the general classification.
                i++;
                continue;
            }

            var cls = Classify(text, i, out var width);
            if (cls is CharClass.Letter or CharClass.Digit)
            {
                break;
            }

            i += width;
        }

        if (i >= text.Length)
        {
            _pos = i;
            return false;
        }

        var start = i;
        var first = Classify(text, i, out var w0);
        var kind = first == CharClass.Digit ? TokenKind.Number : TokenKind.Word;
        var arabicLetters = first == CharClass.Letter && ArabicChars.IsArabic(text[i]);
        var hasLetters = first == CharClass.Letter;
        i += w0;
        var limit = Math.Min(text.Length, start + MaxTokenLength);
        while (i < limit)
        {
            if (kind == TokenKind.Word && IsArabicLetter(text[i]))
            {
                // Most of an Arabic text: a run of Arabic letters inside a word, each one UTF-16 unit, which the
                // general loop below would take one by one (Letter, Arabic) to the same end.
                do
                {
                    i++;
                }
                while (i < limit && IsArabicLetter(text[i]));

                arabicLetters = true;
                continue;
            }

            var cls = Classify(text, i, out var width);
            if (i + width - start > MaxTokenLength)
            {
                // A surrogate pair that would take the token past the limit starts the next one.
                break;
            }

            if (cls == CharClass.Letter)
            {
                // Digits followed by Arabic letters, or Arabic letters after digits, split ("ال24", "24ساعة").
                if (kind == TokenKind.Number && !hasLetters && ArabicChars.IsArabic(text[i]))
                {
                    break;
                }

                if (ArabicChars.IsArabic(text[i]))
                {
                    arabicLetters = true;
                }

                hasLetters = true;
                if (kind == TokenKind.Number)
                {
                    kind = TokenKind.Word;
                }
            }
            else if (cls == CharClass.Digit)
            {
                if (arabicLetters)
                {
                    break;
                }
            }
            else if (cls == CharClass.Mark)
            {
                // Marks and joiners stay inside a word.
            }
            else if (cls == CharClass.NumberSeparator && kind == TokenKind.Number && !hasLetters
                && i + 1 < text.Length && IsDigitAt(text, i + 1) && IsDigitAt(text, i - 1))
            {
                // 26,950 and 3.5 stay one token.
            }
            else
            {
                break;
            }

            i += width;
        }

        // Never split a surrogate pair when cutting at MaxTokenLength.
        if (i < text.Length && char.IsLowSurrogate(text[i]) && i > start && char.IsHighSurrogate(text[i - 1]))
        {
            i--;
        }

        Current = new TokenSpan(start, i - start, kind);
        _pos = i;
        return true;
    }

    /// <summary>Whether the character (or surrogate pair) at <paramref name="i"/> is part of a word: a letter, digit or mark.</summary>
    internal static bool IsWordPart(ReadOnlySpan<char> text, int i) => Classify(text, i, out _) is CharClass.Letter or CharClass.Digit or CharClass.Mark;

    private static bool IsDigitAt(ReadOnlySpan<char> text, int i) => (uint)i < (uint)text.Length && char.IsDigit(text[i]);

    private enum CharClass
    {
        Separator,
        Letter,
        Digit,
        Mark,
        NumberSeparator,
    }

    /// <summary>ARABIC LETTER KASHMIRI YEH (U+0620), the first of the Arabic block's run of letters.</summary>
    internal const char ArabicLettersFirst = '\u0620';

    /// <summary>ARABIC LETTER YEH (U+064A), the last of that run (the harakat follow).</summary>
    internal const char ArabicLettersLast = '\u064A';

    /// <summary>Whether <paramref name="c"/> is one of the Arabic block's run of letters (ؠ through ي).</summary>
    private static bool IsArabicLetter(char c) => (uint)(c - ArabicLettersFirst) <= ArabicLettersLast - ArabicLettersFirst;

    private static CharClass Classify(ReadOnlySpan<char> text, int i, out int width)
    {
        var c = text[i];
        width = 1;
        if (c < 0x80)
        {
            return c switch
            {
                >= 'a' and <= 'z' or >= 'A' and <= 'Z' => CharClass.Letter,
                >= '0' and <= '9' => CharClass.Digit,
                '.' or ',' => CharClass.NumberSeparator,
                _ => CharClass.Separator,
            };
        }

        // The Arabic letters (ؠ through ي, tatweel among them): all letters in Unicode, and most of an Arabic text.
        if (IsArabicLetter(c))
        {
            return CharClass.Letter;
        }

        if (c is ArabicChars.ArabicDecimalSeparator or ArabicChars.ArabicThousandsSeparator)
        {
            return CharClass.NumberSeparator;
        }

        if (c == ArabicChars.ZeroWidthNonJoiner)
        {
            return CharClass.Separator;
        }

        UnicodeCategory category;
        if (char.IsHighSurrogate(c))
        {
            if (Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed) != OperationStatus.Done)
            {
                return CharClass.Separator;
            }

            width = consumed;
            category = Rune.GetUnicodeCategory(rune);
        }
        else
        {
            category = char.GetUnicodeCategory(c);
        }

        return category switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber => CharClass.Digit,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.Format => CharClass.Mark,
            _ => CharClass.Separator,
        };
    }
}
