namespace TextSearch.Search.Query;

/// <summary>
/// The spelling-variant rule, shared by every backend and by the highlighter: a stem of at least
/// <see cref="MinStemLength"/> letters also matches stems within <see cref="MaxEdits"/> edit (insertion, deletion,
/// substitution or transposition of neighbours) that share its first <see cref="PrefixLength"/> letter.
/// الديمقراطية and الديموقراطية match; short stems do not, since one edit changes a short word's meaning.
/// </summary>
public static class Fuzzy
{
    public const int MinStemLength = 5;
    public const int MaxEdits = 1;
    public const int PrefixLength = 1;
    public const int MaxExpansions = 50;

    /// <summary>How much a variant counts against an exact match.</summary>
    public const float VariantBoost = 0.35f;

    public static bool Applies(string stem) => stem.Length >= MinStemLength && !char.IsAsciiDigit(stem[0]);

    /// <summary>True when <paramref name="candidate"/> is a variant of <paramref name="stem"/> (or equal to it).</summary>
    public static bool Matches(string stem, ReadOnlySpan<char> candidate)
    {
        if (candidate.SequenceEqual(stem))
        {
            return true;
        }

        if (!Applies(stem) || candidate.Length < PrefixLength || !candidate[..PrefixLength].SequenceEqual(stem.AsSpan(0, PrefixLength)))
        {
            return false;
        }

        return WithinOneEdit(stem, candidate);
    }

    /// <summary>Optimal string alignment distance ≤ 1.</summary>
    public static bool WithinOneEdit(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var diff = a.Length - b.Length;
        if (diff is > 1 or < -1)
        {
            return false;
        }

        var i = a.CommonPrefixLength(b);
        if (i == a.Length && i == b.Length)
        {
            return true;
        }

        if (diff == 0)
        {
            // One substitution, or one transposition of neighbours.
            if (a[(i + 1)..].SequenceEqual(b[(i + 1)..]))
            {
                return true;
            }

            return i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)..].SequenceEqual(b[(i + 2)..]);
        }

        // One insertion or deletion.
        return diff > 0 ? a[(i + 1)..].SequenceEqual(b[i..]) : a[i..].SequenceEqual(b[(i + 1)..]);
    }
}
