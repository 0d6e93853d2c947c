namespace TextSearch.Analysis;

/// <summary>
/// A light stemmer for normalized Arabic: strips one prefix (ال، وال، بال، كال، فال، لل، ولل، و) and then the
/// suffixes ها، ان، ات، ون، ين، يه، ية، ه، ة، ي (each at most once, in that order), as Lucene's ArabicStemmer does,
/// with firmer guards:
/// <list type="bullet">
/// <item>a prefix leaves at least 2 letters (و: at least 3), a suffix leaves at least 3 letters, so short words
/// such as سنه or مكان are not cut to two-letter stubs;</item>
/// <item>و is not stripped from words whose و belongs to the root (وزراء، وزير، وقت، وطن...), and ال is not stripped
/// from words whose ال belongs to the word (الله، الاف...).</item>
/// </list>
/// Stems are always a slice of the term, so the stemmer never allocates.
/// </summary>
public static class ArabicLightStemmer
{
    private const int MinStemAfterPrefix = 2;
    private const int MinStemAfterWaw = 3;
    private const int MinStemAfterSuffix = 3;

    // Longest first where one is a prefix of another (وال before و, ولل before و).
    private static readonly string[] Prefixes = ["وال", "بال", "كال", "فال", "ولل", "ال", "لل", "و"];
    private static readonly string[] Suffixes = ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"];

    // Words (after suffix stripping, normalized) whose initial و is a root letter, not the conjunction. These are
    // the frequent ones in news text; the conjunction reading of each is rare.
    private static readonly HashSet<string> WawRootWords = NormalizedSet(
    [
        "وزير", "وزراء", "وزارة", "وزارات", "وقت", "أوقات", "وطن", "وطني", "وطنية", "وضع", "أوضاع", "وصل", "وصول",
        "وجود", "وجه", "وجهة", "ولاية", "ولايات", "وسط", "وكالة", "وكالات", "وكيل", "وفد", "وفود", "وفاة", "وحدة",
        "وحدات", "واشنطن", "ورقة", "وثيقة", "وثائق", "وسائل", "وسيلة", "وقف", "ولد", "أولاد", "وزن", "وعد", "وعي",
        "وادي", "واقع", "واقعة", "وقائع", "والد", "والدة", "والدين", "والي", "ورشة", "وظيفة", "وظائف", "وفق", "وفقا",
        "وقود", "ولادة", "وجبة", "وراء", "ورود", "وارد", "واردات", "واجب", "واجهة", "واضح", "واسع", "واسعة", "واحد",
        "واحدة", "وسام", "ودائع", "وديعة", "وقاية", "وكر", "وباء", "وئام", "ولي", "وهم", "وحيد", "وحش", "وحشية",
    ]);

    // Words whose initial ال is part of the word, not the article.
    private static readonly HashSet<string> AlefLamRootWords = NormalizedSet(["الله", "آلاف", "آلة", "آلات", "آلية", "آليات", "ألم", "آلام", "ألمانيا", "ألماني", "ألمانية"]);

    /// <summary>
    /// The words whose initial و or ال the stemmer keeps (in every spelling it recognizes), the prefixes it strips
    /// (longest first) and the suffixes it strips (in order): for generating other engines' settings from the core.
    /// </summary>
    public static (IReadOnlyCollection<string> ProtectedWords, IReadOnlyList<string> Prefixes, IReadOnlyList<string> Suffixes) Rules =>
        ([.. WawRootWords, .. AlefLamRootWords], Prefixes, Suffixes);

    /// <summary>Returns the stem of a normalized term as (start, length) within it.</summary>
    public static (int Start, int Length) Stem(ReadOnlySpan<char> term)
    {
        if (term.Length < 3 || !ArabicChars.IsArabic(term[0]))
        {
            return (0, term.Length);
        }

        if (AlefLamRootWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(term))
        {
            return (0, term.Length);
        }

        var start = StripPrefix(term);
        if (start > 0 && AlefLamRootWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(term[start..]))
        {
            // والله، بالاف: the prefix goes, the word's own ال and ending stay.
            return (start, term.Length - start);
        }

        var length = StripSuffixes(term[start..]);
        return (start, length);
    }

    /// <summary>The stem as a span of <paramref name="term"/>.</summary>
    public static ReadOnlySpan<char> StemSpan(ReadOnlySpan<char> term)
    {
        var (start, length) = Stem(term);
        return term.Slice(start, length);
    }

    private static int StripPrefix(ReadOnlySpan<char> term)
    {
        foreach (var prefix in Prefixes)
        {
            if (!term.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = term.Length - prefix.Length;
            if (prefix[0] == ArabicChars.Waw && IsIn(WawRootWords, term))
            {
                return 0;
            }

            if (prefix.Length == 1)
            {
                if (rest < MinStemAfterWaw)
                {
                    return 0;
                }
            }
            else if (rest < MinStemAfterPrefix || (prefix == "ال" && IsIn(AlefLamRootWords, term)))
            {
                return 0;
            }

            // وال، بال، كال، فال before a root-initial ال word (والله، بالله) keep the word's own ال.
            if (prefix.Length == 3 && prefix.EndsWith("ال", StringComparison.Ordinal) && IsIn(AlefLamRootWords, term[1..]))
            {
                return 1;
            }

            return prefix.Length;
        }

        return 0;
    }

    private static int StripSuffixes(ReadOnlySpan<char> word)
    {
        var length = word.Length;
        foreach (var suffix in Suffixes)
        {
            if (length - suffix.Length >= MinStemAfterSuffix && word[..length].EndsWith(suffix, StringComparison.Ordinal))
            {
                length -= suffix.Length;
            }
        }

        return length;
    }

    // Root-word checks look at the word with its suffixes stripped, so وزيره and وزرائها count as وزير and وزراء.
    private static bool IsIn(HashSet<string> set, ReadOnlySpan<char> word)
    {
        var lookup = set.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.Contains(word) || lookup.Contains(word[..StripSuffixes(word)]);
    }

    private static HashSet<string> NormalizedSet(IEnumerable<string> words)
    {
        // Both the default and the hamza-carrier spellings, so the sets work whatever rules the analyzer uses.
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            set.Add(word);
            set.Add(ArabicNormalizer.Default.NormalizeToString(word));
            set.Add(new ArabicNormalizer(NormalizationRules.All).NormalizeToString(word));
        }

        return set;
    }
}
