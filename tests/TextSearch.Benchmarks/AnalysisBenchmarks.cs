using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using Lucene.Net.Analysis.Ar;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;
using TextSearch.Analysis;
using LuceneAnalyzer = Lucene.Net.Analysis.Analyzer;

namespace TextSearch.Benchmarks;

/// <summary>
/// Full analysis of the same articles: our <see cref="TextAnalyzer"/> (normalize with offset map, tokenize, map the
/// offsets back, stopwords, stem) through a reused <see cref="AnalysisSession"/>, against Lucene.NET's
/// ArabicAnalyzer (StandardTokenizer, lower case, stop filter, ArabicNormalizationFilter, ArabicStemFilter) through
/// its reused token stream. One invocation analyzes every article of the input.
/// </summary>
[Config(typeof(Config))]
public class AnalysisBenchmarks
{
    private TextAnalyzer _ours = TextAnalyzer.Default;
    private AnalysisSession _session = new(TextAnalyzer.Default);
    private LuceneAnalyzer _lucene = null!;
    private string[] _texts = [];

    [Params(Input.Articles, Input.Diacritized)]
    public Input Input { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _texts = Corpus.Get(Input);
        _ours = TextAnalyzer.Default;
        _session = new AnalysisSession(_ours);
        _lucene = new ArabicAnalyzer(LuceneVersion.LUCENE_48);
    }

    [GlobalCleanup]
    public void Cleanup() => _lucene.Dispose();

    [Benchmark(Baseline = true)]
    public long Lucene() => LuceneTokens(_lucene, _texts);

    [Benchmark]
    public long Ours() => OurTokens(_session, _texts);

    /// <summary>Every token our analyzer emits (stopwords included: they are flagged, not dropped, and their
    /// positions count); the sum of term and stem lengths keeps the work observable.</summary>
    internal static long OurTokens(AnalysisSession session, string[] texts, bool countOnly = false)
    {
        long tokens = 0, chars = 0;
        foreach (var text in texts)
        {
            session.Reset(text);
            while (session.MoveNext())
            {
                var t = session.Current;
                chars += t.Stem.Length + t.End - t.Start;
                tokens++;
            }
        }

        return countOnly ? tokens : chars;
    }

    /// <summary>Every token Lucene's ArabicAnalyzer emits (stopwords are removed by its StopFilter).</summary>
    internal static long LuceneTokens(LuceneAnalyzer analyzer, string[] texts, bool countOnly = false)
    {
        long tokens = 0, chars = 0;
        foreach (var text in texts)
        {
            var stream = analyzer.GetTokenStream("body", text);
            try
            {
                var term = stream.AddAttribute<ICharTermAttribute>();
                var offset = stream.AddAttribute<IOffsetAttribute>();
                stream.Reset();
                while (stream.IncrementToken())
                {
                    chars += term.Length + offset.EndOffset - offset.StartOffset;
                    tokens++;
                }

                stream.End();
            }
            finally
            {
                stream.Dispose();
            }
        }

        return countOnly ? tokens : chars;
    }

    private static readonly Dictionary<(string, Input), long> TokenCounts = [];

    /// <summary>Tokens one invocation of <paramref name="benchmarkCase"/> produces (computed once, in the host).</summary>
    private static double TokensPerInvocation(BenchmarkCase benchmarkCase)
    {
        var method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        var input = (Input)benchmarkCase.Parameters["Input"];
        lock (TokenCounts)
        {
            if (!TokenCounts.TryGetValue((method, input), out var count))
            {
                var texts = Corpus.Get(input);
                if (method == nameof(Lucene))
                {
                    using var analyzer = new ArabicAnalyzer(LuceneVersion.LUCENE_48);
                    count = LuceneTokens(analyzer, texts, countOnly: true);
                }
                else
                {
                    count = OurTokens(new AnalysisSession(TextAnalyzer.Default), texts, countOnly: true);
                }

                TokenCounts[(method, input)] = count;
            }

            return count;
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddDiagnoser(MemoryDiagnoser.Default);
            AddColumn(new PerSecondColumn(
                "MB/s",
                "Throughput: UTF-8 bytes of the input texts per second, in 10^6 bytes/s",
                b => Corpus.Utf8Bytes((Input)b.Parameters["Input"]),
                1e6));
            AddColumn(new ValueColumn(
                "Tokens",
                "Tokens the method emits per invocation (ours: all tokens, stopwords included; Lucene: after its StopFilter)",
                b => TokensPerInvocation(b).ToString("N0")));
            AddColumn(new PerSecondColumn(
                "Mtokens/s",
                "Tokens emitted per second, in millions",
                TokensPerInvocation,
                1e6));
            AddColumn(new SpeedupColumn(nameof(Lucene)));
            HideColumns("Error", "StdDev", "Median", "RatioSD", "Alloc Ratio");
        }
    }
}
