using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace TextSearch.Search.Lucene;

/// <summary>
/// BM25 as Lucene.NET's <see cref="BM25Similarity"/> scores a term query or a two-word sloppy phrase, from the same
/// parts in the same float operations, for the phases that score terms themselves (<see cref="TermDisjunction"/>,
/// <see cref="WindowScorer"/>). The similarity computes a field's 256 length factors again for every term it weighs,
/// and formats a description of every idf; here a field's factors are computed once per search (one instance per
/// search: <see cref="TermLookup.Bm25"/>). Tests hold the scores to the similarity's, bit for bit.
/// </summary>
internal sealed class Bm25
{
    /// <summary>The field length each norm byte stands for (1 / f², f the byte's small float), as the similarity decodes it.</summary>
    private static readonly float[] Lengths = DecodeLengths();

    private readonly float _k1;
    private readonly float _b;
    // Per field and the statistics its average length comes from (one search sees one set per field).
    private readonly Dictionary<(string Field, long SumTotalTermFreq, long MaxDoc), float[]> _factors = [];

    /// <param name="similarity">
    /// The searcher's similarity: Lucene.NET's BM25, or ours, which changes only its coordination
    /// (<see cref="CoordinatedBm25Similarity"/>). Any other subclass could change what this reproduces.
    /// </param>
    public Bm25(Similarity similarity)
    {
        if (similarity is not BM25Similarity bm25 || (bm25.GetType() != typeof(BM25Similarity) && bm25.GetType() != typeof(CoordinatedBm25Similarity)))
        {
            throw new ArgumentException($"BM25 is reproduced for Lucene.NET's BM25Similarity only, not {similarity.GetType().Name}.", nameof(similarity));
        }

        (_k1, _b) = (bm25.K1, bm25.B);
    }

    /// <summary>The slop factor of a sloppy match <paramref name="distance"/> positions long.</summary>
    public static float SlopFactor(int distance) => 1.0f / (distance + 1);

    /// <summary>A term query's weight with <paramref name="boost"/>, normalized as a top-level query's clause (query norm and top-level boost 1).</summary>
    public Bm25Weight Weight(float boost, CollectionStatistics field, TermStatistics term) =>
        Weight(boost, field, Idf(term.DocFreq, field.MaxDoc));

    /// <summary>A two-word phrase's weight: its idf is the sum of its words'.</summary>
    public Bm25Weight Weight(float boost, CollectionStatistics field, TermStatistics first, TermStatistics second)
    {
        var idf = 0f;
        idf += Idf(first.DocFreq, field.MaxDoc);
        idf += Idf(second.DocFreq, field.MaxDoc);
        return Weight(boost, field, idf);
    }

    private static float Idf(long docFreq, long maxDoc) => (float)Math.Log(1 + ((maxDoc - docFreq + 0.5D) / (docFreq + 0.5D)));

    private Bm25Weight Weight(float boost, CollectionStatistics field, float idf)
    {
        var weight = idf * boost * 1f; // idf × the query's boost × the top-level boost, as the similarity normalizes it
        return new Bm25Weight(field.Field, weight * (_k1 + 1), _k1, Factors(field));
    }

    /// <summary>The field's k1 · ((1 − b) + b · length / average length) for each norm byte.</summary>
    private float[] Factors(CollectionStatistics field)
    {
        var key = (field.Field, field.SumTotalTermFreq, field.MaxDoc);
        if (!_factors.TryGetValue(key, out var factors))
        {
            var average = field.SumTotalTermFreq <= 0 ? 1f : (float)(field.SumTotalTermFreq / (double)field.MaxDoc);
            factors = new float[256];
            for (var i = 0; i < factors.Length; i++)
            {
                factors[i] = _k1 * ((1 - _b) + (_b * Lengths[i] / average));
            }

            _factors[key] = factors;
        }

        return factors;
    }

    private static float[] DecodeLengths()
    {
        var lengths = new float[256];
        for (var i = 0; i < lengths.Length; i++)
        {
            var f = SmallSingle.SByte315ToSingle((sbyte)i);
            lengths[i] = 1.0f / (f * f);
        }

        return lengths;
    }
}

/// <summary>A weighed term or phrase of <see cref="Bm25"/>: its boost × idf × (k1 + 1), and its field's length factors.</summary>
internal sealed class Bm25Weight(string field, float value, float k1, float[] factors)
{
    /// <summary>The scorer of this weight in a segment (with the segment's norms of the field).</summary>
    public Bm25Scorer Scorer(AtomicReaderContext leaf) => new(value, k1, factors, leaf.AtomicReader.GetNormValues(field));
}

/// <summary>A <see cref="Bm25Weight"/> in one segment.</summary>
internal readonly struct Bm25Scorer(float value, float k1, float[] factors, NumericDocValues? norms)
{
    /// <summary>The score of a document the term (or phrase) occurs in <paramref name="freq"/> times (a sloppy frequency for a phrase).</summary>
    public float Score(int doc, float freq)
    {
        // Without norms, as if b were 0.
        var factor = norms is null ? k1 : factors[(sbyte)norms.Get(doc) & 0xFF];
        return value * freq / (freq + factor);
    }
}
