using System.Globalization;
using System.Text;
using Elastic.Clients.Elasticsearch.Analysis;
using Elastic.Clients.Elasticsearch.IndexManagement;
using TextSearch.Analysis;
using TextSearch.Search.Query;

namespace TextSearch.Search.Elasticsearch;

/// <summary>
/// The index's analysis settings, generated from the analysis core's own tables (nothing Arabic is written here):
/// <list type="bullet">
/// <item><c>textsearch_terms</c>: whitespace tokenizer + a stop filter for the placeholder token. The term fields
/// hold tokens our core produced, so this analyzer only splits them and keeps stopword positions as gaps.</item>
/// <item><c>textsearch_keys</c>: the same, for indexing the variant keys, plus a <c>multiplexer</c> whose
/// <c>pattern_replace</c> adds <see cref="VariantKey.NumberClass"/> at every number's position, as the embedded engine's
/// keys field holds it. The keys are searched with <c>textsearch_terms</c>, so a query's number stays that number.</item>
/// <item><c>textsearch_arabic</c>: a native approximation of the core for people who query Elasticsearch
/// directly: a <c>mapping</c> char filter with one entry per character every enabled normalization rule changes
/// (and per letter + combining hamza/madda pair that composes), the <c>standard</c> tokenizer, <c>lowercase</c>,
/// <c>stop</c> with the core's stopwords (their normalized spellings: the filter sees normalized tokens), <c>stemmer_override</c> with the stemmer's protected words,
/// and the <c>arabic</c> light stemmer. <c>textsearch_arabic_search</c> adds a <c>synonym_graph</c> filter from the
/// synonyms file (query time only, like the core).</item>
/// </list>
/// The engine's ranking does not use the native analyzer (it queries the pre-analyzed term fields), so its known
/// differences (docs/elasticsearch.md) do not change results.
/// </summary>
public static class ElasticsearchAnalysis
{
    /// <summary>Stands for a stopword in the term fields, so positions match the core's exactly.</summary>
    public const string Placeholder = "_";

    public const string TermsAnalyzer = "textsearch_terms";
    public const string KeysAnalyzer = "textsearch_keys";
    public const string NumberClassFilter = "textsearch_number_class";
    public const string NumberClassMultiplexer = "textsearch_with_number_class";
    public const string NativeAnalyzer = "textsearch_arabic";
    public const string NativeSearchAnalyzer = "textsearch_arabic_search";
    public const string NormalizeCharFilter = "textsearch_normalize";
    public const string PlaceholderFilter = "textsearch_placeholder";
    public const string StopFilter = "textsearch_stop";
    public const string ProtectedFilter = "textsearch_protected";
    public const string StemFilter = "textsearch_stem";
    public const string SynonymFilter = "textsearch_synonyms";

    /// <summary>The <c>settings.analysis</c> object for an index analyzed like <paramref name="options"/>.</summary>
    public static IndexSettingsAnalysis Build(AnalyzerOptions options, SynonymMap synonyms)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(synonyms);
        var analyzer = new TextAnalyzer(options);

        var filters = new TokenFilters
        {
            [PlaceholderFilter] = new StopTokenFilter { Stopwords = new[] { Placeholder } },

            // A number (VariantKey.IsNumber: an ASCII digit first) becomes the number class; the multiplexer keeps the
            // original and adds the class at its position, and drops the copy of every other token (identical tokens
            // at one position are removed).
            [NumberClassFilter] = new PatternReplaceTokenFilter { Pattern = "^[0-9].*", Replacement = VariantKey.NumberClass },
            [NumberClassMultiplexer] = new MultiplexerTokenFilter { Filters = [NumberClassFilter], PreserveOriginal = true },
        };
        var chain = new List<string> { "lowercase" };
        if (options.Stopwords)
        {
            filters[StopFilter] = new StopTokenFilter
            {
                Stopwords = analyzer.Stopwords.Where(w => analyzer.Normalizer.IsNormalized(w)).Order(StringComparer.Ordinal).ToArray(),
            };
            chain.Add(StopFilter);
        }

        if (options.Stem)
        {
            filters[ProtectedFilter] = new StemmerOverrideTokenFilter { Rules = [.. StemmerOverrides(analyzer)] };
            filters[StemFilter] = new StemmerTokenFilter { Language = "arabic" };
            chain.Add(ProtectedFilter);
            chain.Add(StemFilter);
        }

        var searchChain = new List<string>(chain);
        if (synonyms.RawGroups.Count > 0)
        {
            filters[SynonymFilter] = new SynonymGraphTokenFilter { Lenient = true, Synonyms = [.. synonyms.RawGroups.Select(g => string.Join(", ", g))] };
            searchChain.Add(SynonymFilter);
        }

        return new IndexSettingsAnalysis
        {
            CharFilters = new CharFilters
            {
                [NormalizeCharFilter] = new MappingCharFilter { Mappings = [.. CharMappings(options.Rules).Select(m => FormatMapping(m.Key, m.Value))] },
            },
            TokenFilters = filters,
            Analyzers = new Analyzers
            {
                [TermsAnalyzer] = new CustomAnalyzer { Tokenizer = "whitespace", Filter = [PlaceholderFilter] },
                [KeysAnalyzer] = new CustomAnalyzer { Tokenizer = "whitespace", Filter = [PlaceholderFilter, NumberClassMultiplexer] },
                [NativeAnalyzer] = new CustomAnalyzer { CharFilter = [NormalizeCharFilter], Tokenizer = "standard", Filter = chain },
                [NativeSearchAnalyzer] = new CustomAnalyzer { CharFilter = [NormalizeCharFilter], Tokenizer = "standard", Filter = searchChain },
            },
        };
    }

    /// <summary>
    /// What the mapping char filter replaces, in ordinal key order: every UTF-16 code unit the rules change, mapped
    /// to what the core makes of it (<see cref="NormalizationTable.Apply"/>: rules applied in
    /// <see cref="NormalizationTable.Order"/> to a fixed point, presentation forms expanded), and, with the
    /// decomposed-hamza rule, every letter + combining madda/hamza pair that the core composes.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> CharMappings(NormalizationRules rules)
    {
        var table = NormalizationTable.For(rules);
        var normalizer = new ArabicNormalizer(rules);
        var mappings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var single = new string[char.MaxValue + 1];
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            if (char.IsSurrogate(c))
            {
                continue;
            }

            single[i] = table.Apply(c);
            if (single[i] != c.ToString())
            {
                mappings[c.ToString()] = single[i];
            }
        }

        if ((rules & NormalizationRules.DecomposedHamza) != 0)
        {
            // A letter followed by a combining madda or hamza (U+0653-U+0655): where the core composes them, the pair gets its own entry (the
            // filter takes the longest match, so the pair wins over its letter's and its mark's entries).
            for (var i = 0; i <= char.MaxValue; i++)
            {
                var c = (char)i;
                if (char.IsSurrogate(c))
                {
                    continue;
                }

                for (var mark = ArabicChars.MaddahAbove; mark <= ArabicChars.HamzaBelow; mark++)
                {
                    var pair = string.Concat(c.ToString(), mark.ToString());
                    var composed = normalizer.NormalizeToString(pair);
                    if (composed != single[i] + single[mark])
                    {
                        mappings[pair] = composed;
                    }
                }
            }
        }

        return [.. mappings];
    }

    /// <summary>
    /// stemmer_override rules (<c>form => stem</c>) for the stemmer's protected words: each word, each word with a
    /// suffix, each prefix with the word, mapped to the core's stem, so the Arabic stemmer that follows leaves
    /// them alone. Only forms that are normal under the analyzer's rules (what the filter sees) are listed.
    /// </summary>
    public static IReadOnlyList<string> StemmerOverrides(TextAnalyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        var (words, prefixes, suffixes) = ArabicLightStemmer.Rules;
        var forms = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            if (!analyzer.Normalizer.IsNormalized(word))
            {
                continue;
            }

            forms.Add(word);
            foreach (var suffix in suffixes)
            {
                forms.Add(word + suffix);
            }

            foreach (var prefix in prefixes)
            {
                forms.Add(prefix + word);
            }
        }

        return [.. forms.Where(f => analyzer.Normalizer.IsNormalized(f) && !analyzer.IsStopword(f))
            .Select(f => $"{f} => {ArabicLightStemmer.StemSpan(f).ToString()}")];
    }

    /// <summary>One mapping char filter rule, every character written as \uXXXX (Elasticsearch decodes the escapes).</summary>
    public static string FormatMapping(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(key.Length * 6 + value.Length * 6 + 4);
        Escape(sb, key);
        sb.Append(" =>");
        if (value.Length > 0)
        {
            sb.Append(' ');
            Escape(sb, value);
        }

        return sb.ToString();

        static void Escape(StringBuilder sb, string s)
        {
            foreach (var c in s)
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Parses a rule written by <see cref="FormatMapping"/> (the tests read the generated settings back with it).</summary>
    internal static KeyValuePair<string, string> ParseMapping(string rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var arrow = rule.IndexOf("=>", StringComparison.Ordinal);
        if (arrow < 0)
        {
            throw new FormatException($"not a mapping rule: '{rule}'");
        }

        return new(Unescape(rule[..arrow].Trim()), Unescape(rule[(arrow + 2)..].Trim()));

        static string Unescape(string s)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < s.Length; i++)
            {
                if (s[i] == '\\' && i + 5 < s.Length && s[i + 1] == 'u')
                {
                    sb.Append((char)int.Parse(s.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 5;
                }
                else
                {
                    sb.Append(s[i]);
                }
            }

            return sb.ToString();
        }
    }
}
