using System.Reflection;
using System.Text;
using TextSearch.Analysis;

namespace TextSearch.Benchmarks;

/// <summary>
/// Checks that the optimized normalizer gives exactly what <see cref="ReferenceNormalizer"/> gives: the same
/// IndexOfFirstChange, the same text and the same offset map segments, through every public entry point.
/// </summary>
internal static class Equivalence
{
    private static readonly FieldInfo SegmentsField =
        typeof(OffsetMap).GetField("_segments", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new MissingFieldException(nameof(OffsetMap), "_segments");

    /// <summary>Rule sets to check: the default, all, none, each rule alone and each rule left out.</summary>
    public static IEnumerable<NormalizationRules> RuleSets()
    {
        var sets = new List<NormalizationRules> { NormalizationRules.Default, NormalizationRules.All, NormalizationRules.None };
        foreach (var rule in Enum.GetValues<NormalizationRules>())
        {
            if (rule is NormalizationRules.None or NormalizationRules.Default or NormalizationRules.All)
            {
                continue;
            }

            sets.Add(rule);
            sets.Add(NormalizationRules.All & ~rule);
        }

        return sets.Distinct();
    }

    /// <summary>A description of the first text on which the two differ, or null when they agree on all.</summary>
    public static string? FirstMismatch(IEnumerable<string> texts, NormalizationRules rules)
    {
        var optimized = rules == NormalizationRules.Default ? ArabicNormalizer.Default : new ArabicNormalizer(rules);
        var reference = new ReferenceNormalizer(rules);
        var buffer = new NormalizationBuffer();
        var n = 0;
        foreach (var text in texts)
        {
            var problem = Compare(text, optimized, reference, buffer);
            if (problem is not null)
            {
                return $"rules {rules}, text #{n} ({text.Length} chars, {Escape(text)}): {problem}";
            }

            n++;
        }

        return null;
    }

    private static string? Compare(string text, ArabicNormalizer optimized, ReferenceNormalizer reference, NormalizationBuffer buffer)
    {
        var expectedFirst = reference.IndexOfFirstChange(text);
        var first = optimized.IndexOfFirstChange(text);
        if (first != expectedFirst)
        {
            return $"IndexOfFirstChange {first}, expected {expectedFirst}";
        }

        if (optimized.IsNormalized(text) != (expectedFirst < 0))
        {
            return "IsNormalized differs";
        }

        reference.Normalize(text);
        var expectedText = reference.IsIdentity ? text : reference.Chars.ToString();
        var expectedSegments = reference.IsIdentity ? null : reference.Segments.ToArray();

        optimized.Normalize(text, buffer);
        if (buffer.IsIdentity != reference.IsIdentity)
        {
            return $"span overload: IsIdentity {buffer.IsIdentity}, expected {reference.IsIdentity}";
        }

        var spanText = buffer.IsIdentity ? text : buffer.Chars.ToString();
        var problem = CompareResult("span overload", spanText, buffer.Map, text.Length, expectedText, expectedSegments);
        if (problem is not null)
        {
            return problem;
        }

        var result = optimized.Normalize(text);
        if (expectedFirst < 0 && !ReferenceEquals(result.Text, text))
        {
            return "string overload: normal text not returned as the same instance";
        }

        problem = CompareResult("string overload", result.Text, result.Map, text.Length, expectedText, expectedSegments);
        if (problem is not null)
        {
            return problem;
        }

        var asString = optimized.NormalizeToString(text);
        return asString != expectedText ? "NormalizeToString: text differs" : null;
    }

    private static string? CompareResult(
        string what, string actual, OffsetMap map, int originalLength, string expectedText, MapSegment[]? expectedSegments)
    {
        if (!string.Equals(actual, expectedText, StringComparison.Ordinal))
        {
            var at = 0;
            while (at < actual.Length && at < expectedText.Length && actual[at] == expectedText[at])
            {
                at++;
            }

            return $"{what}: text differs at {at} (got {actual.Length} chars, expected {expectedText.Length})";
        }

        if (map.NormalizedLength != expectedText.Length || map.OriginalLength != originalLength)
        {
            return $"{what}: map lengths {map.NormalizedLength}/{map.OriginalLength}";
        }

        var segments = (MapSegment[]?)SegmentsField.GetValue(map);
        if (expectedSegments is null)
        {
            return map.IsIdentity ? null : $"{what}: expected the identity map";
        }

        if (segments is null || map.SegmentCount != expectedSegments.Length)
        {
            return $"{what}: {map.SegmentCount} segments, expected {expectedSegments.Length}";
        }

        for (var s = 0; s < expectedSegments.Length; s++)
        {
            if (segments[s] != expectedSegments[s])
            {
                return $"{what}: segment {s} is {segments[s]}, expected {expectedSegments[s]}";
            }
        }

        return null;
    }

    /// <summary>Random strings over the characters the rules care about, with runs long and short, and odd lengths.</summary>
    public static IEnumerable<string> RandomTexts(int count, int seed)
    {
        var interesting = new List<char>();
        for (var c = '\u0600'; c <= '\u06FF'; c++)
        {
            interesting.Add(c);
        }

        interesting.AddRange(" \n\t.,:;!?\"'()-0123456789ABCDEFXYZabcdefxyz\u00AD\u00AB\u00BB\u00C0\u00C9\u00D7\u00DF\u00E9\u0130\u0391\u03B1\u0410\u0430");
        interesting.AddRange("\u200B\u200C\u200D\u200E\u200F\u202A\u202E\u2066\u2069\uFEFF\u061C");
        interesting.AddRange("\uFB50\uFB8E\uFBFC\uFDF2\uFDFA\uFDFB\uFE8D\uFEDF\uFEF5\uFEF7\uFEF9\uFEFB\uFEFC\uFEF0\uFE70\uFE7C");
        interesting.AddRange("\uD83D\uDE00\uDC00\uD800\uFFF0\uFFF1\uFFF2\uFFF3\uFFFD\uFFFF\u08A0\u0750\u2160\u24B6");
        const string cleanRun = "\u0627\u0644\u0645\u0646\u0628\u062A \u0639\u0631\u0628\u064A abc 012";
        var common = "\u0627\u0644\u0645\u0646\u064A\u0629\u0623\u0649 \u064E\u0650\u0652\u0653\u0654\u0655\u0640";
        var random = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            var length = n % 10 == 0 ? random.Next(200, 3000) : random.Next(0, 140);
            var sb = new StringBuilder(length);
            var clean = random.Next(4) == 0;
            for (var i = 0; i < length; i++)
            {
                var roll = random.Next(100);
                if (clean && roll < 90)
                {
                    // Long runs of characters the default rules leave alone.
                    sb.Append(cleanRun[random.Next(cleanRun.Length)]);
                }
                else if (roll < 50)
                {
                    sb.Append(common[random.Next(common.Length)]);
                }
                else if (roll < 95)
                {
                    sb.Append(interesting[random.Next(interesting.Count)]);
                }
                else
                {
                    sb.Append((char)random.Next(0, 0x10000));
                }
            }

            yield return sb.ToString();
        }
    }

    private static string Escape(string text)
    {
        var head = text.Length <= 40 ? text : text[..40];
        return string.Concat(head.Select(c => $"\\u{(int)c:X4}"));
    }
}
