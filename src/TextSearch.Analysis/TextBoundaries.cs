namespace TextSearch.Analysis;

/// <summary>
/// Where words and sentences end, the one definition of it: the tokenizer cuts words by it, and snippets widen
/// highlights to whole words and cut fragments at sentence ends by it.
/// </summary>
public static class TextBoundaries
{
    /// <summary>The horizontal ellipsis (U+2026).</summary>
    public const char Ellipsis = '\u2026';

    /// <summary>
    /// Whether the character at <paramref name="i"/> belongs to a word: a letter, digit or mark (diacritics, tatweel,
    /// joiners), as <see cref="Tokenizer"/> classifies it; ZWNJ and symbols (emoji) do not. Either half of a
    /// surrogate pair answers for the pair.
    /// </summary>
    public static bool IsWordChar(ReadOnlySpan<char> text, int i)
    {
        if (char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1]))
        {
            i--;
        }

        return Tokenizer.IsWordPart(text, i);
    }

    /// <summary>The characters that end a sentence: . ! ? ؟ ؛ … and a line break (for vectorized searches).</summary>
    public static readonly System.Buffers.SearchValues<char> SentenceEnds =
        System.Buffers.SearchValues.Create(['.', '!', '?', '\n', ArabicChars.ArabicQuestionMark, ArabicChars.ArabicSemicolon, Ellipsis]);

    /// <summary>Whether <paramref name="c"/> ends a sentence: . ! ? ؟ ؛ … or a line break (<see cref="SentenceEnds"/>).</summary>
    public static bool IsSentenceEnd(char c) => SentenceEnds.Contains(c);
}
