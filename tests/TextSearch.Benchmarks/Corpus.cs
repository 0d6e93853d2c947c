using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TextSearch.Analysis;

namespace TextSearch.Benchmarks;

/// <summary>The benchmark inputs, all derived from the same SaudiNewsNet articles.</summary>
public enum Input
{
    /// <summary>(a) The article bodies as published, one call per article.</summary>
    Articles,

    /// <summary>(b) The same articles with harakat, shadda, sukun and tanween added after most letters, one call per article.</summary>
    Diacritized,

    /// <summary>(c) The same articles already run through our normalizer, one call per article.</summary>
    Normal,

    /// <summary>(b) cut into whitespace-separated words, one call per word (how Lucene applies its normalizer, per token).</summary>
    DiacritizedWords,
}

/// <summary>
/// Loads the first article bodies of the SaudiNewsNet corpus (never copied into the repository). The path comes from
/// TEXTSEARCH_CORPUS, by default ../shared/data/saudinewsnet.jsonl.gz relative to the repository root.
/// </summary>
public static class Corpus
{
    public const string PathVariable = "TEXTSEARCH_CORPUS";
    public const string CountVariable = "TEXTSEARCH_BENCH_ARTICLES";
    public const string DefaultRelativePath = "../shared/data/saudinewsnet.jsonl.gz";
    public const int DefaultArticleCount = 200;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<Input, string[]> Cache = [];
    private static string[]? s_articles;

    /// <summary>How many articles the benchmarks use (TEXTSEARCH_BENCH_ARTICLES, default 200).</summary>
    public static int ArticleCount =>
        int.TryParse(Environment.GetEnvironmentVariable(CountVariable), out var n) && n > 0 ? n : DefaultArticleCount;

    /// <summary>The corpus file: TEXTSEARCH_CORPUS, else the default path relative to the repository root.</summary>
    public static string ResolvePath()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TextSearch.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, DefaultRelativePath));
                }
            }
        }

        return Path.GetFullPath(DefaultRelativePath);
    }

    /// <summary>Reads the bodies of the first <paramref name="count"/> articles (all of them when null).</summary>
    public static IEnumerable<string> ReadBodies(int? count = null)
    {
        var path = ResolvePath();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Corpus not found at {path}. Set {PathVariable} to the path of saudinewsnet.jsonl.gz.", path);
        }

        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var n = 0;
        while ((count is null || n < count) && reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            yield return doc.RootElement.GetProperty("body").GetString() ?? string.Empty;
            n++;
        }
    }

    /// <summary>The texts of one input, one string per normalizer call.</summary>
    public static string[] Get(Input input)
    {
        lock (Gate)
        {
            if (!Cache.TryGetValue(input, out var texts))
            {
                s_articles ??= [.. ReadBodies(ArticleCount)];
                texts = input switch
                {
                    Input.Articles => s_articles,
                    Input.Diacritized => [.. s_articles.Select((a, i) => Diacritize(a, seed: i))],
                    Input.Normal => [.. s_articles.Select(ArabicNormalizer.Default.NormalizeToString)],
                    Input.DiacritizedWords => [.. Get(Input.Diacritized).SelectMany(a =>
                        a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))],
                    _ => throw new ArgumentOutOfRangeException(nameof(input)),
                };
                Cache[input] = texts;
            }

            return texts;
        }
    }

    /// <summary>UTF-8 bytes of all the texts of one input: the numerator of every MB/s figure.</summary>
    public static long Utf8Bytes(Input input) => Get(input).Sum(t => (long)Encoding.UTF8.GetByteCount(t));

    public static long Chars(Input input) => Get(input).Sum(t => (long)t.Length);

    /// <summary>
    /// Adds diacritics after most Arabic letters (deterministically): a haraka or sukun after 85% of them; of
    /// those, a quarter of the word-final ones get tanween instead and a tenth of the others shadda plus a haraka.
    /// </summary>
    public static string Diacritize(string text, int seed)
    {
        const string harakat = "\u064E\u0650\u064F\u0652"; // fatha, kasra, damma, sukun
        const string short3 = "\u064E\u0650\u064F"; // fatha, kasra, damma
        const string tanween = "\u064B\u064C\u064D"; // fathatan, dammatan, kasratan
        var random = new Random(seed);
        var sb = new StringBuilder(text.Length * 2);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            sb.Append(c);
            if (!IsBaseLetter(c) || random.NextDouble() >= 0.85)
            {
                continue;
            }

            var wordEnd = i + 1 == text.Length || !IsBaseLetter(text[i + 1]);
            if (wordEnd && random.NextDouble() < 0.25)
            {
                sb.Append(tanween[random.Next(tanween.Length)]);
            }
            else if (random.NextDouble() < 0.10)
            {
                sb.Append(ArabicChars.Shadda).Append(short3[random.Next(short3.Length)]);
            }
            else
            {
                sb.Append(harakat[random.Next(harakat.Length)]);
            }
        }

        return sb.ToString();
    }

    private static bool IsBaseLetter(char c) => c is >= '\u0621' and <= '\u063A' or >= '\u0641' and <= '\u064A';
}
