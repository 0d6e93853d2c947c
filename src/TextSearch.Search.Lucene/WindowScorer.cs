using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace TextSearch.Search.Lucene;

/// <summary>
/// Scores the rescoring window by the full ranking (<see cref="RescorePlan"/>) term by term instead of through Lucene's
/// scorer tree. The tree advances a disjunction of about ninety scorers document by document (a heap operation per
/// scorer and step), opens a postings enumerator per clause, and opens a stem's postings again for each proximity pair
/// it is in. Here each distinct term's postings are opened once per segment, advanced once per window document, and
/// a stem's positions are read once per document for all its pairs.
/// <para>
/// The score is Lucene's, computed from the same parts: BM25's weights and per-segment scores (<see cref="Bm25"/>) for each term
/// clause and pair, the clauses summed as Lucene's disjunctions sum them (in double, rounded per level), the sum
/// coordinated by the share of clauses matched, and the proximity pairs' sloppy frequencies found as Lucene's sloppy
/// phrase scorer finds them. Tests hold it to the scorer tree's scores.
/// </para>
/// </summary>
internal static class WindowScorer
{
    /// <summary>The full ranking's score of each of <paramref name="docs"/> (ordered by document number), in that order.</summary>
    public static float[] Score(IndexSearcher searcher, RescorePlan plan, TermLookup terms, WindowDoc[] docs, CancellationToken cancellationToken)
    {
        var similarity = searcher.Similarity;
        var bm25 = terms.Bm25(similarity);
        var postings = new Postings(terms, PostingsReuse.Begin(searcher.IndexReader.Leaves)); // the first phase's enumerators are done

        // Every term clause and pair has its weight; each segment a scorer per weight.
        var weights = new List<Bm25Weight>();
        int Weight(Bm25Weight weight)
        {
            weights.Add(weight);
            return weights.Count - 1;
        }

        // The pairs first, so that a stem in a pair is opened with its positions.
        var pairs = new List<(int First, int Second, int Weight)>(plan.Pairs.Count);
        foreach (var (first, second) in plan.Pairs)
        {
            var (a, b) = (postings.Add(plan.PairField, first, positions: true), postings.Add(plan.PairField, second, positions: true));
            if (postings.Context(a).DocFreq > 0 && postings.Context(b).DocFreq > 0)
            {
                pairs.Add((a, b, Weight(bm25.Weight(
                    plan.PairBoost, terms.Statistics(searcher, plan.PairField), searcher.TermStatistics(postings.Term(a), postings.Context(a)), searcher.TermStatistics(postings.Term(b), postings.Context(b))))));
            }
        }

        var clauses = new (int Posting, int Weight)[plan.Clauses.Count][][];
        for (var c = 0; c < clauses.Length; c++)
        {
            clauses[c] = new (int, int)[plan.Clauses[c].Length][];
            for (var a = 0; a < clauses[c].Length; a++)
            {
                var features = new List<(int, int)>(plan.Clauses[c][a].Length);
                foreach (var feature in plan.Clauses[c][a])
                {
                    var p = postings.Add(feature.Field, feature.Text, positions: false);
                    if (postings.Context(p).DocFreq > 0)
                    {
                        features.Add((p, Weight(bm25.Weight(feature.Boost, terms.Statistics(searcher, feature.Field), searcher.TermStatistics(postings.Term(p), postings.Context(p))))));
                    }
                }

                clauses[c][a] = [.. features];
            }
        }

        // Coordination as Lucene's boolean scorer applies it: by the number of clauses matched, of all of them.
        var coord = new float[clauses.Length + 1];
        for (var i = 0; i < coord.Length; i++)
        {
            coord[i] = plan.Coordination ? similarity.Coord(i, clauses.Length) : 1f;
        }

        var scores = new float[docs.Length];
        var leaves = searcher.IndexReader.Leaves;
        var scorers = new Bm25Scorer[weights.Count];
        for (var next = 0; next < docs.Length;)
        {
            var leaf = leaves[ReaderUtil.SubIndex(docs[next].Doc, leaves)];
            var end = leaf.DocBase + leaf.AtomicReader.MaxDoc;
            postings.Open(leaf);
            for (var w = 0; w < scorers.Length; w++)
            {
                scorers[w] = weights[w].Scorer(leaf);
            }

            for (; next < docs.Length && docs[next].Doc < end; next++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var doc = docs[next].Doc - leaf.DocBase;
                postings.Advance(doc);

                var sum = 0d;
                var matched = 0;
                foreach (var alternatives in clauses)
                {
                    var clause = 0d;
                    var clauseMatched = false;
                    foreach (var features in alternatives)
                    {
                        var alternative = 0d;
                        var alternativeMatched = false;
                        foreach (var (p, weight) in features)
                        {
                            if (postings.Freq(p) is var freq and > 0)
                            {
                                alternative += scorers[weight].Score(doc, freq);
                                alternativeMatched = true;
                            }
                        }

                        if (alternativeMatched)
                        {
                            // A clause of several alternatives sums their (float) scores, as a disjunction does.
                            clause += alternatives.Length == 1 ? alternative : (float)alternative;
                            clauseMatched = true;
                        }
                    }

                    if (clauseMatched)
                    {
                        sum += (float)clause;
                        matched++;
                    }
                }

                var score = (float)sum * coord[matched];
                var proximity = 0d;
                var near = false;
                foreach (var (a, b, weight) in pairs)
                {
                    if (postings.Freq(a) > 0 && postings.Freq(b) > 0)
                    {
                        var freq = SloppyFrequency(postings.Positions(a), postings.Positions(b), plan.Slop);
                        if (freq != 0f)
                        {
                            proximity += scorers[weight].Score(doc, freq);
                            near = true;
                        }
                    }
                }

                scores[next] = near ? score + (float)proximity : score;
            }
        }

        return scores;
    }

    /// <summary>
    /// The sloppy frequency of the two-word phrase "first second" within <paramref name="slop"/> positions, found as
    /// Lucene's sloppy phrase scorer finds it for two distinct terms: each word's phrase position (its position less
    /// its place in the phrase) advanced in turn from the lesser, each match's length minimized before it counts, each
    /// match weighed by BM25's slop factor (<see cref="Bm25.SlopFactor"/>).
    /// </summary>
    internal static float SloppyFrequency(ReadOnlySpan<int> first, ReadOnlySpan<int> second, int slop)
    {
        int i = 1, j = 1;
        int a = first[0], b = second[0] - 1;
        var end = Math.Max(a, b);
        var onFirst = a <= b; // the lesser (the first word on a tie, its place in the phrase being lower)
        var matchLength = end - (onFirst ? a : b);
        var next = onFirst ? b : a;
        var freq = 0f;
        while (true)
        {
            int position;
            if (onFirst)
            {
                if (i == first.Length)
                {
                    break;
                }

                position = a = first[i++];
            }
            else
            {
                if (j == second.Length)
                {
                    break;
                }

                position = b = second[j++] - 1;
            }

            end = Math.Max(end, position);
            if (position > next)
            {
                // Done minimizing this match's length: count it, and go on from the lesser word.
                if (matchLength <= slop)
                {
                    freq += Bm25.SlopFactor(matchLength);
                }

                onFirst = a <= b;
                next = onFirst ? b : a;
                matchLength = end - (onFirst ? a : b);
            }
            else
            {
                matchLength = Math.Min(matchLength, end - position);
            }
        }

        if (matchLength <= slop)
        {
            freq += Bm25.SlopFactor(matchLength);
        }

        return freq;
    }

    /// <summary>The distinct terms of a window's scoring: their postings in the current segment, advanced together.</summary>
    private sealed class Postings(TermLookup terms, PostingsReuse reuse)
    {
        private readonly List<(Term Term, TermContext Context, bool Positions)> _terms = [];
        private readonly Dictionary<(string Field, string Text), int> _index = [];
        private DocsEnum?[] _enums = [];
        private int[] _freqs = [];
        private int[][] _positions = [];
        private bool[] _positionsRead = [];

        public int Add(string field, string text, bool positions)
        {
            if (_index.TryGetValue((field, text), out var i))
            {
                _terms[i] = _terms[i] with { Positions = _terms[i].Positions || positions };
                return i;
            }

            _terms.Add((new Term(field, text), terms.Context(field, text), positions));
            return _index[(field, text)] = _terms.Count - 1;
        }

        public Term Term(int i) => _terms[i].Term;

        public TermContext Context(int i) => _terms[i].Context;

        /// <summary>Opens each term's postings in <paramref name="leaf"/> (none where the segment lacks the term).</summary>
        public void Open(AtomicReaderContext leaf)
        {
            if (_enums.Length != _terms.Count)
            {
                _enums = new DocsEnum?[_terms.Count];
                _freqs = new int[_terms.Count];
                _positions = new int[_terms.Count][];
                _positionsRead = new bool[_terms.Count];
            }

            var live = leaf.AtomicReader.LiveDocs;
            for (var i = 0; i < _terms.Count; i++)
            {
                var (term, context, positions) = _terms[i];
                _enums[i] = null;
                if (terms.Seek(leaf, term, context) is { } termsEnum)
                {
                    _enums[i] = positions ? reuse.Positions(leaf, term.Field, termsEnum, live) : reuse.Docs(leaf, term.Field, termsEnum, live);
                }
            }
        }

        /// <summary>Moves every term to <paramref name="doc"/> (documents come in increasing order), noting its frequency there.</summary>
        public void Advance(int doc)
        {
            for (var i = 0; i < _enums.Length; i++)
            {
                _positionsRead[i] = false;
                if (_enums[i] is not { } e)
                {
                    _freqs[i] = 0;
                    continue;
                }

                var at = e.DocID < doc ? e.Advance(doc) : e.DocID;
                _freqs[i] = at == doc ? e.Freq : 0;
            }
        }

        public int Freq(int i) => _freqs[i];

        /// <summary>The term's positions in the current document (it must occur there), read once.</summary>
        public ReadOnlySpan<int> Positions(int i)
        {
            var freq = _freqs[i];
            if (!_positionsRead[i])
            {
                var buffer = _positions[i];
                if (buffer is null || buffer.Length < freq)
                {
                    buffer = _positions[i] = new int[ArrayUtil.Oversize(freq, sizeof(int))];
                }

                var e = (DocsAndPositionsEnum)_enums[i]!;
                for (var k = 0; k < freq; k++)
                {
                    buffer[k] = e.NextPosition();
                }

                _positionsRead[i] = true;
            }

            return _positions[i].AsSpan(0, freq);
        }
    }
}
