using System.Text.Json.Nodes;
using Lucene.Net.Analysis;

namespace TextSearch.Search.Elasticsearch.Tests.Support;

/// <summary>
/// The textsearch_keys analyzer as the index settings define it: the terms analyzer, then a <c>multiplexer</c> of
/// <c>pattern_replace</c> filters, executed as Elasticsearch documents them: each token is kept (preserve_original)
/// and each filter's output is added at its position, identical tokens at one position once.
/// </summary>
internal sealed class KeysAnalyzer : Analyzer
{
    private readonly List<(System.Text.RegularExpressions.Regex Pattern, string Replacement)> _replacements = [];

    public KeysAnalyzer(JsonObject analysis)
    {
        var definition = analysis["analyzer"]![ElasticsearchAnalysis.KeysAnalyzer]!;
        Assert.Equal("whitespace", definition["tokenizer"]!.GetValue<string>());
        Assert.Equal([ElasticsearchAnalysis.PlaceholderFilter, ElasticsearchAnalysis.NumberClassMultiplexer], AnalysisSettingsTests.Strings(definition["filter"]));
        var multiplexer = analysis["filter"]![ElasticsearchAnalysis.NumberClassMultiplexer]!;
        Assert.Equal("multiplexer", multiplexer["type"]!.GetValue<string>());
        Assert.NotEqual(false, multiplexer["preserve_original"]?.GetValue<bool>());
        foreach (var name in AnalysisSettingsTests.Strings(multiplexer["filters"]))
        {
            var filter = analysis["filter"]![name]!;
            Assert.Equal("pattern_replace", filter["type"]!.GetValue<string>());
            _replacements.Add((new System.Text.RegularExpressions.Regex(filter["pattern"]!.GetValue<string>(), System.Text.RegularExpressions.RegexOptions.CultureInvariant), filter["replacement"]!.GetValue<string>()));
        }
    }

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var (tokenizer, terms) = TermsAnalyzer.Chain(reader);
        return new TokenStreamComponents(tokenizer, new Multiplexer(terms, _replacements));
    }

    private sealed class Multiplexer(TokenStream input, List<(System.Text.RegularExpressions.Regex Pattern, string Replacement)> replacements) : TokenFilter(input)
    {
        private readonly global::Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute _term = input.AddAttribute<global::Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        private readonly global::Lucene.Net.Analysis.TokenAttributes.IPositionIncrementAttribute _increment = input.AddAttribute<global::Lucene.Net.Analysis.TokenAttributes.IPositionIncrementAttribute>();
        private readonly Queue<string> _pending = new();

        public override bool IncrementToken()
        {
            if (_pending.TryDequeue(out var extra))
            {
                _term.SetEmpty().Append(extra);
                _increment.PositionIncrement = 0;
                return true;
            }

            if (!m_input.IncrementToken())
            {
                return false;
            }

            var original = _term.ToString();
            foreach (var (pattern, replacement) in replacements)
            {
                var replaced = pattern.Replace(original, replacement);
                if (replaced != original && !_pending.Contains(replaced))
                {
                    _pending.Enqueue(replaced);
                }
            }

            return true;
        }

        public override void Reset()
        {
            base.Reset();
            _pending.Clear();
        }
    }
}
