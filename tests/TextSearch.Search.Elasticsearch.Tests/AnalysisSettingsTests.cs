using System.Text;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Elastic.Transport.Extensions;
using TextSearch.Analysis;
using TextSearch.Search.Ingestion;
using TextSearch.Search.Query;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>
/// The native analysis settings are generated from the core's tables: these tests prove that every normalization rule
/// (every flag, and for each every character it changes, enumerated from the table over U+0000-U+FFFF), the
/// stopwords, the stemmer's protected words and the synonyms have their counterpart in the generated settings, as the
/// official client writes them (ExecutedAnalysisTests runs them).
/// </summary>
public sealed class AnalysisSettingsTests
{
    private const char FirstCombiningHamza = '\u0653';
    private const char LastCombiningHamza = '\u0655';

    public static TheoryData<NormalizationRules, NormalizationRules> RulesAndRuleSets
    {
        get
        {
            var data = new TheoryData<NormalizationRules, NormalizationRules>();
            foreach (var rule in SingleRules())
            {
                foreach (var rules in new[] { NormalizationRules.Default, NormalizationRules.All, NormalizationRules.All & ~rule }.Distinct())
                {
                    data.Add(rule, rules);
                }
            }

            return data;
        }
    }

    private static IEnumerable<NormalizationRules> SingleRules() =>
        Enum.GetValues<NormalizationRules>().Where(r => r != 0 && (r & (r - 1)) == 0);

    private static readonly ElasticsearchClientSettings ClientSettings = new(new Uri("http://localhost:9200"));

    private static JsonObject Settings(NormalizationRules rules, SynonymMap? synonyms = null) => Serialized(new AnalyzerOptions { Rules = rules }, synonyms);

    /// <summary>The settings.analysis object as the client sends it.</summary>
    public static JsonObject Serialized(AnalyzerOptions options, SynonymMap? synonyms = null) =>
        JsonNode.Parse(((ITransportConfiguration)ClientSettings).RequestResponseSerializer.SerializeToString(
            ElasticsearchAnalysis.Build(options, synonyms ?? TestSupport.Synonyms), SerializationFormatting.None))!.AsObject();

    /// <summary>A list of strings (Elasticsearch reads a one-element list and its element alike).</summary>
    public static List<string> Strings(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array.Select(n => n!.GetValue<string>())],
        _ => [node.GetValue<string>()],
    };

    private static Dictionary<string, string> Mappings(JsonObject analysis) =>
        Strings(analysis["char_filter"]!["textsearch_normalize"]!["mappings"])
            .Select(ElasticsearchAnalysis.ParseMapping)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static string[] Filters(JsonObject analysis, string analyzer) => [.. Strings(analysis["analyzer"]![analyzer]!["filter"])];

    [Fact]
    public void Every_flag_is_a_rule_of_the_table_or_the_hamza_composition()
    {
        foreach (var rule in SingleRules())
        {
            Assert.True(
                NormalizationTable.Order.Contains(rule) || rule == NormalizationRules.DecomposedHamza,
                $"{rule} is neither in NormalizationTable.Order nor handled as a composition: the generator would miss it");
        }

        Assert.Equal(NormalizationRules.All, SingleRules().Aggregate(NormalizationRules.None, (a, r) => a | r));
    }

    [Theory]
    [MemberData(nameof(RulesAndRuleSets))]
    public void Every_character_a_rule_changes_has_its_counterpart(NormalizationRules rule, NormalizationRules rules)
    {
        var analysis = Settings(rules);
        var mappings = Mappings(analysis);
        var table = NormalizationTable.For(rules);
        var normalizer = new ArabicNormalizer(rules);
        var enabled = (rules & rule) == rule;
        var changed = 0;

        if (rule == NormalizationRules.DecomposedHamza)
        {
            for (var i = 0; i <= char.MaxValue; i++)
            {
                var c = (char)i;
                if (char.IsSurrogate(c))
                {
                    continue;
                }

                for (var mark = FirstCombiningHamza; mark <= LastCombiningHamza; mark++)
                {
                    var pair = $"{c}{mark}";
                    var composed = normalizer.NormalizeToString(pair);
                    if (composed == table.Apply(c) + table.Apply(mark))
                    {
                        Assert.False(mappings.ContainsKey(pair), $"U+{i:X4} U+{(int)mark:X4} needs no pair entry");
                        continue;
                    }

                    Assert.True(enabled, $"U+{i:X4} U+{(int)mark:X4} composes although the rule is off");
                    Assert.True(mappings.TryGetValue(pair, out var mapped), $"U+{i:X4} U+{(int)mark:X4} has no pair entry");
                    Assert.Equal(composed, mapped);
                    changed++;
                }
            }

            if (enabled)
            {
                Assert.True(changed > 0);
                if ((rules & NormalizationRules.HamzaCarriers) == 0)
                {
                    Assert.Equal("\u0624", mappings["\u0648\u0654"]); // و + combining hamza above = ؤ
                }
            }

            return;
        }

        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            if (char.IsSurrogate(c) || NormalizationTable.ApplyRule(rule, c) is null)
            {
                continue;
            }

            // The core's result for c: the rule's mapping, then every other enabled rule to a fixed point.
            var expected = table.Apply(c);
            if (!enabled)
            {
                // A rule that is off has no counterpart of its own: c maps only if another enabled rule changes it.
                Assert.Equal(expected == c.ToString() ? null : expected, mappings.GetValueOrDefault(c.ToString()));
                continue;
            }

            Assert.NotEqual(c.ToString(), expected);
            Assert.True(mappings.TryGetValue(c.ToString(), out var mapped), $"{rule}: U+{i:X4} has no mapping");
            Assert.Equal(expected, mapped);
            changed++;
        }

        if (enabled)
        {
            Assert.True(changed > 0, $"{rule} changes no character");
        }

        if (rule == NormalizationRules.CaseFold)
        {
            Assert.Equal("lowercase", Filters(analysis, ElasticsearchAnalysis.NativeAnalyzer)[0]);
        }
    }

    [Theory]
    [InlineData(NormalizationRules.Default)]
    [InlineData(NormalizationRules.All)]
    [InlineData(NormalizationRules.Default & ~NormalizationRules.Diacritics)]
    public void The_single_character_entries_are_exactly_the_table(NormalizationRules rules)
    {
        var mappings = Mappings(Settings(rules));
        var table = NormalizationTable.For(rules);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            if (!char.IsSurrogate(c) && table.Apply(c) is var mapped && mapped != c.ToString())
            {
                expected[c.ToString()] = mapped;
            }
        }

        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), mappings.Where(kv => kv.Key.Length == 1).OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Disabled_rules_leave_their_characters_alone()
    {
        var mappings = Mappings(Settings(NormalizationRules.Default));
        Assert.False(mappings.ContainsKey("\u0624")); // ؤ: hamza carriers are off by default
        Assert.False(mappings.ContainsKey("\u0626")); // ئ
        Assert.Equal("\u0648", Mappings(Settings(NormalizationRules.All))["\u0624"]);
    }

    [Fact]
    public void Entries_are_written_as_escapes_elasticsearch_decodes()
    {
        var raw = Strings(Settings(NormalizationRules.Default)["char_filter"]!["textsearch_normalize"]!["mappings"]);
        Assert.Contains("\\u0623 => \\u0627", raw);          // أ → ا
        Assert.Contains("\\u0640 =>", raw);                  // tatweel removed
        Assert.Contains("\\u200C => \\u0020", raw);          // ZWNJ → space
        Assert.Contains("\\u0664 => \\u0034", raw);          // ٤ → 4
        Assert.Contains("\\uFEFB => \\u0644\\u0627", raw);   // ﻻ → لا
        Assert.All(raw, r => Assert.Matches(@"^(\\u[0-9A-F]{4})+ =>( (\\u[0-9A-F]{4})+)?$", r));
    }

    [Fact]
    public void The_char_filter_normalizes_the_seeds_and_hard_cases_like_the_core()
    {
        var mappings = Mappings(Settings(NormalizationRules.Default));
        var normalizer = ArabicNormalizer.Default;
        var texts = SeedIngestor.Load(TestSupport.SeedsPath).SelectMany(d => new[] { d.Title, d.Body }).ToList();
        texts.AddRange(
        [
            "ٱلرَّحْمَٰنِ", "الـبـاغـوز", "٤٩٠٠ ۴۹۰۰", "ﻻ ﷲ ﷺ", "و\u0654 ی\u0654 ا\u0653 ا\u0655 ہ\u0654", "ZWNJ\u200Cهنا", "\u200Fنص\u202C",
            "ÇERezLER İstanbul", "ک ی ے ۀ ۂ ۓ", "ﺍﻟﺴﻼﻡ", "الرقة الرقّة الرَّقَّة", "\uFEFFبداية",
        ]);
        foreach (var text in texts)
        {
            Assert.Equal(normalizer.NormalizeToString(text), MappingCharFilter(mappings, text));
        }
    }

    [Fact]
    public void Stopwords_are_the_cores_normalized_stopwords()
    {
        var analysis = Settings(NormalizationRules.Default);
        var words = Strings(analysis["filter"]!["textsearch_stop"]!["stopwords"]).ToHashSet(StringComparer.Ordinal);
        var analyzer = TextAnalyzer.Default;
        Assert.Equal(analyzer.Stopwords.Where(w => analyzer.Normalizer.IsNormalized(w)).ToHashSet(StringComparer.Ordinal), words);
        foreach (var word in ArabicStopwords.Words.Concat(ArabicStopwords.QuestionWords))
        {
            Assert.Contains(analyzer.Normalizer.NormalizeToString(word), words);
        }

        Assert.Equal(["lowercase", "textsearch_stop", "textsearch_protected", "textsearch_stem"], Filters(analysis, ElasticsearchAnalysis.NativeAnalyzer));
        Assert.Equal("arabic", analysis["filter"]!["textsearch_stem"]!["language"]!.GetValue<string>());
    }

    [Fact]
    public void Every_protected_word_of_the_stemmer_keeps_the_cores_stem()
    {
        var analysis = Settings(NormalizationRules.Default);
        var rules = Strings(analysis["filter"]!["textsearch_protected"]!["rules"])
            .Select(r => r.Split(" => "))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var analyzer = TextAnalyzer.Default;
        var (words, _, suffixes) = ArabicLightStemmer.Rules;
        var covered = 0;
        foreach (var word in words.Where(w => analyzer.Normalizer.IsNormalized(w) && !analyzer.IsStopword(w)))
        {
            Assert.True(rules.TryGetValue(word, out var stem), $"{word} has no stemmer_override rule");
            Assert.Equal(ArabicLightStemmer.StemSpan(word).ToString(), stem);
            covered++;
            foreach (var suffix in suffixes.Where(s => analyzer.Normalizer.IsNormalized(word + s)))
            {
                Assert.Equal(ArabicLightStemmer.StemSpan(word + suffix).ToString(), rules[word + suffix]);
            }
        }

        Assert.True(covered > 50);
        Assert.Equal("وزير", rules["وزير"]);
        Assert.Equal("الله", rules["الله"]);
        Assert.Equal("الله", rules["والله"]);
    }

    [Fact]
    public void Synonyms_are_a_query_time_graph_filter_from_the_raw_groups()
    {
        var analysis = Settings(NormalizationRules.Default);
        var filter = analysis["filter"]!["textsearch_synonyms"]!;
        Assert.Equal("synonym_graph", filter["type"]!.GetValue<string>());
        var lines = Strings(filter["synonyms"]);
        Assert.Equal(TestSupport.Synonyms.RawGroups.Count, lines.Count);
        foreach (var group in TestSupport.Synonyms.RawGroups)
        {
            Assert.Contains(string.Join(", ", group), lines);
        }

        Assert.Contains("قسد, قوات سوريا الديمقراطية", lines);
        Assert.Equal("textsearch_synonyms", Filters(analysis, ElasticsearchAnalysis.NativeSearchAnalyzer)[^1]);
        Assert.DoesNotContain("textsearch_synonyms", Filters(analysis, ElasticsearchAnalysis.NativeAnalyzer));
        Assert.Null(Settings(NormalizationRules.Default, SynonymMap.Empty)["filter"]!["textsearch_synonyms"]);
    }

    [Fact]
    public void Switched_off_stemming_and_stopwords_leave_their_filters_out()
    {
        var analysis = Serialized(new AnalyzerOptions { Stem = false, Stopwords = false }, SynonymMap.Empty);
        Assert.Equal(["lowercase"], Filters(analysis, ElasticsearchAnalysis.NativeAnalyzer));
    }

    [Fact]
    public void Term_fields_are_split_on_white_space_and_drop_only_the_placeholder()
    {
        var analysis = Settings(NormalizationRules.Default);
        var terms = analysis["analyzer"]!["textsearch_terms"]!;
        Assert.Equal("whitespace", terms["tokenizer"]!.GetValue<string>());
        Assert.Equal(["textsearch_placeholder"], Filters(analysis, ElasticsearchAnalysis.TermsAnalyzer));
        Assert.Equal(["_"], Strings(analysis["filter"]!["textsearch_placeholder"]!["stopwords"]));
    }

    /// <summary>What Lucene's MappingCharFilter does: at each position the longest matching key wins; output is not re-scanned.</summary>
    private static string MappingCharFilter(Dictionary<string, string> mappings, string text)
    {
        var longest = mappings.Keys.Max(k => k.Length);
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var matched = false;
            for (var length = Math.Min(longest, text.Length - i); length > 0 && !matched; length--)
            {
                if (mappings.TryGetValue(text.Substring(i, length), out var value))
                {
                    sb.Append(value);
                    i += length;
                    matched = true;
                }
            }

            if (!matched)
            {
                sb.Append(text[i]);
                i++;
            }
        }

        return sb.ToString();
    }
}
