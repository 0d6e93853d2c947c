namespace TextSearch.Analysis;

/// <summary>
/// A cheap "might this term matter?" gate: the set of a term's characters as 64 bits (a character sets bit
/// <c>c &amp; 63</c>, so distinct characters may share a bit, never the reverse). A stem is a slice of its term, and a
/// variant key a subsequence of its stem, so a term whose mask lacks a bit of a stem's (or a key's) mask cannot stem to
/// it: the stem need not be cut. A term that passes may still not match.
/// </summary>
public static class LetterMask
{
    public static ulong Of(ReadOnlySpan<char> text)
    {
        ulong mask = 0;
        foreach (var c in text)
        {
            mask |= 1UL << (c & 63);
        }

        return mask;
    }

    /// <summary>Whether a text of mask <paramref name="text"/> may contain every character of one of mask <paramref name="needed"/>.</summary>
    public static bool MayContain(ulong text, ulong needed) => (needed & ~text) == 0;
}
