using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using TextSearch.Analysis;

namespace TextSearch.Benchmarks;

/// <summary>
/// The Normalize RPC's cost of finding a normalizer for the request's rule set, over a stream of 256 requests that use
/// <see cref="DistinctRuleSets"/> rule sets in turn, each normalizing one short diacritized sentence.
/// <see cref="Before"/> is the code before issue 14: a new <see cref="ArabicNormalizer"/> per request over a table cache
/// of the first 16 rule sets, beyond which every request built its 65,536-entry table again. <see cref="After"/> is
/// <see cref="ArabicNormalizer.For"/>: one shared normalizer per rule set, from a cache of 64, least recently used out.
/// </summary>
[MemoryDiagnoser]
public class NormalizeRuleSetsBenchmarks
{
    private const int Requests = 256;
    private const string Text = "وَقَالَ المُتَحَدِّثُ بِاسْمِ قُوَّاتِ سُورِيَا الدِّيمُقْرَاطِيَّةِ إِنَّ المَعْرَكَةَ مُسْتَمِرَّةٌ فِي الرَّقَّةِ";

    private NormalizationRules[] _sets = [];
    private Dictionary<NormalizationRules, ArabicNormalizer> _normalizers = [];

    // The old table cache, kept across requests as the server kept it.
    private readonly ConcurrentDictionary<NormalizationRules, NormalizationTable> _oldCache = new();

    [Params(1, 16, 64, 256)]
    public int DistinctRuleSets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Distinct rule sets spread over the 4,096, always with diacritics on (as a caller would keep it).
        _sets = [.. Enumerable.Range(0, DistinctRuleSets).Select(i => ((NormalizationRules)(i * 37 % 4096) & NormalizationRules.All) | NormalizationRules.Diacritics).Distinct()];
        while (_sets.Length < DistinctRuleSets)
        {
            _sets = [.. _sets, .. Enumerable.Range(0, 4096).Select(i => (NormalizationRules)i & NormalizationRules.All).Except(_sets).Take(DistinctRuleSets - _sets.Length)];
        }

        _normalizers = _sets.ToDictionary(r => r, r => new ArabicNormalizer(r));
    }

    /// <summary>Before: the old table cache (the first 16 rule sets; past it a table is built per request) and a new normalizer object per request.</summary>
    [Benchmark(Baseline = true)]
    public int Before()
    {
        var cache = _oldCache;
        var length = 0;
        for (var i = 0; i < Requests; i++)
        {
            var rules = _sets[i % _sets.Length];
            if (!cache.TryGetValue(rules, out var table))
            {
                table = NormalizationTable.Build(rules);
                if (cache.Count < 16)
                {
                    cache.TryAdd(rules, table);
                }
            }

            // The normalization itself costs the same either way: use a normalizer of these rules built in advance.
            length += table.Rules == rules ? _normalizers[rules].NormalizeToString(Text).Length : 0;
        }

        return length;
    }

    /// <summary>After: <see cref="ArabicNormalizer.For"/>.</summary>
    [Benchmark]
    public int After()
    {
        var length = 0;
        for (var i = 0; i < Requests; i++)
        {
            length += ArabicNormalizer.For(_sets[i % _sets.Length]).NormalizeToString(Text).Length;
        }

        return length;
    }
}
