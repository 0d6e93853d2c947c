using static TextSearch.Analysis.ArabicChars;

namespace TextSearch.Analysis;

/// <summary>
/// The variant key of a stem: a coarser form of it, indexed next to the stem and matched at a lower weight
/// (<c>RankingOptions.VariantBoost</c>), so a word also finds the forms light stemming keeps apart. It is the stem
/// with, in order:
/// <list type="number">
/// <item>a proclitic preposition or conjunction ب، ل، ف dropped from its front (بمصر، لمصر، فمصر → مصر: the stemmer
/// strips و and ال, not these, which also begin many words). The preposition ك is left: it is rarer than the nouns
/// it begins (كتاب، كبير), and dropping it measured the same;</item>
/// <item>an imperfect verb's person prefix ي، ت، ن dropped (يحتفل، تحتفل، نحتفل → حتفل);</item>
/// <item>if the stem has four letters or more, the long vowels ا، و، ي and the hamza seats ء، ؤ، ئ inside what is left
/// dropped (its first and last letters stay): its "skeleton", so the spellings a word is commonly written in share one
/// key: الديمقراطية and الديموقراطية, فيسبوك and فيسبك, مسئول and مسؤول. From four letters (revision 3; five before),
/// so a noun meets its construct form before a pronoun, whose ة is written ت: عاصمة and عاصمتها (عاصم، عاصمت → عصم),
/// جنازة and لجنازته;</item>
/// <item>a final ت dropped (the past tense's feminine and person endings: تأسست → اسس, as تأسس; and انترنيت → انترن,
/// as انترنت).</item>
/// </list>
/// No step leaves fewer than three letters: steps 1, 2 and 4 apply only while four letters or more are left before
/// them, and a skeleton of two letters (ليقول → قل) is not taken (قول stays). A key is always a subsequence of its
/// stem (<see cref="LetterMask"/> relies on it) and is written without allocating. Keys and short stems share one space: a key may equal another word's stem (مكتوب → مكتب), which
/// the lower weight allows for.
/// </summary>
public static class VariantKey
{
    /// <summary>Stems shorter than this have no key (they are matched as stems only).</summary>
    public const int MinStemLength = 3;

    /// <summary>Stems of this many letters or more lose their inner long vowels (step 3).</summary>
    public const int MinSkeletonLength = 4;

    /// <summary>
    /// The revision of these rules. An index holds keys of one revision: the embedded engine's index layout and the
    /// Elasticsearch mapping's <c>_meta</c> name it, and an index of another revision is refused (reindex).
    /// </summary>
    public const int Revision = 3;

    // A step that drops a letter needs this many letters before it.
    private const int MinLengthToDrop = 4;

    /// <summary>Whether a stem gets a key (and so matches its variants): Arabic stems of three letters or more.</summary>
    public static bool HasVariants(ReadOnlySpan<char> stem) =>
        stem.Length >= MinStemLength && !char.IsAsciiDigit(stem[0]) && !char.IsAsciiLetter(stem[0]);

    /// <summary>
    /// Writes the key of <paramref name="stem"/> into <paramref name="destination"/> (at least
    /// <paramref name="stem"/>'s length) and returns its length. A stem without variants is copied as it is.
    /// </summary>
    public static int Write(ReadOnlySpan<char> stem, Span<char> destination)
    {
        if (!HasVariants(stem))
        {
            stem.CopyTo(destination);
            return stem.Length;
        }

        var rest = stem;
        if (rest.Length >= MinLengthToDrop && rest[0] is Beh or Lam or Feh)
        {
            rest = rest[1..];
        }

        if (rest.Length >= MinLengthToDrop && rest[0] is Yeh or Teh or Noon)
        {
            rest = rest[1..];
        }

        var n = 0;
        if (stem.Length >= MinSkeletonLength)
        {
            destination[n++] = rest[0];
            for (var i = 1; i < rest.Length - 1; i++)
            {
                if (!IsVowelOrSeat(rest[i]))
                {
                    destination[n++] = rest[i];
                }
            }

            destination[n++] = rest[^1];
        }

        if (n < MinStemLength)
        {
            // No skeleton, or one of two letters (ليقول would be قل): what is left stays as it is.
            rest.CopyTo(destination);
            n = rest.Length;
        }

        return n >= MinLengthToDrop && destination[n - 1] == Teh ? n - 1 : n;
    }

    /// <summary>
    /// The token the keys' field also holds at every number's position (<see cref="IsNumber"/>), so that a question
    /// asking when or how many can be scored by how near its words stand to any number. No text analyzes to it (the
    /// tokenizer never makes a token of punctuation).
    /// </summary>
    public const string NumberClass = "#";

    /// <summary>Whether a stem is a number, which the keys' field also indexes as <see cref="NumberClass"/>: it opens with an ASCII digit (the normalizer folds other digits to them).</summary>
    public static bool IsNumber(ReadOnlySpan<char> stem) => stem.Length > 0 && char.IsAsciiDigit(stem[0]);

    /// <summary>The key of <paramref name="stem"/> as a string (the same instance when the key is the stem).</summary>
    public static string Of(string stem)
    {
        ArgumentNullException.ThrowIfNull(stem);
        Span<char> buffer = stem.Length < 64 ? stackalloc char[stem.Length] : new char[stem.Length];
        var key = buffer[..Write(stem, buffer)];
        return key.SequenceEqual(stem) ? stem : new string(key);
    }

    private static bool IsVowelOrSeat(char c) => c is Alef or Waw or Yeh or Hamza or WawWithHamzaAbove or YehWithHamzaAbove;
}
