using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace TextSearch.Analysis.Tests;

/// <summary>
/// Golden tests over the seed articles (copied to the output folder under seeds/). For each seed the normalized
/// text must equal Golden/&lt;seed&gt;.normalized.txt and the analyzed tokens Golden/&lt;seed&gt;.tokens.tsv.
/// To regenerate after an intended change: <c>UPDATE_GOLDEN=1 dotnet test tests/TextSearch.Analysis.Tests</c>,
/// which rewrites the files in the source tree (see Golden/README.md); review the diff before committing.
/// </summary>
public sealed class GoldenTests
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private static string SeedsDirectory => Path.Combine(AppContext.BaseDirectory, "seeds");

    private static string GoldenOutputDirectory => Path.Combine(AppContext.BaseDirectory, "Golden");

    private static string GoldenSourceDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden");

    private static bool Updating => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    private static IEnumerable<string> SeedNames() =>
        Directory.EnumerateFiles(SeedsDirectory, "*.txt").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static TheoryData<string> Seeds() => new(SeedNames());

    private static string ReadSeed(string name) => File.ReadAllText(Path.Combine(SeedsDirectory, name + ".txt"), Utf8NoBom);

    /// <summary>One line per token: position, start, end (in the original text), term, stem, kind, stopword flag.</summary>
    internal static string TokensTsv(IReadOnlyList<AnalyzedToken> tokens)
    {
        var sb = new StringBuilder();
        sb.Append("# position\tstart\tend\tterm\tstem\tkind\tstopword\n");
        foreach (var t in tokens)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{t.Position}\t{t.Start}\t{t.End}\t{t.Term}\t{t.Stem}\t{t.Kind}\t{(t.IsStopword ? "stop" : "-")}\n");
        }

        return sb.ToString();
    }

    private static void AssertMatchesGolden(string fileName, string actual)
    {
        if (Updating)
        {
            Directory.CreateDirectory(GoldenSourceDirectory());
            File.WriteAllText(Path.Combine(GoldenSourceDirectory(), fileName), actual, Utf8NoBom);
            return;
        }

        var path = Path.Combine(GoldenOutputDirectory, fileName);
        Assert.True(File.Exists(path), $"{fileName} is missing: run with UPDATE_GOLDEN=1 to create it, then review and commit it.");
        var expected = File.ReadAllText(path, Utf8NoBom);
        if (expected != actual)
        {
            var expectedLines = expected.Split('\n');
            var actualLines = actual.Split('\n');
            var line = 0;
            while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
            {
                line++;
            }

            Assert.Fail($"{fileName} differs first at line {line + 1}:\n  golden: {Line(expectedLines, line)}\n  actual: {Line(actualLines, line)}\n" +
                "If the change is intended, run with UPDATE_GOLDEN=1 and review the diff.");
        }
    }

    private static string Line(string[] lines, int i) => i < lines.Length ? lines[i] : "<end of file>";

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Normalized_text_matches_golden(string seed)
    {
        var text = ReadSeed(seed);
        AssertMatchesGolden(seed + ".normalized.txt", ArabicNormalizer.Default.Normalize(text).Text);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Tokens_match_golden(string seed)
    {
        var text = ReadSeed(seed);
        AssertMatchesGolden(seed + ".tokens.tsv", TokensTsv(TextAnalyzer.Default.Analyze(text)));
    }

    [Fact]
    public void There_is_a_golden_pair_for_every_seed_and_nothing_else()
    {
        var seeds = SeedNames().ToArray();
        Assert.Equal(5, seeds.Length);
        if (Updating)
        {
            return;
        }

        var expected = seeds.SelectMany(s => new[] { s + ".normalized.txt", s + ".tokens.tsv" }).Order(StringComparer.Ordinal);
        var actual = Directory.EnumerateFiles(GoldenSourceDirectory())
            .Select(Path.GetFileName)
            .Where(f => f!.EndsWith(".txt", StringComparison.Ordinal) || f.EndsWith(".tsv", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Normalized_seed_has_no_diacritics_tatweel_or_unfolded_letters(string seed)
    {
        var text = ReadSeed(seed);
        var normalized = ArabicNormalizer.Default.Normalize(text).Text;
        Assert.NotEqual(text, normalized);
        for (var i = 0; i < normalized.Length; i++)
        {
            var c = normalized[i];
            var forbidden = c is >= '\u064B' and <= '\u065F' or '\u0670' or '\u0640'
                or '\u0629' or '\u0649' or '\u0623' or '\u0625' or '\u0622' or '\u0671'
                or >= '\u0660' and <= '\u0669' or >= '\u06F0' and <= '\u06F9'
                || ArabicChars.IsInvisibleMark(c) || c == '\u200C' || char.ToLowerInvariant(c) != c;
            Assert.False(forbidden, $"{seed}: U+{(int)c:X4} at {i}");
        }

        Assert.True(ArabicNormalizer.Default.IsNormalized(normalized));
    }

    [Fact]
    public void The_seeds_do_contain_what_normalization_removes()
    {
        // So the invariants above are not vacuous.
        var all = string.Concat(SeedNames().Select(ReadSeed));
        Assert.Contains(all, c => c is >= '\u064B' and <= '\u065F');
        Assert.Contains('\u0640', all);
        Assert.Contains('\u0629', all);
        Assert.Contains('\u0649', all);
        Assert.Contains('\u0623', all);
        Assert.Contains('\u0625', all);
        Assert.Contains('\u0622', all);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Seed_tokens_point_at_their_words_in_the_original(string seed)
    {
        var text = ReadSeed(seed);
        var tokens = TextAnalyzer.Default.Analyze(text);
        Assert.True(tokens.Count > 300, $"{tokens.Count} tokens");
        PropertyTests.AssertAnalyzedTokensWellFormed(text, tokens);
        foreach (var t in tokens)
        {
            Assert.Equal(t.Text, text[t.Start..t.End]);
            if (t.Kind == TokenKind.Word)
            {
                // Normalizing the original slice alone gives the term back.
                Assert.Equal(t.Term, ArabicNormalizer.Default.NormalizeToString(t.Text));
            }
            else
            {
                Assert.All(t.Term, c => Assert.True(char.IsAsciiDigit(c) || c == '.', $"{seed}: number {t.Term}"));
            }
        }
    }
}
