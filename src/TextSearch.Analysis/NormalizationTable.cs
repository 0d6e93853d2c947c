using static TextSearch.Analysis.ArabicChars;

namespace TextSearch.Analysis;

/// <summary>
/// The compiled form of a set of <see cref="NormalizationRules"/>: one entry per UTF-16 code unit saying what
/// becomes of it. Built once per rule set and cached; the default set is built at first use.
/// </summary>
public sealed class NormalizationTable
{
    // Table entries at or above SentinelBase are actions, not characters. Such a code unit is still kept as
    // itself when its entry equals it (the identity test comes first), so no input is ever lost to a sentinel.
    internal const char SentinelBase = '\uFFF0';
    internal const char Delete = '\uFFF0';
    internal const char Expand = '\uFFF1';
    internal const char ComposeWithPrevious = '\uFFF2';

    /// <summary>Tables kept (128 KB each): every rule set a server uses in practice, with room for requests that vary them.</summary>
    internal const int MaxCachedTables = 64;
    // The default rule set's table is always in use: it is kept apart from the cache, never evicted.
    private static readonly Lazy<NormalizationTable> DefaultTable = new(() => new NormalizationTable(NormalizationRules.Default));
    private static readonly RuleSetCache<NormalizationTable> Cache = new(MaxCachedTables, rules => new NormalizationTable(rules));
    private static readonly Lazy<string?[]> PresentationFormDecompositions = new(LoadPresentationForms);

    // The one-character results of the rules, as strings.
    private static readonly string AlefText = Alef.ToString();
    private static readonly string HehText = Heh.ToString();
    private static readonly string YehText = Yeh.ToString();
    private static readonly string WawText = Waw.ToString();
    private static readonly string KafText = Kaf.ToString();
    private static readonly string YehWithHamzaAboveText = YehWithHamzaAbove.ToString();

    private readonly char[] _map;
    private readonly Dictionary<char, string> _expansions;

    private NormalizationTable(NormalizationRules rules)
    {
        Rules = rules;
        _map = new char[char.MaxValue + 1];
        _expansions = [];
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            _map[i] = Compile(c, rules, out var expansion);
            if (expansion is not null)
            {
                _expansions.Add(c, expansion);
            }
        }
    }

    public NormalizationRules Rules { get; }

    /// <summary>How many tables the shared cache holds now.</summary>
    internal static int CachedCount => Cache.Count;

    /// <summary>The table of the default rules.</summary>
    public static NormalizationTable Default => DefaultTable.Value;

    /// <summary>A new table for a rule set, outside the cache (the benchmarks compare building with reusing).</summary>
    internal static NormalizationTable Build(NormalizationRules rules) => new(rules & NormalizationRules.All);

    /// <summary>The table for a rule set, from a bounded cache (the least recently used of <see cref="MaxCachedTables"/> goes).</summary>
    public static NormalizationTable For(NormalizationRules rules) =>
        (rules & NormalizationRules.All) == NormalizationRules.Default ? DefaultTable.Value : Cache.Get(rules & NormalizationRules.All);

    internal ReadOnlySpan<char> Map => _map;

    internal string ExpansionOf(char c) => _expansions[c];

    /// <summary>True when <paramref name="c"/> is left exactly as it is.</summary>
    public bool IsUnchanged(char c) => _map[c] == c;

    /// <summary>
    /// What one code unit becomes on its own: itself, another string, or the empty string when removed.
    /// (A combining madda or hamza may instead compose with the letter before it.)
    /// </summary>
    public string Apply(char c)
    {
        var t = _map[c];
        return t == c ? c.ToString()
            : t < SentinelBase ? t.ToString()
            : t == Expand ? _expansions[c]
            : t == ComposeWithPrevious ? (Has(Rules, NormalizationRules.Diacritics) ? string.Empty : c.ToString())
            : string.Empty;
    }

    /// <summary>Canonical composition of a letter with a following combining madda or hamza, or '\0' if none.</summary>
    public static char Compose(char letter, char mark) => (letter, mark) switch
    {
        (Alef, MaddahAbove) => AlefWithMaddaAbove,
        (Alef, HamzaAbove) => AlefWithHamzaAbove,
        (Alef, HamzaBelow) => AlefWithHamzaBelow,
        (Waw, HamzaAbove) => WawWithHamzaAbove,
        (Yeh, HamzaAbove) => YehWithHamzaAbove,
        (Ae, HamzaAbove) => HehWithYehAbove,
        (HehGoal, HamzaAbove) => HehGoalWithHamzaAbove,
        (YehBarree, HamzaAbove) => YehBarreeWithHamzaAbove,
        _ => '\0',
    };

    /// <summary>
    /// Composes an already normalized letter with a following combining madda or hamza: the canonical composition,
    /// or, when the Persian rule has turned ہ into ه, the composition ہ would have had (ۂ). Returns '\0' if none.
    /// </summary>
    internal char ComposeNormalized(char letter, char mark)
    {
        var composed = Compose(letter, mark);
        if (composed == '\0' && letter == Heh && mark == HamzaAbove && Has(Rules, NormalizationRules.PersianLetters))
        {
            composed = HehGoalWithHamzaAbove;
        }

        return composed;
    }

    /// <summary>The single-character mapping of one rule, or null if the rule leaves <paramref name="c"/> alone.</summary>
    /// <remarks>These are the rule definitions. Everything else (the table, the ES char filters) derives from them.</remarks>
    public static string? ApplyRule(NormalizationRules rule, char c) => rule switch
    {
        NormalizationRules.AlefForms => c is AlefWithMaddaAbove or AlefWithHamzaAbove or AlefWithHamzaBelow or AlefWasla
            or AlefWithWavyHamzaAbove or AlefWithWavyHamzaBelow or HighHamzaAlef ? AlefText : null,
        NormalizationRules.TehMarbuta => c == TehMarbuta ? HehText : null,
        NormalizationRules.AlefMaksura => c == AlefMaksura ? YehText : null,
        NormalizationRules.HamzaCarriers => c switch { WawWithHamzaAbove => WawText, YehWithHamzaAbove => YehText, _ => null },
        NormalizationRules.Diacritics => IsDiacritic(c) ? string.Empty : null,
        NormalizationRules.Tatweel => c == ArabicChars.Tatweel ? string.Empty : null,
        NormalizationRules.PersianLetters => c switch
        {
            FarsiYeh or YehBarree => YehText,
            Keheh => KafText,
            HehGoal or HehWithYehAbove or HehGoalWithHamzaAbove => HehText,
            YehBarreeWithHamzaAbove => YehWithHamzaAboveText,
            _ => null,
        },
        NormalizationRules.Digits => c switch
        {
            >= ArabicIndicDigitZero and <= ArabicIndicDigitNine => ((char)('0' + (c - ArabicIndicDigitZero))).ToString(),
            >= ExtendedArabicIndicDigitZero and <= ExtendedArabicIndicDigitNine => ((char)('0' + (c - ExtendedArabicIndicDigitZero))).ToString(),
            _ => null,
        },
        NormalizationRules.PresentationForms => c >= ArabicPresentationFormsAStart ? PresentationFormDecompositions.Value[c - ArabicPresentationFormsAStart] : null,
        NormalizationRules.InvisibleMarks => c == ZeroWidthNonJoiner ? " " : IsInvisibleMark(c) ? string.Empty : null,
        NormalizationRules.CaseFold => !IsArabic(c) && !char.IsSurrogate(c) && char.ToLowerInvariant(c) is var lower && lower != c
            ? lower.ToString() : null,
        _ => null,
    };

    /// <summary>The rules in the order they apply; a mapping's output goes through the list again until nothing changes.</summary>
    public static IReadOnlyList<NormalizationRules> Order => RuleOrder;

    // An array, so that looping over it allocates no enumerator (the table build does it for every code unit).
    private static readonly NormalizationRules[] RuleOrder =
    [
        NormalizationRules.PresentationForms,
        NormalizationRules.InvisibleMarks,
        NormalizationRules.Diacritics,
        NormalizationRules.Tatweel,
        NormalizationRules.PersianLetters,
        NormalizationRules.AlefForms,
        NormalizationRules.HamzaCarriers,
        NormalizationRules.TehMarbuta,
        NormalizationRules.AlefMaksura,
        NormalizationRules.Digits,
        NormalizationRules.CaseFold,
    ];

    private static bool Has(NormalizationRules rules, NormalizationRules rule) => (rules & rule) == rule;

    private static char Compile(char c, NormalizationRules rules, out string? expansion)
    {
        expansion = null;
        if (char.IsSurrogate(c))
        {
            return c;
        }

        if (Has(rules, NormalizationRules.DecomposedHamza) && IsCombiningHamzaOrMadda(c))
        {
            return ComposeWithPrevious;
        }

        // Most code units no enabled rule touches: they stay as they are, found without allocating, so a table
        // builds in about a millisecond.
        if (!Touched(c, rules))
        {
            return c;
        }

        var result = ApplyAll(c.ToString(), rules);
        if (result.Length == 1)
        {
            return result[0];
        }

        if (result.Length == 0)
        {
            return Delete;
        }

        expansion = result;
        return Expand;
    }

    private static bool Touched(char c, NormalizationRules rules)
    {
        foreach (var rule in RuleOrder)
        {
            if (Has(rules, rule) && ApplyRule(rule, c) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Applies every rule to every character until a fixed point (so normalization is idempotent).</summary>
    private static string ApplyAll(string s, NormalizationRules rules)
    {
        for (var round = 0; round < 8; round++)
        {
            var changed = false;
            var sb = new System.Text.StringBuilder(s.Length);
            foreach (var ch in s)
            {
                string? mapped = null;
                foreach (var rule in RuleOrder)
                {
                    if (Has(rules, rule) && ApplyRule(rule, ch) is { } m)
                    {
                        mapped = m;
                        break;
                    }
                }

                if (mapped is null)
                {
                    sb.Append(ch);
                }
                else
                {
                    sb.Append(mapped);
                    changed = true;
                }
            }

            s = sb.ToString();
            if (!changed)
            {
                return s;
            }
        }

        throw new InvalidOperationException("Normalization rules do not reach a fixed point.");
    }

    private static string?[] LoadPresentationForms()
    {
        var table = new string?[0x10000 - 0xFB50];
        var keys = PresentationForms.Keys;
        var values = PresentationForms.Values.Split('\0');
        for (var i = 0; i < keys.Length; i++)
        {
            table[keys[i] - 0xFB50] = values[i];
        }

        return table;
    }
}
