using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using TextSearch.Analysis;
using TextSearch.Search.Lucene;
using TextSearch.Search.Query;
using LuceneDocument = Lucene.Net.Documents.Document;
using Occur = Lucene.Net.Search.Occur;

namespace TextSearch.Search.Tests;

/// <summary>
/// The first phase's disjunction of words, scored by <see cref="TermDisjunction"/>, matches the same documents with the
/// very scores Lucene's boolean query gives them, bit for bit: in several segments, one of them longer than a scoring
/// range, with deleted documents, with and without coordination.
/// </summary>
public sealed class TermDisjunctionTests : IDisposable
{
    private static readonly string[] Vocabulary = [.. Enumerable.Range(0, 60).Select(i => $"w{i}")];

    private readonly RAMDirectory _directory = new();
    private readonly DirectoryReader _reader;

    public TermDisjunctionTests()
    {
        var random = new Random(7);
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48)) { MergePolicy = NoMergePolicy.COMPOUND_FILES };
        using (var writer = new IndexWriter(_directory, config))
        {
            // Segments of 5,000 (more than two scoring ranges), 300 and 40 documents: words of skewed frequency
            // (w0 in most documents, w59 in few), 1 to 40 words long, so scores and their sums vary.
            var id = 0;
            foreach (var size in new[] { 5000, 300, 40 })
            {
                for (var i = 0; i < size; i++, id++)
                {
                    var words = Enumerable.Range(0, 1 + random.Next(40)).Select(_ => Vocabulary[(int)(Vocabulary.Length * Math.Pow(random.NextDouble(), 2))]);
                    writer.AddDocument(new LuceneDocument
                    {
                        new StringField("id", $"d{id}", Field.Store.NO),
                        new SortedDocValuesField(LuceneFields.IdSort, new BytesRef($"d{random.Next(100_000):D6}-{id}")),
                        new TextField("body", string.Join(' ', words), Field.Store.NO),
                    });
                }

                writer.Commit();
            }

            for (var i = 0; i < id; i += 7)
            {
                writer.DeleteDocuments(new Term("id", $"d{i}"));
            }

            writer.Commit();
        }

        _reader = DirectoryReader.Open(_directory);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
    }

    [Theory]
    [InlineData(0.5f, false)]
    [InlineData(1f, false)]
    [InlineData(0.5f, true)]
    public void Scores_equal_the_boolean_querys_lucene_scores_bit_for_bit(float coordinationExponent, bool coordinationOff)
    {
        Assert.True(_reader.Leaves.Count == 3 && _reader.Leaves[0].AtomicReader.MaxDoc > 2 * TermDisjunction.Range && _reader.HasDeletions);
        var searcher = new IndexSearcher(_reader) { Similarity = new CoordinatedBm25Similarity(1.5f, 0.9f, coordinationExponent) };
        var random = new Random(11);
        var compared = 0;
        for (var q = 0; q < 150; q++)
        {
            var query = new BooleanQuery(disableCoord: coordinationOff);
            foreach (var word in Enumerable.Range(0, 2 + random.Next(9)).Select(_ => random.Next(12) == 0 ? "absent" : Vocabulary[random.Next(Vocabulary.Length)]).Distinct())
            {
                query.Add(new TermQuery(new Term("body", word)), Occur.SHOULD);
            }

            if (query.Clauses.Count < 2)
            {
                continue;
            }

            // Lucene: its bucket scorer (the collector takes documents in any order, as the window's does).
            var expected = new Dictionary<int, float>();
            searcher.Search(query, new Recorder(expected));

            var terms = new TermLookup(searcher.TopReaderContext, PostingsReuse.Begin(searcher.IndexReader.Leaves));
            var disjunction = TermDisjunction.Of(query, terms, searcher.Similarity);
            Assert.NotNull(disjunction);
            var collector = new WindowCollector(_reader.MaxDoc);
            disjunction.Score(searcher, terms, collector, default);
            var actual = collector.Window(new DocIds(_reader));

            Assert.Equal(expected.Count, collector.TotalHits);
            Assert.Equal(expected.Count, actual.Length);
            foreach (var (doc, score) in actual)
            {
                Assert.True(expected.TryGetValue(doc, out var lucene), $"{query}: document {doc} is not a match");
                Assert.True(
                    BitConverter.SingleToInt32Bits(lucene) == BitConverter.SingleToInt32Bits(score),
                    $"{query}, document {doc}: Lucene {lucene:R}, term disjunction {score:R}");
            }

            compared += actual.Length;
        }

        Assert.True(compared > 100_000, $"only {compared} scores compared");
    }

    [Fact]
    public void A_token_that_fires_stops_the_scoring_and_the_next_search_on_the_thread_is_unaffected()
    {
        var searcher = new IndexSearcher(_reader) { Similarity = new CoordinatedBm25Similarity(1.5f, 0.9f, 0.5f) };
        var query = new BooleanQuery { { new TermQuery(new Term("body", "w0")), Occur.SHOULD }, { new TermQuery(new Term("body", "w1")), Occur.SHOULD } };
        var terms = new TermLookup(searcher.TopReaderContext, PostingsReuse.Begin(searcher.IndexReader.Leaves));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => TermDisjunction.Of(query, terms, searcher.Similarity)!.Score(searcher, terms, new WindowCollector(10), cancelled.Token));

        var expected = new Dictionary<int, float>();
        searcher.Search(query, new Recorder(expected));
        var collector = new WindowCollector(_reader.MaxDoc);
        TermDisjunction.Of(query, terms, searcher.Similarity)!.Score(searcher, terms, collector, default);
        Assert.Equal(expected.Count, collector.TotalHits);
        Assert.All(collector.Window(new DocIds(_reader)), d => Assert.Equal(expected[d.Doc], d.Score));
    }

    [Fact]
    public void The_first_phase_of_a_question_is_a_term_disjunction_and_other_shapes_are_left_to_lucene()
    {
        var searcher = new IndexSearcher(_reader) { Similarity = new CoordinatedBm25Similarity(1.5f, 0.9f, 0.5f) };
        var terms = new TermLookup(searcher.TopReaderContext, PostingsReuse.Begin(searcher.IndexReader.Leaves));
        var builder = new LuceneQueryBuilder(new RankingOptions());
        var parser = new QueryParser(TextAnalyzer.Default, SynonymMap.Empty);
        TermDisjunction? Of(global::Lucene.Net.Search.Query query) => TermDisjunction.Of(query, terms, searcher.Similarity);

        Assert.NotNull(Of(builder.FirstPhase(parser.Parse("متى تأسست مدينة الرقة"), terms)));
        Assert.Null(Of(builder.FirstPhase(parser.Parse("الرقة"), terms))); // one word: Lucene rewrites it to its term
        Assert.Null(Of(builder.FirstPhase(parser.Parse("الرقة داعش -سوريا"), terms))); // an exclusion
        Assert.Null(Of(builder.FirstPhase(parser.Parse("\"دير الزور\" داعش"), terms))); // a phrase

        TermQuery Word(string word, float boost = 1f) => new(new Term("body", word)) { Boost = boost };
        Assert.Null(Of(new BooleanQuery { { Word("w1"), Occur.MUST }, { Word("w2"), Occur.SHOULD } }));
        Assert.Null(Of(new BooleanQuery { { Word("w1", 2f), Occur.SHOULD }, { Word("w2"), Occur.SHOULD } }));
        Assert.Null(Of(new BooleanQuery { { Word("w1"), Occur.SHOULD }, { Word("w2"), Occur.SHOULD } }.Also(b => b.Boost = 2f)));
        Assert.Null(Of(new BooleanQuery { { Word("w1"), Occur.SHOULD }, { Word("w2"), Occur.SHOULD } }.Also(b => b.MinimumNumberShouldMatch = 2)));
        Assert.Null(Of(new BooleanQuery { { Word("w1"), Occur.SHOULD }, { new BooleanQuery { { Word("w2"), Occur.SHOULD }, { Word("w3"), Occur.SHOULD } }, Occur.SHOULD } }));
        Assert.Null(Of(new FilteredQuery(new BooleanQuery { { Word("w1"), Occur.SHOULD }, { Word("w2"), Occur.SHOULD } }, new QueryWrapperFilter(Word("w3")))));
    }

    /// <summary>Every match and its score, taken in any order (so Lucene scores a disjunction with its bucket scorer).</summary>
    private sealed class Recorder(Dictionary<int, float> scores) : ICollector
    {
        private Scorer? _scorer;
        private int _docBase;

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer) => _scorer = scorer;

        public void SetNextReader(AtomicReaderContext context) => _docBase = context.DocBase;

        public void Collect(int doc) => scores.Add(_docBase + doc, _scorer!.GetScore());
    }
}

internal static class QueryExtensions
{
    public static BooleanQuery Also(this BooleanQuery query, Action<BooleanQuery> change)
    {
        change(query);
        return query;
    }
}
