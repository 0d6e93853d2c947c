using TextSearch.Analysis;
using TextSearch.Search.Query;
using TextSearch.Search.Snippets;

namespace TextSearch.Search.Tests;

/// <summary>
/// The snippet builder as it was before issue 12 (commit ad933ed), kept as the reference the new one is checked
/// against: straightforward and quadratic (every candidate is scored against every match), so only for small texts.
/// </summary>
internal sealed class ReferenceSnippetBuilder(TextAnalyzer analyzer)
{
    public TextAnalyzer Analyzer { get; } = analyzer;

    // A token and what it matches: the id of the query stem it equals (-1 for none), and a bit per variant query
    // word it is a spelling variant of.
    private readonly record struct Tok(int Start, int End, int StemId, ulong VariantMask, bool Stop);

    /// <summary>The query's stems, numbered, and its words with variants, for matching tokens without allocating.</summary>
    private sealed class QueryStems
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _variants = [];
        private readonly List<string> _keys = [];

        public QueryStems(SearchQuery query)
        {
            foreach (var clause in query.Clauses.Where(c => c.Occur != Occur.MustNot))
            {
                foreach (var alt in clause.Alternatives)
                {
                    foreach (var word in alt.Words)
                    {
                        _ids.TryAdd(word.Stem, _ids.Count);
                    }

                    if (alt.Variants && alt.IsTerm && _variants.Count < 64 && !_variants.Contains(alt.Words[0].Stem))
                    {
                        _variants.Add(alt.Words[0].Stem);
                        _keys.Add(alt.Words[0].Key);
                    }
                }
            }

            Lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }

        public int Id(string stem) => _ids.GetValueOrDefault(stem, -1);

        public ulong VariantBit(string stem)
        {
            var i = _variants.IndexOf(stem);
            return i < 0 ? 0 : 1UL << i;
        }

        /// <summary>A bit for each variant word whose variant key the token's stem shares.</summary>
        public ulong VariantMask(ReadOnlySpan<char> stem)
        {
            if (_keys.Count == 0 || !VariantKey.HasVariants(stem))
            {
                return 0;
            }

            Span<char> key = stackalloc char[stem.Length + 1];
            key = key[..VariantKey.Write(stem, key)];
            ulong mask = 0;
            for (var i = 0; i < _keys.Count; i++)
            {
                if (key.SequenceEqual(_keys[i]))
                {
                    mask |= 1UL << i;
                }
            }

            return mask;
        }
    }

    private readonly record struct Match(int FirstToken, int LastToken, int Clause, double Weight);

    /// <summary>Up to <paramref name="maxSnippets"/> fragments of about <paramref name="fragmentChars"/> characters.</summary>
    public IReadOnlyList<Fragment> Build(string text, SearchQuery query, int maxSnippets, int fragmentChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(query);
        if (text.Length == 0 || maxSnippets <= 0)
        {
            return [];
        }

        var stems = new QueryStems(query);
        var tokens = Tokenize(text, stems);
        var matches = FindMatches(tokens, query, stems);
        if (matches.Count == 0)
        {
            // Nothing matched in this field (e.g. the title did): show its beginning.
            var end = CutEnd(text, tokens, 0, fragmentChars, mustReach: 0);
            return [MakeFragment(text, tokens, 0, end, [], 0)];
        }

        var sentenceStarts = SentenceStarts(text);
        var candidates = new List<(int Start, int End, double Score)>();
        foreach (var m in matches)
        {
            var anchor = tokens[m.FirstToken].Start;
            var matchEnd = tokens[m.LastToken].End;
            var start = CutStart(text, tokens, sentenceStarts, anchor, fragmentChars);
            var end = CutEnd(text, tokens, start, fragmentChars, matchEnd);
            candidates.Add((start, end, Score(tokens, matches, start, end)));
        }

        var chosen = new List<(int Start, int End, double Score)>();
        foreach (var c in candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Start))
        {
            if (chosen.Count == maxSnippets)
            {
                break;
            }

            if (chosen.All(o => c.End <= o.Start || c.Start >= o.End))
            {
                chosen.Add(c);
            }
        }

        return [.. chosen.Select(c => MakeFragment(text, tokens, c.Start, c.End, matches, c.Score))];
    }

    /// <summary>Every highlight in the whole text (for short fields such as titles), in UTF-16 offsets.</summary>
    public IReadOnlyList<Highlight> HighlightAll(string text, SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(query);
        var stems = new QueryStems(query);
        var tokens = Tokenize(text, stems);
        return Highlights(text, tokens, FindMatches(tokens, query, stems), 0, text.Length);
    }

    [ThreadStatic]
    private static AnalysisSession? t_session;

    private List<Tok> Tokenize(string text, QueryStems stems)
    {
        var tokens = new List<Tok>(text.Length / 5);
        var session = t_session is { } cached && cached.Analyzer == Analyzer ? cached : t_session = new AnalysisSession(Analyzer);
        session.Reset(text);
        while (session.MoveNext())
        {
            var t = session.Current;
            if (t.IsStopword)
            {
                tokens.Add(new Tok(t.Start, t.End, -1, 0, Stop: true));
                continue;
            }

            var id = stems.Lookup.TryGetValue(t.Stem, out var found) ? found : -1;
            tokens.Add(new Tok(t.Start, t.End, id, stems.VariantMask(t.Stem), Stop: false));
        }

        return tokens;
    }

    private static List<Match> FindMatches(List<Tok> tokens, SearchQuery query, QueryStems stems)
    {
        var matches = new List<Match>();
        for (var c = 0; c < query.Clauses.Count; c++)
        {
            var clause = query.Clauses[c];
            if (clause.Occur == Occur.MustNot)
            {
                continue;
            }

            foreach (var alt in clause.Alternatives)
            {
                var words = alt.Words;
                var firstId = stems.Id(words[0].Stem);
                var variantBit = alt.Variants ? stems.VariantBit(words[0].Stem) : 0;
                var ids = words.Select(w => stems.Id(w.Stem)).ToArray();
                var span = words[^1].Offset;
                for (var i = 0; i + span < tokens.Count; i++)
                {
                    var tok = tokens[i];
                    if (tok.Stop)
                    {
                        continue;
                    }

                    var exact = tok.StemId == firstId;
                    if (!exact && (tok.VariantMask & variantBit) == 0)
                    {
                        continue;
                    }

                    var all = true;
                    for (var w = 1; w < words.Count && all; w++)
                    {
                        var other = tokens[i + words[w].Offset];
                        all = !other.Stop && other.StemId == ids[w];
                    }

                    if (all)
                    {
                        matches.Add(new Match(i, i + span, c, exact ? words.Count : RankingOptions.DefaultVariantBoost));
                    }
                }
            }
        }

        return matches;
    }

    private static double Score(List<Tok> tokens, List<Match> matches, int start, int end)
    {
        var best = new Dictionary<int, double>();
        var count = 0;
        foreach (var m in matches)
        {
            if (tokens[m.FirstToken].Start >= start && tokens[m.LastToken].End <= end)
            {
                best[m.Clause] = Math.Max(best.GetValueOrDefault(m.Clause), m.Weight);
                count++;
            }
        }

        // Distinct query clauses matter most; repeated matches add a little.
        return best.Values.Sum() + (0.1 * count);
    }

    private static List<int> SentenceStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (TextBoundaries.IsSentenceEnd(text[i]))
            {
                var j = i + 1;
                while (j < text.Length && char.IsWhiteSpace(text[j]))
                {
                    j++;
                }

                if (j < text.Length && j > i + 1 || text[i] == '\n')
                {
                    starts.Add(j);
                }
            }
        }

        return starts;
    }

    /// <summary>A fragment start before <paramref name="anchor"/>: a sentence start if one is near, else a word start.</summary>
    private static int CutStart(string text, List<Tok> tokens, List<int> sentenceStarts, int anchor, int fragmentChars)
    {
        var sentence = sentenceStarts.LastOrDefault(s => s <= anchor);
        if (anchor - sentence <= fragmentChars / 2)
        {
            return SkipSpace(text, sentence);
        }

        var lead = anchor - (fragmentChars / 4);
        foreach (var t in tokens)
        {
            if (t.Start >= lead)
            {
                return ExtendWordStart(text, Math.Min(t.Start, anchor));
            }
        }

        return ExtendWordStart(text, anchor);
    }

    /// <summary>A fragment end about <paramref name="fragmentChars"/> after start: a sentence end if one is in the second half, else a word end.</summary>
    private static int CutEnd(string text, List<Tok> tokens, int start, int fragmentChars, int mustReach)
    {
        var limit = start + fragmentChars;
        if (limit >= text.Length)
        {
            return TrimEnd(text, start, text.Length);
        }

        for (var i = limit - 1; i >= start + (fragmentChars / 2); i--)
        {
            if (TextBoundaries.IsSentenceEnd(text[i]) && i + 1 >= mustReach)
            {
                return TrimEnd(text, start, i + 1);
            }
        }

        var end = start;
        foreach (var t in tokens)
        {
            if (t.End > limit)
            {
                break;
            }

            end = t.End;
        }

        end = ExtendWord(text, Math.Max(end, mustReach));
        return end > start ? end : Math.Min(text.Length, limit);
    }

    private Fragment MakeFragment(string text, List<Tok> tokens, int start, int end, List<Match> matches, double score)
    {
        start = SkipSpace(text, start);
        end = Math.Max(start, TrimEnd(text, start, end));
        var highlights = Highlights(text, tokens, matches, start, end);
        return new Fragment(text[start..end], start, end, highlights, score);
    }

    /// <summary>Highlights within [start, end), relative to start; each covers the whole original word; overlaps merge.</summary>
    private static List<Highlight> Highlights(string text, List<Tok> tokens, List<Match> matches, int start, int end)
    {
        var ranges = new List<(int Start, int End)>();
        foreach (var m in matches)
        {
            var s = ExtendWordStart(text, tokens[m.FirstToken].Start);
            var e = ExtendWord(text, tokens[m.LastToken].End);
            s = Math.Max(s, start);
            e = Math.Min(e, end);
            if (e > s)
            {
                ranges.Add((s, e));
            }
        }

        ranges.Sort();
        var merged = new List<Highlight>();
        foreach (var (s, e) in ranges)
        {
            if (merged.Count > 0 && s <= merged[^1].End + start)
            {
                var last = merged[^1];
                merged[^1] = last with { End = Math.Max(last.End, e - start) };
            }
            else
            {
                merged.Add(new Highlight(s - start, e - start));
            }
        }

        return merged;
    }


    private static int ExtendWordStart(string text, int i)
    {
        while (i > 0 && TextBoundaries.IsWordChar(text, i - 1))
        {
            i--;
        }

        return i;
    }

    private static int ExtendWord(string text, int i)
    {
        while (i < text.Length && TextBoundaries.IsWordChar(text, i))
        {
            i++;
        }

        return i;
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static int TrimEnd(string text, int start, int end)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return end;
    }
}
