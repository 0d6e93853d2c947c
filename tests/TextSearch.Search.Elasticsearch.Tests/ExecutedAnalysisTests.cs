using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Ar;
using Lucene.Net.Analysis.CharFilters;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Synonym;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;
using TextSearch.Analysis;
using TextSearch.Search.Elasticsearch.Tests.Support;
using TextSearch.Search.Ingestion;
using Xunit.Abstractions;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>
/// The native analysis settings, executed. Elasticsearch's analysis components are Lucene's, so the chain the
/// generated settings describe (as the client sends them) is built from Lucene.NET 4.8's implementations of the same
/// components: the <c>mapping</c> char filter is MappingCharFilter, <c>standard</c> StandardTokenizer,
/// <c>lowercase</c> LowerCaseFilter, <c>stop</c> StopFilter, <c>stemmer_override</c> StemmerOverrideFilter,
/// <c>stemmer</c> (arabic) ArabicStemFilter, <c>whitespace</c> WhitespaceTokenizer. <c>synonym_graph</c> has no
/// Lucene.NET 4.8 counterpart (SynonymGraphFilter came with Lucene 6.4): SynonymFilter, which reads the same rules
/// but emits a flat stream, stands in for it. The chain runs over the seeds and SaudiNewsNet articles and its tokens
/// are compared, span by span, with the core's; every difference must be one of the named rules below (the same
/// ones docs/elasticsearch.md lists), and the counts per rule are printed.
/// </summary>
public sealed class ExecutedAnalysisTests(ITestOutputHelper output)
{
    private const int Articles = 1000;
    private static readonly LuceneVersion Version = LuceneVersion.LUCENE_48;

    private static JsonObject Settings => AnalysisSettingsTests.Serialized(TextAnalyzer.Default.Options);

    [Fact]
    public void The_term_fields_analyzer_splits_on_white_space_and_drops_the_placeholder()
    {
        using var terms = new SettingsAnalyzer(Settings, ElasticsearchAnalysis.TermsAnalyzer);
        Assert.Equal([("قوات", 0), ("رقه", 2), ("2017", 3)], TokenStreams.Read(terms, "f", "قوات _ رقه 2017"));
    }

    [Fact]
    public void The_seeds_analyze_like_the_core_except_for_the_named_rules()
    {
        var texts = SeedIngestor.Load(TestSupport.SeedsPath).SelectMany(d => new[] { d.Title, d.Body }).ToList();
        var report = Compare(texts);
        Assert.True(report.Agreeing > 1000, $"only {report.Agreeing} tokens compared");
    }

    [SharedFact("saudinewsnet")]
    public void SaudiNewsNet_analyzes_like_the_core_except_for_the_named_rules()
    {
        var texts = new List<string>();
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(Shared.SaudiNewsNet), CompressionMode.Decompress)))
        {
            for (var line = reader.ReadLine(); line is not null && texts.Count < 2 * Articles; line = reader.ReadLine())
            {
                using var article = JsonDocument.Parse(line);
                texts.Add(article.RootElement.GetProperty("title").GetString() ?? string.Empty);
                texts.Add(article.RootElement.GetProperty("body").GetString() ?? string.Empty);
            }
        }

        Assert.Equal(2 * Articles, texts.Count);
        var report = Compare(texts);
        Assert.True(report.Agreeing > 100_000, $"only {report.Agreeing} tokens compared");
    }

    [Fact]
    public void Synonyms_expand_at_search_time_except_rules_with_a_stopword()
    {
        // The search analyzer's synonym filter, built from the rules as Elasticsearch builds it (each rule analyzed by
        // the chain before the filter; lenient: a rule the chain leaves a gap in is skipped).
        using var search = new SettingsAnalyzer(Settings, ElasticsearchAnalysis.NativeSearchAnalyzer);
        using var index = new SettingsAnalyzer(Settings, ElasticsearchAnalysis.NativeAnalyzer);
        var expanded = 0;
        foreach (var group in TestSupport.Synonyms.RawGroups)
        {
            var withStopword = group.Any(g => TextAnalyzer.Default.Analyze(g).Any(t => t.IsStopword));
            foreach (var alternative in group)
            {
                var found = TokenStreams.Read(search, "f", alternative).Select(t => t.Term).ToHashSet(StringComparer.Ordinal);
                foreach (var other in group)
                {
                    var stems = TokenStreams.Read(index, "f", other).Select(t => t.Term).ToList();
                    if (withStopword)
                    {
                        // Rule "synonym-rule-with-stopword-skipped": lenient parsing drops the whole rule.
                        Assert.True(other == alternative || !stems.All(found.Contains) || stems.Count == 0, $"{alternative} → {other} expanded although the rule has a stopword");
                    }
                    else
                    {
                        Assert.True(stems.All(found.Contains), $"{alternative} does not expand to {other} ({string.Join(' ', stems)} not in {string.Join(' ', found)})");
                        expanded++;
                    }
                }
            }
        }

        Assert.True(expanded > 10);
    }

    private sealed record Report(int Agreeing, Dictionary<string, int> Rules);

    /// <summary>Compares the native chain with the core on every text; fails on a difference no rule explains.</summary>
    private Report Compare(IEnumerable<string> texts)
    {
        using var native = new SettingsAnalyzer(Settings, ElasticsearchAnalysis.NativeAnalyzer);
        using var normalizeOnly = new SettingsAnalyzer(Settings, ElasticsearchAnalysis.NativeAnalyzer, stopAfter: "lowercase");
        using var unstemmed = new SettingsAnalyzer(Settings, ElasticsearchAnalysis.NativeAnalyzer, stopAfter: ElasticsearchAnalysis.StopFilter);
        var rules = new Dictionary<string, int>(StringComparer.Ordinal);
        var examples = new Dictionary<string, string>(StringComparer.Ordinal);
        var unexplained = new List<string>();
        var agreeing = 0;
        foreach (var text in texts)
        {
            var core = TextAnalyzer.Default.Analyze(text).ToDictionary(t => (t.Start, t.End));
            var nativeTokens = Tokens(native, text).ToDictionary(t => (t.Start, t.End), t => t.Term);
            var normalized = Tokens(normalizeOnly, text).ToDictionary(t => (t.Start, t.End), t => t.Term);
            var kept = Tokens(unstemmed, text).Select(t => (t.Start, t.End)).ToHashSet();
            foreach (var (span, token) in core)
            {
                var rule = Explain(text, span, token, nativeTokens, normalized, kept, out var agrees);
                if (agrees)
                {
                    agreeing++;
                    continue;
                }

                Count(rule ?? "unexplained", $"{text[span.Start..span.End]}: core {token.Stem}{(token.IsStopword ? " (stopword)" : string.Empty)}, Elasticsearch {nativeTokens.GetValueOrDefault(span) ?? "—"}");
            }

            // Native tokens on a span where the core has none: the tokenizers cut differently.
            foreach (var (span, term) in nativeTokens.Where(n => !core.ContainsKey(n.Key)))
            {
                var rule = core.Any(c => Trim(text, c.Key) == Trim(text, span) && c.Value.Stem == term) ? "offsets-around-invisible-marks" : TokenizerRule(text, span, core.Keys);
                Count(rule ?? "unexplained", $"{text[span.Start..span.End]}: Elasticsearch {term}, no core token on that span");
            }
        }

        foreach (var (rule, count) in rules.OrderByDescending(r => r.Value))
        {
            output.WriteLine($"{rule}: {count} (e.g. {examples[rule]})");
        }

        output.WriteLine($"agreeing: {agreeing}");
        Assert.True(unexplained.Count == 0, $"{unexplained.Count} differences no rule explains, e.g.:\n{string.Join('\n', unexplained.Take(30))}");
        return new Report(agreeing, rules);

        void Count(string rule, string example)
        {
            rules[rule] = rules.GetValueOrDefault(rule) + 1;
            examples.TryAdd(rule, example);
            if (rule == "unexplained")
            {
                unexplained.Add(example);
            }
        }
    }

    /// <summary>Why the chain and the core disagree on one core token, or null when no rule explains it.</summary>
    private static string? Explain(
        string text,
        (int Start, int End) span,
        AnalyzedToken token,
        Dictionary<(int, int), string> native,
        Dictionary<(int, int), string> normalized,
        HashSet<(int, int)> kept,
        out bool agrees)
    {
        agrees = false;
        if (!normalized.TryGetValue(span, out var term))
        {
            var trimmed = native.Keys.FirstOrDefault(n => Trim(text, n) == Trim(text, span), (-1, -1));
            if (trimmed != (-1, -1) && native[trimmed] == token.Stem)
            {
                return "offsets-around-invisible-marks"; // the same term; the spans differ by a bidi mark the char filter drops
            }

            // The tokenizers cut differently here: classify by the chain's token over this span, if any.
            var covering = normalized.Keys.FirstOrDefault(n => n.Item1 < span.End && span.Start < n.Item2, span);
            return TokenizerRule(text, covering, []);
        }

        if (token.IsStopword)
        {
            agrees = !native.ContainsKey(span);
            return agrees ? null : term != token.Term ? NormalizationRule(term, token) : "stopword-in-another-form";
        }

        if (native.TryGetValue(span, out var stem) && stem == token.Stem)
        {
            agrees = true;
            return null;
        }

        if (term != token.Term)
        {
            return NormalizationRule(term, token);
        }

        if (!kept.Contains(span))
        {
            return "stopword-in-another-form";
        }

        // Same normalized word, another stem: Lucene's ArabicStemmer strips a prefix or suffix as long as 2 letters
        // remain, the core's light stemmer keeps 3 (and only the listed forms of its protected words are overridden).
        var lucene = LuceneStem(term);
        if (stem == lucene)
        {
            return ArabicLightStemmer.Rules.ProtectedWords.Contains(token.Stem)
                ? "protected-word-in-an-unlisted-form"
                : lucene.Length < token.Stem.Length ? "arabic-stemmer-strips-further" : "arabic-stemmer-strips-less";
        }

        return null;
    }

    // The span without the format characters (bidi embeddings, ZWJ...) at its edges.
    private static (int Start, int End) Trim(string text, (int Start, int End) span)
    {
        var (start, end) = span;
        while (start < end && char.GetUnicodeCategory(text[start]) == System.Globalization.UnicodeCategory.Format)
        {
            start++;
        }

        while (end > start && char.GetUnicodeCategory(text[end - 1]) == System.Globalization.UnicodeCategory.Format)
        {
            end--;
        }

        return (start, end);
    }

    private static string? NormalizationRule(string term, AnalyzedToken token)
    {
        if (term.Replace(",", string.Empty, StringComparison.Ordinal).Replace(".", string.Empty, StringComparison.Ordinal) == token.Term)
        {
            return "standard-tokenizer-keeps-number-separators";
        }

        if (term.EnumerateRunes().Any(r => r.Value > 0xFFFF))
        {
            return "case-folding-outside-the-bmp";
        }

        if (token.Text.Any(c => c is >= '\u0653' and <= '\u0655'))
        {
            return "combining-hamza-after-another-mark";
        }

        return term.Length > TextSearch.Analysis.Tokenizer.MaxTokenLength || token.Term.Length >= TextSearch.Analysis.Tokenizer.MaxTokenLength ? "token-longer-than-128" : null;
    }

    /// <summary>A span the two tokenizers cut differently, and the rule that explains it.</summary>
    private static string? TokenizerRule(string text, (int Start, int End) span, IEnumerable<(int Start, int End)> coreSpans)
    {
        var piece = text[span.Start..span.End];
        if (piece.Any(char.IsDigit) && piece.Any(char.IsLetter))
        {
            return "standard-tokenizer-joins-letters-and-digits";
        }

        if (piece.Any(char.IsDigit) && piece.Any(c => c is ',' or '.' or '٫' or '٬' or '\''))
        {
            return "standard-tokenizer-keeps-number-separators";
        }

        if (piece.Length > TextSearch.Analysis.Tokenizer.MaxTokenLength)
        {
            return "token-longer-than-128";
        }

        if (piece.Any(c => c is '\'' or '’' or '.' or ':' or '_' or '@'))
        {
            return "standard-tokenizer-word-joiners"; // UAX #29 keeps don't, U.S., a_b, 10:30 together
        }

        return null;
    }

    private static string LuceneStem(string term)
    {
        var buffer = term.ToCharArray();
        var length = new ArabicStemmer().Stem(buffer, buffer.Length);
        return new string(buffer, 0, length);
    }

    private static List<(string Term, int Start, int End)> Tokens(Analyzer analyzer, string text)
    {
        var tokens = new List<(string, int, int)>();
        using var stream = analyzer.GetTokenStream("f", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offsets = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            tokens.Add((term.ToString(), offsets.StartOffset, offsets.EndOffset));
        }

        stream.End();
        return tokens;
    }

    /// <summary>
    /// An analyzer of the settings (settings.analysis as the client serializes it), built from Lucene.NET's
    /// implementations of Elasticsearch's components; a component without a counterpart fails the test.
    /// </summary>
    private sealed class SettingsAnalyzer(JsonObject analysis, string name, string? stopAfter = null) : Analyzer
    {
        private readonly JsonObject _definition = analysis["analyzer"]![name]!.AsObject();

        protected override TextReader InitReader(string fieldName, TextReader reader)
        {
            foreach (var charFilter in AnalysisSettingsTests.Strings(_definition["char_filter"]))
            {
                var definition = analysis["char_filter"]![charFilter]!;
                Assert.Equal("mapping", definition["type"]!.GetValue<string>());
                var map = new NormalizeCharMap.Builder();
                foreach (var rule in AnalysisSettingsTests.Strings(definition["mappings"]))
                {
                    var (key, value) = ElasticsearchAnalysis.ParseMapping(rule);
                    map.Add(key, value);
                }

                reader = new MappingCharFilter(map.Build(), reader);
            }

            return reader;
        }

        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            global::Lucene.Net.Analysis.Tokenizer tokenizer = _definition["tokenizer"]!.GetValue<string>() switch
            {
                "standard" => new StandardTokenizer(Version, reader),
                "whitespace" => new WhitespaceTokenizer(Version, reader),
                var other => throw new NotSupportedException($"tokenizer {other} has no Lucene.NET counterpart here"),
            };
            TokenStream stream = tokenizer;
            var preceding = new List<string>();
            foreach (var filter in AnalysisSettingsTests.Strings(_definition["filter"]))
            {
                stream = filter == "lowercase" ? new LowerCaseFilter(Version, stream) : Filter(analysis["filter"]![filter]!.AsObject(), stream, preceding);
                preceding.Add(filter);
                if (filter == stopAfter)
                {
                    break;
                }
            }

            return new TokenStreamComponents(tokenizer, stream);
        }

        private TokenStream Filter(JsonObject definition, TokenStream input, List<string> preceding)
        {
            switch (definition["type"]!.GetValue<string>())
            {
                case "stop":
                    return new StopFilter(Version, input, new CharArraySet(Version, AnalysisSettingsTests.Strings(definition["stopwords"]), ignoreCase: false));
                case "stemmer_override":
                    var overrides = new StemmerOverrideFilter.Builder(ignoreCase: false);
                    foreach (var rule in AnalysisSettingsTests.Strings(definition["rules"]))
                    {
                        var parts = rule.Split("=>", 2, StringSplitOptions.TrimEntries);
                        foreach (var form in parts[0].Split(',', StringSplitOptions.TrimEntries))
                        {
                            overrides.Add(form, parts[1]);
                        }
                    }

                    return new StemmerOverrideFilter(input, overrides.Build());
                case "stemmer" when definition["language"]!.GetValue<string>() == "arabic":
                    return new ArabicStemFilter(input);
                case "synonym_graph":
                    // Elasticsearch analyzes each rule with the chain before the filter; lenient skips a rule it refuses.
                    using (var ruleAnalyzer = new SettingsAnalyzer(analysis, name, preceding.LastOrDefault()))
                    {
                        var parser = new SolrSynonymParser(dedup: true, expand: true, ruleAnalyzer);
                        foreach (var rule in AnalysisSettingsTests.Strings(definition["synonyms"]))
                        {
                            try
                            {
                                parser.Parse(new StringReader(rule));
                            }
                            catch (J2N.Text.ParseException) when (definition["lenient"]?.GetValue<bool>() == true)
                            {
                            }
                        }

                        return new SynonymFilter(input, parser.Build(), ignoreCase: false);
                    }

                default:
                    throw new NotSupportedException($"filter {definition.ToJsonString()} has no Lucene.NET counterpart here");
            }
        }
    }
}
