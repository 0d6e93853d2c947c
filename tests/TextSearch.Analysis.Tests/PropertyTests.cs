using CsCheck;
using R = TextSearch.Analysis.NormalizationRules;

namespace TextSearch.Analysis.Tests;

/// <summary>
/// Property tests over generated text (see <see cref="Generators"/>). Iteration counts are modest so the suite
/// stays fast; CsCheck prints the seed of any failure so it can be replayed with the seed argument.
/// </summary>
public sealed class PropertyTests
{
    private const int Iterations = 1_000;

    /// <summary>Rule sets that remove diacritics: idempotent on any input.</summary>
    public static TheoryData<R> RuleSetsRemovingDiacritics => new()
    {
        R.Default,
        R.All,
        R.Default | R.HamzaCarriers,
        R.Default & ~R.DecomposedHamza,
        R.Default & ~R.AlefForms,
        R.Default & ~R.PresentationForms,
        R.Default & ~R.InvisibleMarks,
        R.Default & ~R.PersianLetters,
        R.Diacritics | R.DecomposedHamza,
    };

    /// <summary>Rule sets that keep diacritics.</summary>
    public static TheoryData<R> RuleSetsKeepingDiacritics => new()
    {
        R.None,
        R.Default & ~R.Diacritics,
        R.All & ~R.Diacritics,
        R.Default & ~R.Diacritics & ~R.DecomposedHamza,
        R.Default & ~R.Diacritics & ~R.AlefForms,
        R.PresentationForms,
    };

    private static void AssertIdempotent(ArabicNormalizer normalizer, string input)
    {
        var once = normalizer.Normalize(input).Text;
        var twice = normalizer.Normalize(once).Text;
        if (once != twice)
        {
            Assert.Fail($"not idempotent: {Generators.Print(input)} → {Generators.Print(once)} → {Generators.Print(twice)}");
        }
    }

    [Theory]
    [MemberData(nameof(RuleSetsRemovingDiacritics))]
    public void Normalization_is_idempotent(R rules)
    {
        var normalizer = new ArabicNormalizer(rules);
        Generators.Text().Sample(input =>
        {
            AssertIdempotent(normalizer, input);

            // Output has nothing left to change, and the three entry points agree.
            var output = normalizer.Normalize(input).Text;
            Assert.True(normalizer.IsNormalized(output), Generators.Print(output));
            Assert.Equal(output, normalizer.NormalizeToString(input));
            var buffer = new NormalizationBuffer();
            normalizer.Normalize(input, buffer);
            Assert.Equal(output, buffer.IsIdentity ? input : buffer.Chars.ToString());
        }, iter: Iterations, print: Generators.Print);
    }

    [Theory]
    [MemberData(nameof(RuleSetsKeepingDiacritics))]
    public void Normalization_keeping_diacritics_is_idempotent(R rules)
    {
        var normalizer = new ArabicNormalizer(rules);
        Generators.Text().Sample(input =>
        {
            AssertIdempotent(normalizer, input);
            Assert.Equal(normalizer.Normalize(input).Text, normalizer.NormalizeToString(input));
        }, iter: Iterations, print: Generators.Print);
    }

    // Inputs that once broke idempotence when diacritics are kept: a second combining hamza after a composed alef,
    // and a combining hamza after a presentation form that ends in a haraka.
    [Theory]
    [InlineData("\u0627\u0654\u0654")]
    [InlineData("\u0623\u0654")]
    [InlineData("\uFD3C\u0654")]
    [InlineData("\u0627\uFE70\u0654")]
    [InlineData("\u06C1\u0654")]
    public void Composition_is_idempotent_when_diacritics_are_kept(string input)
    {
        foreach (var rules in new[] { R.Default & ~R.Diacritics, R.All & ~R.Diacritics, R.Default & ~R.Diacritics & ~R.AlefForms })
        {
            AssertIdempotent(new ArabicNormalizer(rules), input);
        }
    }

    public static TheoryData<R> OffsetRuleSets => new()
    {
        R.Default,
        R.All,
        R.None,
        R.Default & ~R.Diacritics,
        R.Default & ~R.Diacritics & ~R.AlefForms,
        R.PresentationForms | R.InvisibleMarks,
    };

    /// <summary>Monotonic, in range, anchored at both ends, contiguous.</summary>
    internal static void AssertMapInvariants(string input, string output, OffsetMap map)
    {
        Assert.Equal(output.Length, map.NormalizedLength);
        Assert.Equal(input.Length, map.OriginalLength);
        var n = output.Length;
        if (n == 0)
        {
            Assert.Equal((0, 0), map.ToOriginal(0, 0));
            return;
        }

        Assert.Equal(0, map.SourceStart(0));
        Assert.Equal(input.Length, map.SourceEnd(n - 1));

        // Plain comparisons in the loop (it runs a million times on the 1 MB input); Assert only on failure.
        int start = 0, end = map.SourceEnd(0);
        for (var k = 0; k < n; k++)
        {
            if (start < 0 || start >= end || end > input.Length)
            {
                Assert.Fail($"char {k}: [{start}, {end}) of {input.Length}");
            }

            if (map.ToOriginal(k, k + 1) != (start, end))
            {
                Assert.Fail($"ToOriginal({k}, {k + 1}) = {map.ToOriginal(k, k + 1)}, not ({start}, {end})");
            }

            if (k + 1 < n)
            {
                int nextStart = map.SourceStart(k + 1), nextEnd = map.SourceEnd(k + 1);
                if (nextStart < start || nextEnd < end || end < nextStart)
                {
                    Assert.Fail($"chars {k} and {k + 1}: [{start}, {end}) then [{nextStart}, {nextEnd}): not monotonic or not contiguous");
                }

                (start, end) = (nextStart, nextEnd);
            }
        }

        Assert.Equal((0, input.Length), map.ToOriginal(0, n));
    }

    [Theory]
    [MemberData(nameof(OffsetRuleSets))]
    public void Offsets_are_monotonic_in_range_and_contiguous(R rules)
    {
        var normalizer = new ArabicNormalizer(rules);
        var buffer = new NormalizationBuffer();
        Generators.Text().Sample(input =>
        {
            var result = normalizer.Normalize(input);
            AssertMapInvariants(input, result.Text, result.Map);
        }, iter: Iterations, print: Generators.Print, threads: 1);
        Generators.Text().Sample(input =>
        {
            normalizer.Normalize(input, buffer);
            AssertMapInvariants(input, buffer.IsIdentity ? input : buffer.Chars.ToString(), buffer.Map);
        }, iter: Iterations, print: Generators.Print, threads: 1);
    }

    [Theory]
    [InlineData(R.Default)]
    [InlineData(R.All)]
    public void Cutting_the_input_where_the_map_says_a_character_starts_normalizes_each_side_alone(R rules)
    {
        // Where diacritics are removed, a character boundary in the map is a true boundary: the text before it
        // normalizes to the output before it and the text after it to the rest.
        var normalizer = new ArabicNormalizer(rules);
        Generators.Text(32).Sample(input =>
        {
            var result = normalizer.Normalize(input);
            var map = result.Map;
            for (var k = 1; k < result.Text.Length; k++)
            {
                var cut = map.SourceStart(k);
                if (map.SourceEnd(k - 1) != cut)
                {
                    continue; // inside an expansion: the characters before and after share their source
                }

                TestText.AssertSameText(result.Text[..k], normalizer.NormalizeToString(input[..cut]), $"before {cut}");
                TestText.AssertSameText(result.Text[k..], normalizer.NormalizeToString(input[cut..]), $"after {cut}");
            }
        }, iter: 300, print: Generators.Print);
    }

    [Fact]
    public void Never_throws_on_any_utf16_including_lone_surrogates()
    {
        ArabicNormalizer[] normalizers =
        [
            ArabicNormalizer.Default,
            new(R.All),
            new(R.None),
            new(R.Default & ~R.Diacritics),
        ];
        var analyzer = TextAnalyzer.Default;
        void Exercise(string input)
        {
            foreach (var normalizer in normalizers)
            {
                var result = normalizer.Normalize(input);
                AssertMapInvariants(input, result.Text, result.Map);
                _ = normalizer.NormalizeToString(input);
            }

            foreach (var token in analyzer.Analyze(input))
            {
                Assert.NotEmpty(token.Term);
                _ = ArabicLightStemmer.Stem(token.Term);
            }
        }

        Generators.AnyUtf16().Sample(Exercise, iter: Iterations, print: Generators.Print);
        Generators.Text().Sample(Exercise, iter: Iterations, print: Generators.Print);
    }

    [Fact]
    public void Never_throws_on_a_one_megabyte_input()
    {
        const int size = 1 << 20;
        var gen = Generators.Text(256).Array[8_000].Select(parts =>
        {
            var text = string.Concat(parts);
            while (text.Length < size)
            {
                text += text;
            }

            // Cutting could split a surrogate pair, which is one more lone surrogate to survive.
            return text[..size];
        });
        gen.Sample(input =>
        {
            Assert.Equal(size, input.Length);
            var result = ArabicNormalizer.Default.Normalize(input);
            AssertMapInvariants(input, result.Text, result.Map);
            Assert.Equal(result.Text, ArabicNormalizer.Default.NormalizeToString(result.Text));
            var buffer = new NormalizationBuffer();
            new ArabicNormalizer(R.All).Normalize(input, buffer);
            AssertTokensWellFormed(result.Text);
            AssertAnalyzedTokensWellFormed(input, TextAnalyzer.Default.Analyze(input));
        }, iter: 1, threads: 1, print: s => $"(1 MB string, starts {TestText.Escape(s[..Math.Min(200, s.Length)])})");
    }

    internal static void AssertTokensWellFormed(string text)
    {
        var previousEnd = 0;
        foreach (var token in new Tokenizer(text))
        {
            string? problem =
                token.Length <= 0 ? "empty token"
                : token.Length > Tokenizer.MaxTokenLength ? $"token of {token.Length}"
                : token.Start < previousEnd ? $"overlaps the token ending at {previousEnd}"
                : token.End > text.Length ? "past the end"
                : token.Start + token.Length != token.End ? "End is not Start + Length"
                : !(char.IsLetterOrDigit(text, token.Start) || char.IsSurrogatePair(text, token.Start)) ? $"starts with U+{(int)text[token.Start]:X4}"
                : token.Start > 0 && char.IsSurrogatePair(text[token.Start - 1], text[token.Start]) ? "starts inside a surrogate pair"
                : token.End < text.Length && char.IsSurrogatePair(text[token.End - 1], text[token.End]) ? "ends inside a surrogate pair"
                : null;
            if (problem is not null)
            {
                Assert.Fail($"token [{token.Start}, {token.End}): {problem}");
            }

            previousEnd = token.End;
        }
    }

    internal static void AssertAnalyzedTokensWellFormed(string input, IReadOnlyList<AnalyzedToken> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            var ok = t.Position == i
                && t.Start >= 0 && t.Start < t.End && t.End <= input.Length
                && input.AsSpan(t.Start, t.End - t.Start).SequenceEqual(t.Text)
                && t.Term.Length is >= 1 and <= Tokenizer.MaxTokenLength
                && t.Term.Contains(t.Stem, StringComparison.Ordinal)
                && (i == 0 || (tokens[i - 1].Start <= t.Start && tokens[i - 1].End <= t.End));
            if (!ok)
            {
                Assert.Fail($"token {i} of {tokens.Count} is malformed: {t} (previous: {(i > 0 ? tokens[i - 1] : "none")})");
            }
        }
    }

    [Fact]
    public void Tokens_are_ordered_non_overlapping_non_empty_and_bounded()
    {
        Generators.Text().Sample(input =>
        {
            AssertTokensWellFormed(input);
            AssertTokensWellFormed(ArabicNormalizer.Default.NormalizeToString(input));
        }, iter: Iterations, print: Generators.Print);
        Generators.AnyUtf16().Sample(AssertTokensWellFormed, iter: Iterations, print: Generators.Print);
    }

    [Fact]
    public void Long_runs_are_cut_into_tokens_no_longer_than_the_maximum()
    {
        Generators.LongRuns().Sample(input =>
        {
            AssertTokensWellFormed(input);
            var tokens = TextAnalyzer.Default.Analyze(input);
            AssertAnalyzedTokensWellFormed(input, tokens);
        }, iter: 300, print: Generators.Print);
    }

    [Fact]
    public void Analyzed_tokens_are_positioned_in_order_and_point_into_the_original()
    {
        var analyzers = new[]
        {
            TextAnalyzer.Default,
            new TextAnalyzer(new AnalyzerOptions { Rules = R.All, Stem = false }),
            new TextAnalyzer(new AnalyzerOptions { Rules = R.Default & ~R.Diacritics, Stopwords = false }),
        };
        Generators.Text().Sample(input =>
        {
            foreach (var analyzer in analyzers)
            {
                AssertAnalyzedTokensWellFormed(input, analyzer.Analyze(input));
            }
        }, iter: Iterations, print: Generators.Print);
    }
}
