using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using TextSearch.Search.Lucene;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace TextSearch.Search.Tests;

/// <summary>Our BM25 scores terms and two-word phrases as Lucene.NET's similarity does, bit for bit.</summary>
public sealed class Bm25Tests
{
    public static TheoryData<string, BM25Similarity> Similarities => new()
    {
        { "Lucene's defaults", new BM25Similarity() },
        { "ours (k1 1.5, b 0.9, coordinated)", new CoordinatedBm25Similarity(1.5f, 0.9f, 0.5f) },
        { "b 0", new BM25Similarity(1.2f, 0f) },
        { "b 1, k1 2", new CoordinatedBm25Similarity(2f, 1f, 1f) },
    };

    [Theory]
    [MemberData(nameof(Similarities))]
    public void Scores_equal_the_similaritys_bit_for_bit(string name, BM25Similarity similarity)
    {
        // Documents of many lengths (so many norm bytes), in a field with norms and one without.
        using var directory = new RAMDirectory();
        var random = new Random(3);
        var noNorms = new FieldType(TextField.TYPE_NOT_STORED) { OmitNorms = true };
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48)) { Similarity = similarity }))
        {
            for (var d = 0; d < 200; d++)
            {
                var text = string.Join(' ', Enumerable.Range(0, 1 + random.Next(d < 100 ? 30 : 3000)).Select(_ => "w" + random.Next(50)));
                writer.AddDocument(new LuceneDocument { new TextField("body", text, Field.Store.NO), new Field("plain", text, noNorms) });
            }
        }

        using var reader = DirectoryReader.Open(directory);
        var leaf = reader.Leaves[0];
        var bm25 = new Bm25(similarity); // one instance for statistics of every kind: its factors follow them
        var compared = 0;
        foreach (var field in new[] { "body", "plain" })
        {
            for (var q = 0; q < 40; q++)
            {
                var maxDoc = 1 + random.Next(100_000);
                var collection = new CollectionStatistics(field, maxDoc, maxDoc, q % 7 == 0 ? -1 : maxDoc + random.Next(50_000_000), maxDoc);
                var first = new TermStatistics(new BytesRef("a"), 1 + random.Next(maxDoc), -1);
                var second = new TermStatistics(new BytesRef("b"), 1 + random.Next(maxDoc), -1);
                var boost = q % 3 == 0 ? 1f : (float)random.NextDouble() * 3;

                var term = similarity.ComputeWeight(boost, collection, first);
                term.Normalize(1f, 1f);
                var pair = similarity.ComputeWeight(boost, collection, first, second);
                pair.Normalize(1f, 1f);
                var (luceneTerm, lucenePair) = (similarity.GetSimScorer(term, leaf), similarity.GetSimScorer(pair, leaf));
                var (ourTerm, ourPair) = (bm25.Weight(boost, collection, first).Scorer(leaf), bm25.Weight(boost, collection, first, second).Scorer(leaf));
                for (var distance = 0; distance < 10; distance++)
                {
                    Same(lucenePair.ComputeSlopFactor(distance), Bm25.SlopFactor(distance), $"{name}, slop factor at {distance}");
                }

                for (var doc = 0; doc < reader.MaxDoc; doc++)
                {
                    var freq = 1 + random.Next(20);
                    var sloppy = lucenePair.ComputeSlopFactor(random.Next(6)) + lucenePair.ComputeSlopFactor(random.Next(6));
                    Same(luceneTerm.Score(doc, freq), ourTerm.Score(doc, freq), $"{name}, {field}, term, document {doc}");
                    Same(lucenePair.Score(doc, sloppy), ourPair.Score(doc, sloppy), $"{name}, {field}, pair, document {doc}");
                    compared++;
                }
            }
        }

        Assert.Equal(2 * 40 * 200, compared);
    }

    [Fact]
    public void Other_similarities_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new Bm25(new DefaultSimilarity()));
        Assert.Throws<ArgumentException>(() => new Bm25(new LongerIdf()));
    }

    private static void Same(float expected, float actual, string what) =>
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"{what}: Lucene {expected:R}, ours {actual:R}");

    /// <summary>A BM25 that changes what <see cref="Bm25"/> reproduces.</summary>
    private sealed class LongerIdf : BM25Similarity
    {
        protected override float Idf(long docFreq, long numDocs) => 2 * base.Idf(docFreq, numDocs);
    }
}
