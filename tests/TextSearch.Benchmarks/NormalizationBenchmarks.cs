using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using TextSearch.Analysis;
using LuceneArabicNormalizer = Lucene.Net.Analysis.Ar.ArabicNormalizer;

namespace TextSearch.Benchmarks;

/// <summary>
/// Our normalizer against Lucene.NET's ArabicNormalizer on the same texts in the same run. One invocation normalizes
/// every text of the input (one call per article, or per word for <see cref="Input.DiacritizedWords"/>).
/// </summary>
/// <remarks>
/// Lucene normalizes a char[] in place, so each of its calls first copies the text into a scratch array. Our span
/// overload pays the very same copy (it normalizes from that scratch array into its reusable buffer), so both sides
/// do copy + normalize; <see cref="CopyOnly"/> measures the copy alone. The string overload takes the article string
/// as is and allocates the result string and its map, as a caller of that API would.
/// </remarks>
[Config(typeof(Config))]
public class NormalizationBenchmarks
{
    private readonly ArabicNormalizer _ours = ArabicNormalizer.Default;
    private readonly LuceneArabicNormalizer _lucene = new();
    private readonly NormalizationBuffer _buffer = new();
    private readonly ReferenceNormalizer _reference = new();
    private string[] _texts = [];
    private char[] _scratch = [];

    [ParamsAllValues]
    public Input Input { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _texts = Corpus.Get(Input);
        _scratch = new char[_texts.Max(t => t.Length) + 16];

        // Same output and map as the pre-optimization implementation on every text of this input.
        var mismatch = Equivalence.FirstMismatch(_texts, NormalizationRules.Default);
        if (mismatch is not null)
        {
            throw new InvalidOperationException("Optimized normalizer differs from the reference: " + mismatch);
        }

        // Warm the buffers so that steady-state calls do not grow them.
        foreach (var t in _texts)
        {
            _ours.Normalize(t, _buffer);
            _reference.Normalize(t);
        }
    }

    [Benchmark(Baseline = true)]
    public long Lucene()
    {
        long total = 0;
        var scratch = _scratch;
        foreach (var text in _texts)
        {
            text.CopyTo(scratch);
            total += _lucene.Normalize(scratch, text.Length);
        }

        return total;
    }

    [Benchmark]
    public long OursSpan()
    {
        long total = 0;
        var scratch = _scratch;
        var buffer = _buffer;
        foreach (var text in _texts)
        {
            text.CopyTo(scratch);
            _ours.Normalize(scratch.AsSpan(0, text.Length), buffer);
            total += buffer.Map.NormalizedLength;
        }

        return total;
    }

    [Benchmark]
    public long OursString()
    {
        long total = 0;
        foreach (var text in _texts)
        {
            total += _ours.Normalize(text).Map.NormalizedLength;
        }

        return total;
    }

    /// <summary>The pre-optimization loops (same copy as the others), for before/after in the same run.</summary>
    [Benchmark]
    public long ReferenceSpan()
    {
        long total = 0;
        var scratch = _scratch;
        foreach (var text in _texts)
        {
            text.CopyTo(scratch);
            _reference.Normalize(scratch.AsSpan(0, text.Length));
            total += _reference.IsIdentity ? text.Length : _reference.Chars.Length;
        }

        return total;
    }

    /// <summary>The copy into the scratch array alone, which Lucene, OursSpan and ReferenceSpan all include.</summary>
    [Benchmark]
    public long CopyOnly()
    {
        long total = 0;
        var scratch = _scratch;
        foreach (var text in _texts)
        {
            text.CopyTo(scratch);
            total += scratch[text.Length >> 1];
        }

        return total;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddDiagnoser(MemoryDiagnoser.Default);
            AddColumn(new PerSecondColumn(
                "MB/s",
                "Throughput: UTF-8 bytes of the input texts (before normalization) per second, in 10^6 bytes/s",
                b => Corpus.Utf8Bytes((Input)b.Parameters["Input"]),
                1e6));
            AddColumn(new SpeedupColumn(nameof(Lucene)));
            HideColumns("Error", "StdDev", "Median", "RatioSD", "Alloc Ratio");
        }
    }
}
