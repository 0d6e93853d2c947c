using System.Diagnostics;
using TextSearch.Analysis;

namespace TextSearch.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/TextSearch.Benchmarks -- --verify [articles]</c>: compares the optimized
/// normalizer with <see cref="ReferenceNormalizer"/> on the corpus (all articles by default), on the diacritized and
/// normalized forms of it, word by word, and on random texts, under many rule sets. Exit code 1 on any difference.
/// </summary>
internal static class Verify
{
    public static int Run(int? articles)
    {
        var watch = Stopwatch.StartNew();
        Console.WriteLine($"Corpus: {Corpus.ResolvePath()}");
        var avx512 = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512BW.IsSupported;
        Console.WriteLine(avx512 ? "Checking the AVX-512 loops (DOTNET_EnableAVX512=0 checks the scalar ones)" : "Checking the scalar loops");
        var bodies = Corpus.ReadBodies(articles).ToArray();
        var diacritized = bodies.Select((b, i) => Corpus.Diacritize(b, i)).ToArray();
        var normal = bodies.Select(ArabicNormalizer.Default.NormalizeToString).ToArray();
        var words = diacritized.Take(2000).SelectMany(a => a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var random = Equivalence.RandomTexts(20_000, seed: 7).ToArray();
        var chars = bodies.Sum(b => (long)b.Length) + diacritized.Sum(b => (long)b.Length) + normal.Sum(b => (long)b.Length);
        Console.WriteLine($"{bodies.Length} articles ({chars:N0} chars with their diacritized and normalized forms), "
            + $"{words.Length:N0} words, {random.Length:N0} random texts");

        var failures = 0;
        void Check(string name, IEnumerable<string> texts, NormalizationRules rules)
        {
            var mismatch = Equivalence.FirstMismatch(texts, rules);
            if (mismatch is not null)
            {
                failures++;
                Console.WriteLine($"MISMATCH {name}: {mismatch}");
            }
        }

        Check("articles", bodies, NormalizationRules.Default);
        Check("diacritized", diacritized, NormalizationRules.Default);
        Check("normal", normal, NormalizationRules.Default);
        Check("diacritized words", words, NormalizationRules.Default);
        var sample = bodies.Take(500).Concat(diacritized.Take(500)).ToArray();
        var ruleSets = 0;
        foreach (var rules in Equivalence.RuleSets())
        {
            Check("random", random, rules);
            Check("article sample", sample, rules);
            ruleSets++;
        }

        Console.WriteLine(failures == 0
            ? $"OK: identical text and offset map on every input under {ruleSets} rule sets ({watch.Elapsed.TotalSeconds:F0} s)"
            : $"{failures} check(s) FAILED");
        return failures == 0 ? 0 : 1;
    }
}
