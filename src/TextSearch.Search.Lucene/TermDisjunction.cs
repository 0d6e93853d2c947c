using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;

namespace TextSearch.Search.Lucene;

/// <summary>
/// Scores a first phase that is a disjunction of term clauses (the common question: a word is one term, every word
/// optional) straight into the window, with the scores Lucene's bucket scorer gives it, bit for bit, and without its
/// per-search table of 2,048 bucket objects per segment or its two virtual calls per posting.
/// <para>
/// Like that scorer it works through each segment in ranges of <see cref="Range"/> documents and term by term: the
/// term's BM25 score (<see cref="Bm25"/>: the similarity's weight and per-segment score, as Lucene's term query has them) is added
/// in double per document, the clauses in the order that scorer adds them (the last clause first), and a document's sum
/// is coordinated by the number of clauses it matched, of all of them, then rounded to float.
/// </para>
/// </summary>
internal sealed class TermDisjunction
{
    /// <summary>Documents scored together: the range of Lucene's bucket table.</summary>
    internal const int Range = 1 << 11;

    // The thread's range arrays, reused from search to search (a range's slots are cleared as they are collected).
    [ThreadStatic]
    private static Slots? t_slots;

    private readonly (Term Term, TermContext Context)[] _clauses;
    private readonly float[] _coord;

    private TermDisjunction((Term, TermContext)[] clauses, float[] coord) => (_clauses, _coord) = (clauses, coord);

    /// <summary>
    /// The disjunction <paramref name="query"/> describes, or null for any other shape: it must be a boolean query of two
    /// to 32 optional term queries of boost 1 (a single clause is rewritten to its term query, without coordination; past
    /// 32, the width of the bucket scorer's clause mask, the question is left to Lucene), with no boost or minimum of its
    /// own.
    /// </summary>
    public static TermDisjunction? Of(global::Lucene.Net.Search.Query query, TermLookup terms, Similarity similarity)
    {
        if (query is not BooleanQuery { Boost: 1f, MinimumNumberShouldMatch: 0 } boolean || boolean.Clauses.Count is < 2 or > 32)
        {
            return null;
        }

        var clauses = new (Term, TermContext)[boolean.Clauses.Count];
        for (var i = 0; i < clauses.Length; i++)
        {
            if (boolean.Clauses[i] is not { Occur: Occur.SHOULD, Query: TermQuery { Boost: 1f } term })
            {
                return null;
            }

            var t = term.Term;
            clauses[i] = (t, terms.Context(t.Field, t.Text));
        }

        var coord = new float[clauses.Length + 1];
        for (var i = 0; i < coord.Length; i++)
        {
            coord[i] = boolean.CoordDisabled ? 1f : similarity.Coord(i, clauses.Length);
        }

        return new TermDisjunction(clauses, coord);
    }

    /// <summary>Scores every document that matches a clause and hands it to <paramref name="collector"/> (with its top-level number).</summary>
    public void Score(IndexSearcher searcher, TermLookup terms, WindowCollector collector, CancellationToken cancellationToken)
    {
        var bm25 = terms.Bm25(searcher.Similarity);
        var weights = new Bm25Weight?[_clauses.Length];
        for (var i = 0; i < _clauses.Length; i++)
        {
            var (term, context) = _clauses[i];
            if (context.DocFreq > 0)
            {
                weights[i] = bm25.Weight(1f, terms.Statistics(searcher, term.Field), searcher.TermStatistics(term, context));
            }
        }

        // The thread's arrays, taken while in use: a search cut off by its token drops them with slots still marked,
        // and the thread's next search makes new ones.
        var slots = t_slots ?? new Slots();
        t_slots = null;
        var reuse = PostingsReuse.Begin(searcher.IndexReader.Leaves);
        var postings = new DocsEnum?[_clauses.Length];
        var scorers = new Bm25Scorer[_clauses.Length];
        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var live = leaf.AtomicReader.LiveDocs;
            var any = false;
            for (var i = 0; i < _clauses.Length; i++)
            {
                postings[i] = null;
                var (term, context) = _clauses[i];
                if (weights[i] is { } weight && terms.Seek(leaf, term, context) is { } termsEnum)
                {
                    var docs = reuse.Docs(leaf, term.Field, termsEnum, live);
                    if (docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
                    {
                        postings[i] = docs;
                        scorers[i] = weight.Scorer(leaf);
                        any = true;
                    }
                }
            }

            if (any)
            {
                ScoreSegment(leaf.DocBase, leaf.AtomicReader.MaxDoc, postings, scorers, slots, collector, cancellationToken);
            }
        }

        t_slots = slots;
    }

    private void ScoreSegment(
        int docBase, int maxDoc, DocsEnum?[] postings, Bm25Scorer[] scorers, Slots slots, WindowCollector collector, CancellationToken cancellationToken)
    {
        var (sums, matched, touched) = (slots.Sums, slots.Matched, slots.Touched);
        for (var start = 0; start < maxDoc; start += Range)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = start + Range;
            var count = 0;

            // The last clause first, as Lucene's bucket scorer chains its clauses.
            for (var i = postings.Length - 1; i >= 0; i--)
            {
                if (postings[i] is not { } docs)
                {
                    continue;
                }

                var scorer = scorers[i];
                for (var doc = docs.DocID; doc < end; doc = docs.NextDoc())
                {
                    var score = scorer.Score(doc, docs.Freq);
                    var slot = doc & (Range - 1);
                    if (matched[slot] == 0)
                    {
                        touched[count++] = slot;
                        sums[slot] = score;
                    }
                    else
                    {
                        sums[slot] += score;
                    }

                    matched[slot]++;
                }
            }

            for (var k = 0; k < count; k++)
            {
                var slot = touched[k];
                collector.Collect(docBase + start + slot, (float)(sums[slot] * _coord[matched[slot]]));
                matched[slot] = 0;
            }
        }
    }

    private sealed class Slots
    {
        public double[] Sums { get; } = new double[Range];

        public int[] Matched { get; } = new int[Range];

        public int[] Touched { get; } = new int[Range];
    }
}
