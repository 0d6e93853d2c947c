using static TextSearch.Analysis.ArabicChars;

namespace TextSearch.Analysis;

/// <summary>
/// The spelling-variant key of a stem: its "skeleton", the stem without the long vowels ا, و and ي inside it (its
/// first and last letters stay), so the spellings a word is commonly written in share one key: الديمقراطية and
/// الديموقراطية, ديلون and ديلن, فيسبوك and فيسبك. Indexed next to the stem, it finds variants with one term lookup
/// where an edit-distance search expands the term against the whole dictionary.
/// Short stems keep themselves as their key: three or four letters without their vowels are too often another word.
/// Keys of the longer stems begin with <see cref="Marker"/>, so they never equal a short stem.
/// </summary>
public static class VariantKey
{
    /// <summary>Stems shorter than this are their own key.</summary>
    public const int MinStemLength = 5;

    /// <summary>The first character of every skeleton key (a character no token contains).</summary>
    public const char Marker = '~';

    /// <summary>Whether a stem gets a skeleton key (and so matches its variants).</summary>
    public static bool HasVariants(ReadOnlySpan<char> stem) =>
        stem.Length >= MinStemLength && !char.IsAsciiDigit(stem[0]) && !char.IsAsciiLetter(stem[0]);

    /// <summary>
    /// Writes the key of <paramref name="stem"/> into <paramref name="destination"/> (at least
    /// <paramref name="stem"/>'s length plus one) and returns its length.
    /// </summary>
    public static int Write(ReadOnlySpan<char> stem, Span<char> destination)
    {
        if (!HasVariants(stem))
        {
            stem.CopyTo(destination);
            return stem.Length;
        }

        var n = 0;
        destination[n++] = Marker;
        destination[n++] = stem[0];
        for (var i = 1; i < stem.Length - 1; i++)
        {
            if (stem[i] is not (Alef or Waw or Yeh))
            {
                destination[n++] = stem[i];
            }
        }

        destination[n++] = stem[^1];
        return n;
    }

    /// <summary>The key of <paramref name="stem"/> as a string (the same instance when the stem is its own key).</summary>
    public static string Of(string stem)
    {
        ArgumentNullException.ThrowIfNull(stem);
        if (!HasVariants(stem))
        {
            return stem;
        }

        Span<char> key = stackalloc char[stem.Length + 1];
        return new string(key[..Write(stem, key)]);
    }
}
