using TextSearch.Analysis;
using TextSearch.Search.Query;

namespace TextSearch.Search.Snippets;

/// <summary>A highlighted range [Start, End) within a fragment, in UTF-16 code units.</summary>
public readonly record struct Highlight(int Start, int End);

/// <summary>A fragment of the original text: where it stands in the field, and its highlights (relative to <see cref="Text"/>).</summary>
public sealed record Fragment(string Text, int Start, int End, IReadOnlyList<Highlight> Highlights, double Score);

/// <summary>
/// Cuts snippets from the original text and highlights what the query matched. Works on the analyzer's offset
/// map, so highlights are exact: a highlight covers the whole original word with its diacritics, tatweel and
/// attached prefix. Fragments are cut at sentence or word boundaries; the best-scoring come first.
/// The same code runs for every backend, so all backends return the same snippets.
/// </summary>
/// <remarks>
/// The work per field is bounded and close to linear, whatever the document: only the first
/// <see cref="Limits.MaxSnippetAnalyzedChars"/> characters are searched for matches (plus up to a fragment's length
/// more to end a fragment there), at most <see cref="Limits.MaxSnippetMatches"/> matches are considered, every
/// fragment candidate is scored with binary searches over the matches sorted by position (O(m log m) in all), and
/// the cancellation token is checked every few hundred tokens, matches and candidates.
/// </remarks>
public sealed class SnippetBuilder
{
    // How often (in tokens, matches, candidates) the cancellation token is checked.
    private const int CheckEvery = 256;

    // How far a highlight or a fragment edge may be stretched to take in the rest of a word (letters, marks,
    // tatweel, joiners the tokenizer left out of the token). Real words are far shorter (the tokenizer cuts tokens
    // at 128 characters); the cap keeps a run of 400,000 letters from costing 400,000 steps per match.
    private const int WordReach = 2 * Tokenizer.MaxTokenLength;

    private readonly int _maxAnalyzedChars;
    private readonly int _maxMatches;

    public SnippetBuilder(TextAnalyzer analyzer)
        : this(analyzer, Limits.MaxSnippetAnalyzedChars, Limits.MaxSnippetMatches)
    {
    }

    /// <summary>With other bounds (tests use it to show the algorithm itself scales, without the bounds' help).</summary>
    internal SnippetBuilder(TextAnalyzer analyzer, int maxAnalyzedChars, int maxMatches)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxAnalyzedChars);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMatches);
        Analyzer = analyzer;
        _maxAnalyzedChars = maxAnalyzedChars;
        _maxMatches = maxMatches;
    }

    public TextAnalyzer Analyzer { get; }

    // A token and what it matches: the id of the query stem it equals (-1 for none), a bit per variant query word it
    // is a spelling variant of, and whether it is a stopword (told only of a token the letter gate lets through: any
    // other matches nothing, stopword or not).
    private readonly record struct Tok(int Start, int End, int StemId, ulong VariantMask, bool Stop);

    /// <summary>The query's stems, numbered, and its words with variants, for matching tokens without allocating.</summary>
    private sealed class QueryStems
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _variants = [];
        private readonly List<string> _keys = [];

        // The letters of each stem and variant key: a token whose term lacks one of each cannot match (its stem is not cut).
        private readonly ulong[] _masks;

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
            _masks = [.. _ids.Keys.Concat(_keys).Select(s => LetterMask.Of(s)).Distinct()];
            (Alts, Groups) = Prepare(query, this);
        }

        /// <summary>The query's alternatives to match, in query order.</summary>
        public List<Alt> Alts { get; }

        /// <summary>The score groups the alternatives' matches fall into, in clause order (each hit fills its own copies).</summary>
        public List<(int Clause, int Span, double Weight)> Groups { get; }

        public bool MayMatch(ReadOnlySpan<char> term)
        {
            var mask = LetterMask.Of(term);
            foreach (var needed in _masks)
            {
                if (LetterMask.MayContain(mask, needed))
                {
                    return true;
                }
            }

            return false;
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

    /// <summary>
    /// One alternative of a query clause, ready to match: its stem ids and their offsets, and the score groups its
    /// exact and variant matches fall into. <see cref="Ordinal"/> numbers alternatives in query order (clause, then
    /// alternative), the order the candidates of equal score and start are tried in.
    /// </summary>
    private sealed record Alt(int Clause, int Ordinal, int[] Ids, int[] Offsets, ulong VariantBit, int ExactGroup, int VariantGroup)
    {
        public int Span => Offsets[^1];
    }

    /// <summary>
    /// Matches of one clause with the same span (in tokens) and weight: their first tokens, ascending. A window of
    /// tokens [a, b) contains such a match iff its first token f has a ≤ f and f + span &lt; b.
    /// </summary>
    private sealed class Group(int clause, int span, double weight)
    {
        public int Clause { get; } = clause;

        public int Span { get; } = span;

        public double Weight { get; } = weight;

        public List<int> Firsts { get; } = [];
    }

    private readonly record struct Match(int FirstToken, int LastToken, int Alt);

    private readonly record struct Candidate(int Start, int End, double Score, int Alt, int FirstToken);

    /// <summary>What one field's analysis found: its tokens (in order), its matches (by first token) and their groups.</summary>
    private sealed class FieldMatches(List<Tok> tokens, List<Match> matches, List<Group> groups, int maxMatchChars)
    {
        public List<Tok> Tokens { get; } = tokens;

        public List<Match> Matches { get; } = matches;

        /// <summary>Sorted by clause (the order the old per-clause sum was taken in).</summary>
        public List<Group> Groups { get; } = groups;

        /// <summary>The longest match, from its first token's start to its last token's end.</summary>
        public int MaxMatchChars { get; } = maxMatchChars;
    }

    /// <summary>Up to <paramref name="maxSnippets"/> fragments of about <paramref name="fragmentChars"/> characters.</summary>
    /// <remarks>
    /// Matches are looked for in the first <see cref="Limits.MaxSnippetAnalyzedChars"/> characters only; a match
    /// beyond is not highlighted, and a field with none within gives its beginning. Throws
    /// <see cref="OperationCanceledException"/> soon after <paramref name="cancellationToken"/> fires.
    /// </remarks>
    public IReadOnlyList<Fragment> Build(
        string text, SearchQuery query, int maxSnippets, int fragmentChars, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        if (text.Length == 0 || maxSnippets <= 0)
        {
            return [];
        }

        // Matches within the bound; tokens a fragment's length further, so that a fragment around a match near the
        // bound ends where it would if the whole text were read.
        var matchLimit = CutAt(text, _maxAnalyzedChars);
        var tokenLimit = CutAt(text, (int)Math.Min(int.MaxValue, (long)_maxAnalyzedChars + Math.Max(0, fragmentChars)));
        var analysis = Analyze(text, tokenLimit, matchLimit, query, cancellationToken);
        var tokens = analysis.Tokens;
        var matches = analysis.Matches;
        if (matches.Count == 0)
        {
            // Nothing matched in this field (e.g. the title did), or not within the bound: show its beginning.
            var end = CutEnd(text, tokens, SentenceEnds(text, Math.Min(text.Length, fragmentChars), cancellationToken), 0, fragmentChars, mustReach: 0);
            return [MakeFragment(text, analysis, 0, end, 0, cancellationToken)];
        }

        // Fragment starts are looked for before a match, ends up to a fragment's length after one.
        var sentenceEnds = SentenceEnds(text, (int)Math.Min(text.Length, (long)matchLimit + fragmentChars), cancellationToken);
        var sentenceStarts = SentenceStarts(text, sentenceEnds, matchLimit);
        var candidates = new List<Candidate>(matches.Count);
        var previous = (First: -1, Last: -1);
        for (var i = 0; i < matches.Count; i++)
        {
            if (i % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            // Matches of several alternatives on the same tokens give the same window: the first (in query order)
            // stands for them all, since the others would overlap the window it takes or loses.
            var m = matches[i];
            if ((m.FirstToken, m.LastToken) == previous)
            {
                continue;
            }

            previous = (m.FirstToken, m.LastToken);
            var anchor = tokens[m.FirstToken].Start;
            var matchEnd = tokens[m.LastToken].End;
            var start = CutStart(text, tokens, sentenceStarts, anchor, fragmentChars);
            var end = CutEnd(text, tokens, sentenceEnds, start, fragmentChars, matchEnd);
            candidates.Add(new Candidate(start, end, Score(analysis, start, end), m.Alt, m.FirstToken));
        }

        // Best score first, then earliest start; equal ones in query order (clause, alternative, position), the
        // order the candidates were made in before matches were sorted by position.
        candidates.Sort(static (a, b) =>
        {
            var c = b.Score.CompareTo(a.Score);
            c = c != 0 ? c : a.Start.CompareTo(b.Start);
            c = c != 0 ? c : a.Alt.CompareTo(b.Alt);
            return c != 0 ? c : a.FirstToken.CompareTo(b.FirstToken);
        });

        var chosen = new List<Candidate>(maxSnippets);
        for (var i = 0; i < candidates.Count && chosen.Count < maxSnippets; i++)
        {
            if (i % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var c = candidates[i];
            if (chosen.TrueForAll(o => c.End <= o.Start || c.Start >= o.End))
            {
                chosen.Add(c);
            }
        }

        return [.. chosen.Select(c => MakeFragment(text, analysis, c.Start, c.End, c.Score, cancellationToken))];
    }

    /// <summary>Every highlight in the whole text (for short fields such as titles), in UTF-16 offsets.</summary>
    /// <remarks>The same bound as <see cref="Build"/>: matches beyond the first <see cref="Limits.MaxSnippetAnalyzedChars"/> characters are not highlighted.</remarks>
    public IReadOnlyList<Highlight> HighlightAll(string text, SearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var limit = CutAt(text, _maxAnalyzedChars);
        var analysis = Analyze(text, limit, limit, query, cancellationToken);
        return Highlights(text, analysis, 0, text.Length, cancellationToken);
    }

    /// <summary>
    /// Where to stop reading <paramref name="text"/> near <paramref name="limit"/>: before the word the limit falls
    /// in (a cut word could match what the whole word does not), and never inside a surrogate pair.
    /// </summary>
    private static int CutAt(string text, int limit)
    {
        if (limit >= text.Length)
        {
            return text.Length;
        }

        var cut = limit;
        var floor = Math.Max(0, limit - WordReach);
        while (cut > floor && TextBoundaries.IsWordChar(text, cut - 1) && TextBoundaries.IsWordChar(text, cut))
        {
            cut--;
        }

        if (cut > 0 && TextBoundaries.IsWordChar(text, cut - 1) && TextBoundaries.IsWordChar(text, cut))
        {
            // A "word" longer than any real one: cut inside it.
            cut = limit;
        }

        return cut > 0 && char.IsLowSurrogate(text[cut]) && char.IsHighSurrogate(text[cut - 1]) ? cut - 1 : cut;
    }

    private FieldMatches Analyze(string text, int tokenLimit, int matchLimit, SearchQuery query, CancellationToken cancellationToken)
    {
        // The query's stems are the same for every hit of a search: the thread keeps the last query's.
        var stems = t_stems is { } previous && ReferenceEquals(previous.Query, query) ? previous.Stems : (t_stems = (query, new QueryStems(query))).Value.Stems;
        var tokens = Tokenize(tokenLimit == text.Length ? text : text[..tokenLimit], stems, cancellationToken);
        var alts = stems.Alts;
        var groups = new List<Group>(stems.Groups.Count);
        foreach (var (clause, span, weight) in stems.Groups)
        {
            groups.Add(new Group(clause, span, weight));
        }

        var matches = Reuse(ref t_matches, 64);
        var maxMatchChars = 0;
        for (var i = 0; i < tokens.Count && matches.Count < _maxMatches; i++)
        {
            if (i % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var tok = tokens[i];
            if (tok.End > matchLimit)
            {
                break;
            }

            if (tok.Stop || (tok.StemId < 0 && tok.VariantMask == 0))
            {
                continue;
            }

            foreach (var alt in alts)
            {
                var last = i + alt.Span;
                if (last >= tokens.Count || tokens[last].End > matchLimit)
                {
                    continue;
                }

                var exact = tok.StemId == alt.Ids[0];
                if (!exact && (tok.VariantMask & alt.VariantBit) == 0)
                {
                    continue;
                }

                var all = true;
                for (var w = 1; w < alt.Ids.Length && all; w++)
                {
                    var other = tokens[i + alt.Offsets[w]];
                    all = !other.Stop && other.StemId == alt.Ids[w];
                }

                if (all)
                {
                    matches.Add(new Match(i, last, alt.Ordinal));
                    groups[exact ? alt.ExactGroup : alt.VariantGroup].Firsts.Add(i);
                    maxMatchChars = Math.Max(maxMatchChars, tokens[last].End - tok.Start);
                }
            }
        }

        // The groups are in clause order already (Prepare makes them clause by clause).
        groups.RemoveAll(g => g.Firsts.Count == 0);
        return new FieldMatches(tokens, matches, groups, maxMatchChars);
    }

    /// <summary>The query's alternatives to match, in query order, and the score groups they fall into, clause by clause.</summary>
    private static (List<Alt> Alts, List<(int Clause, int Span, double Weight)> Groups) Prepare(SearchQuery query, QueryStems stems)
    {
        var alts = new List<Alt>();
        var groups = new List<(int Clause, int Span, double Weight)>();
        var groupIds = new Dictionary<(int Clause, int Span, double Weight), int>();
        int GroupOf(int clause, int span, double weight)
        {
            if (!groupIds.TryGetValue((clause, span, weight), out var id))
            {
                id = groupIds[(clause, span, weight)] = groups.Count;
                groups.Add((clause, span, weight));
            }

            return id;
        }

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
                var offsets = words.Select(w => w.Offset).ToArray();
                var span = offsets[^1];
                var variantBit = alt.Variants ? stems.VariantBit(words[0].Stem) : 0;

                // An exact match weighs its number of words; a spelling variant (a single word matched by its variant key) less.
                alts.Add(new Alt(
                    c,
                    alts.Count,
                    [.. words.Select(w => stems.Id(w.Stem))],
                    offsets,
                    variantBit,
                    GroupOf(c, span, words.Count),
                    variantBit == 0 ? -1 : GroupOf(c, span, RankingOptions.DefaultVariantBoost)));
            }
        }

        return (alts, groups);
    }

    /// <summary>The thread's lists (tokens, sentence ends and starts) longer than this are not kept for the next document.</summary>
    private const int MaxRetained = 1 << 14;

    [ThreadStatic]
    private static AnalysisSession? t_session;

    [ThreadStatic]
    private static (SearchQuery Query, QueryStems Stems)? t_stems;

    [ThreadStatic]
    private static List<Tok>? t_tokens;

    // The matches of the text being cut, reused as the tokens are (and for the same reason).
    [ThreadStatic]
    private static List<Match>? t_matches;

    /// <summary>
    /// The tokens of <paramref name="text"/>, in the thread's list: a document's snippets are cut before the thread
    /// tokenizes the next document, so the list is reused rather than allocated per hit.
    /// </summary>
    private List<Tok> Tokenize(string text, QueryStems stems, CancellationToken cancellationToken)
    {
        var tokens = Reuse(ref t_tokens, Math.Min(text.Length / 5, MaxRetained));
        var session = t_session is { } cached && cached.Analyzer == Analyzer ? cached : t_session = new AnalysisSession(Analyzer);
        session.Reset(text);
        while (session.MoveNext())
        {
            if (tokens.Count % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            // A token whose letters rule out every query stem and key matches nothing, stopword or not: it needs its
            // place only (a match's window is cut at tokens), not its stopword test or its stem.
            if (!stems.MayMatch(session.CurrentTerm))
            {
                var (start, end) = session.CurrentOffsets;
                tokens.Add(new Tok(start, end, -1, 0, Stop: false));
                continue;
            }

            var t = session.Current;
            if (t.IsStopword)
            {
                tokens.Add(new Tok(t.Start, t.End, -1, 0, Stop: true));
                continue;
            }

            var stem = t.Stem;
            var id = stems.Lookup.TryGetValue(stem, out var found) ? found : -1;
            tokens.Add(new Tok(t.Start, t.End, id, stems.VariantMask(stem), Stop: false));
        }

        return tokens;
    }

    /// <summary>
    /// The score of the window [start, end): the best weight of each query clause matched inside it, plus a little
    /// per match inside it. O(groups · log matches): per group, two binary searches over its first tokens.
    /// </summary>
    private static double Score(FieldMatches analysis, int start, int end)
    {
        var tokens = analysis.Tokens;

        // The tokens inside the window: [a, b). Token starts and ends both increase along the text.
        var a = FirstStartAtOrAfter(tokens, start);
        var b = LastEndAtOrBefore(tokens, end) + 1;
        double sum = 0;
        var count = 0;
        var clause = -1;
        double best = 0;
        foreach (var g in analysis.Groups)
        {
            var n = b - g.Span <= a ? 0 : LowerBound(g.Firsts, b - g.Span) - LowerBound(g.Firsts, a);
            if (n <= 0)
            {
                continue;
            }

            if (g.Clause != clause)
            {
                // Clauses in ascending order, as the per-clause sum always was.
                sum += best;
                clause = g.Clause;
                best = 0;
            }

            best = Math.Max(best, g.Weight);
            count += n;
        }

        sum += best;

        // Distinct query clauses matter most; repeated matches add a little.
        return sum + (0.1 * count);
    }

    [ThreadStatic]
    private static List<int>? t_sentenceEnds;

    [ThreadStatic]
    private static List<int>? t_sentenceStarts;

    /// <summary>
    /// Sentence starts before <paramref name="limit"/>, ascending, from the sentence ends found up to at least there
    /// (<paramref name="ends"/>): after . ! ? ؟ ؛ … followed by space, and after a line break. The thread's list, valid
    /// until its next call.
    /// </summary>
    private static List<int> SentenceStarts(string text, List<int> ends, int limit)
    {
        var starts = Reuse(ref t_sentenceStarts, 64);
        starts.Add(0);
        var next = 0; // the first non-space at or after some point: moves forward only
        foreach (var i in ends)
        {
            if (i >= limit)
            {
                break;
            }

            next = Math.Max(next, i + 1);
            while (next < text.Length && char.IsWhiteSpace(text[next]))
            {
                next++;
            }

            if (next < text.Length && next > i + 1 || text[i] == '\n')
            {
                starts.Add(next);
            }
        }

        return starts;
    }

    /// <summary>
    /// Positions of sentence-ending characters before <paramref name="limit"/>, ascending (a vectorized search for
    /// <see cref="TextBoundaries.SentenceEnds"/>). The thread's list, valid until its next call.
    /// </summary>
    private static List<int> SentenceEnds(string text, int limit, CancellationToken cancellationToken)
    {
        var ends = Reuse(ref t_sentenceEnds, 64);
        var span = text.AsSpan(0, limit);
        for (var i = 0; i < span.Length;)
        {
            if (ends.Count % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var found = span[i..].IndexOfAny(TextBoundaries.SentenceEnds);
            if (found < 0)
            {
                break;
            }

            ends.Add(i + found);
            i += found + 1;
        }

        return ends;
    }

    /// <summary>
    /// The thread's list in <paramref name="list"/>, emptied; a new one of <paramref name="capacity"/> when there is
    /// none or the last grew beyond <see cref="MaxRetained"/> entries (so one huge text does not hold its memory).
    /// </summary>
    private static List<T> Reuse<T>(ref List<T>? list, int capacity)
    {
        if (list is not { Capacity: <= MaxRetained })
        {
            list = new List<T>(capacity);
        }

        list.Clear();
        return list;
    }

    /// <summary>A fragment start before <paramref name="anchor"/>: a sentence start if one is near, else a word start.</summary>
    private static int CutStart(string text, List<Tok> tokens, List<int> sentenceStarts, int anchor, int fragmentChars)
    {
        // The last sentence start at or before the anchor (the list starts with 0).
        var sentence = sentenceStarts[LowerBound(sentenceStarts, anchor + 1) - 1];
        if (anchor - sentence <= fragmentChars / 2)
        {
            return SkipSpace(text, sentence);
        }

        // The first token starting at or after the lead (the anchor's own token at the latest).
        var lead = anchor - (fragmentChars / 4);
        var t = FirstStartAtOrAfter(tokens, lead);
        return ExtendWordStart(text, t < tokens.Count ? Math.Min(tokens[t].Start, anchor) : anchor);
    }

    /// <summary>A fragment end about <paramref name="fragmentChars"/> after start: a sentence end if one is in the second half, else a word end.</summary>
    private static int CutEnd(string text, List<Tok> tokens, List<int> sentenceEnds, int start, int fragmentChars, int mustReach)
    {
        var limit = start + fragmentChars;
        if (limit >= text.Length)
        {
            return TrimEnd(text, start, text.Length);
        }

        // The last sentence end in [start + fragmentChars / 2, limit) that keeps the match in.
        var last = LowerBound(sentenceEnds, limit) - 1;
        if (last >= 0 && sentenceEnds[last] >= start + (fragmentChars / 2) && sentenceEnds[last] + 1 >= mustReach)
        {
            return TrimEnd(text, start, sentenceEnds[last] + 1);
        }

        // The end of the last token that ends by the limit (wherever it starts), else start.
        var t = LastEndAtOrBefore(tokens, limit);
        var end = t >= 0 ? tokens[t].End : start;
        end = ExtendWord(text, Math.Max(end, mustReach));
        return end > start ? end : Math.Min(text.Length, limit);
    }

    private static Fragment MakeFragment(string text, FieldMatches analysis, int start, int end, double score, CancellationToken cancellationToken)
    {
        start = SkipSpace(text, start);
        end = Math.Max(start, TrimEnd(text, start, end));
        var highlights = Highlights(text, analysis, start, end, cancellationToken);
        return new Fragment(text[start..end], start, end, highlights, score);
    }

    /// <summary>Highlights within [start, end), relative to start; each covers the whole original word; overlaps merge.</summary>
    private static List<Highlight> Highlights(string text, FieldMatches analysis, int start, int end, CancellationToken cancellationToken)
    {
        var tokens = analysis.Tokens;
        var matches = analysis.Matches;

        // Only matches that can reach into [start, end) once stretched to whole words: matches are in order of their
        // first token, a match covers at most MaxMatchChars, and stretching adds at most WordReach on each side.
        var from = start - WordReach - analysis.MaxMatchChars;
        var lo = 0;
        var hi = matches.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            (lo, hi) = tokens[matches[mid].FirstToken].Start < from ? (mid + 1, hi) : (lo, mid);
        }

        var ranges = new List<(int Start, int End)>();
        for (var i = lo; i < matches.Count && tokens[matches[i].FirstToken].Start < end + WordReach; i++)
        {
            if ((i - lo) % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var m = matches[i];
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

    /// <summary>The index of the first value ≥ <paramref name="value"/> in an ascending list (its count if none).</summary>
    private static int LowerBound(List<int> sorted, int value) => Partition(sorted, new Below(value));

    /// <summary>The index of the first token starting at or after <paramref name="offset"/> (the count if none).</summary>
    private static int FirstStartAtOrAfter(List<Tok> tokens, int offset) => Partition(tokens, new StartsBefore(offset));

    /// <summary>The index of the last token ending at or before <paramref name="offset"/> (-1 if none).</summary>
    private static int LastEndAtOrBefore(List<Tok> tokens, int offset) => Partition(tokens, new EndsBy(offset)) - 1;

    /// <summary>
    /// Binary search: the index of the first item <paramref name="before"/> does not hold for, in a list where it holds
    /// for a prefix and not after (the count if it holds for all). The test is a struct, so a search allocates nothing
    /// (a lambda made a closure and a delegate per search, several per candidate fragment).
    /// </summary>
    private static int Partition<T, TBefore>(List<T> items, TBefore before)
        where TBefore : struct, IBefore<T>
    {
        int lo = 0, hi = items.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (before.Holds(items[mid]))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private interface IBefore<in T>
    {
        bool Holds(T item);
    }

    private readonly struct Below(int value) : IBefore<int>
    {
        public bool Holds(int item) => item < value;
    }

    private readonly struct StartsBefore(int offset) : IBefore<Tok>
    {
        public bool Holds(Tok item) => item.Start < offset;
    }

    private readonly struct EndsBy(int offset) : IBefore<Tok>
    {
        public bool Holds(Tok item) => item.End <= offset;
    }

    /// <summary>Back to the start of the word <paramref name="i"/> is in, at most <see cref="WordReach"/> characters.</summary>
    private static int ExtendWordStart(string text, int i)
    {
        var floor = Math.Max(0, i - WordReach);
        while (i > floor && TextBoundaries.IsWordChar(text, i - 1))
        {
            i--;
        }

        return i;
    }

    /// <summary>On to the end of the word <paramref name="i"/> is in, at most <see cref="WordReach"/> characters.</summary>
    private static int ExtendWord(string text, int i)
    {
        var ceiling = Math.Min(text.Length, i + WordReach);
        while (i < ceiling && TextBoundaries.IsWordChar(text, i))
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
