using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using TextSearch.Search.Lucene;
using TextSearch.Search.Paging;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace TextSearch.Search.Tests;

/// <summary>The first phase's window in one pass: the same documents, in the same order, as a sort by (score, id).</summary>
public sealed class WindowCollectorTests
{
    /// <summary>
    /// Documents whose scores take few values (the term 1 to 3 times), so ties are everywhere, in several segments, ids
    /// in an order unrelated to the documents' order.
    /// </summary>
    private static DirectoryReader Index(global::Lucene.Net.Store.Directory directory, int count, int seed)
    {
        var random = new Random(seed);
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48))))
        {
            for (var i = 0; i < count; i++)
            {
                var id = $"d{random.Next(1_000_000):D7}-{i}";
                writer.AddDocument(new LuceneDocument
                {
                    new SortedDocValuesField(LuceneFields.IdSort, new BytesRef(id)),
                    new TextField("body", string.Join(' ', Enumerable.Repeat("word", 1 + random.Next(3))) + (random.Next(4) == 0 ? " other" : string.Empty), Field.Store.NO),
                });
                if (i % 97 == 96)
                {
                    writer.Commit();
                }
            }
        }

        return DirectoryReader.Open(directory);
    }

    private static List<(int Doc, string Id)> Expected(IndexSearcher searcher, global::Lucene.Net.Search.Query query, int size)
    {
        var sort = new Sort(SortField.FIELD_SCORE, new SortField(LuceneFields.IdSort, SortFieldType.STRING));
        var top = searcher.Search(query, null, size, sort, doDocScores: true, doMaxScore: false);
        return [.. top.ScoreDocs.Select(sd => (sd.Doc, ((BytesRef)((FieldDoc)sd).Fields[1]).Utf8ToString()))];
    }

    [Theory]
    [InlineData(1, 50, 1)]
    [InlineData(3, 50, 2)]
    [InlineData(10, 1000, 3)] // more candidates than 8 × the window: pruned on the way
    [InlineData(200, 1000, 4)]
    [InlineData(200, 150, 5)] // fewer matches than the window
    public void The_window_is_the_best_by_score_then_id_even_across_ties(int size, int count, int seed)
    {
        using var directory = new RAMDirectory();
        using var reader = Index(directory, count, seed);
        var searcher = new IndexSearcher(reader);
        var query = new TermQuery(new Term("body", "word"));
        var collector = new WindowCollector(size);
        searcher.Search(query, collector);

        var ids = new DocIds(reader);
        var window = collector.Window(ids);
        Assert.Equal(count, collector.TotalHits);
        Assert.Equal(Expected(searcher, query, size), [.. window.Select(w => (w.Doc, ids.Of(w.Doc)))]);
        Assert.True(window.Zip(window.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Theory]
    [InlineData(3, 90, false)]
    [InlineData(3, 1000, true)]
    public void Ties_far_more_than_the_window_are_left_to_the_exact_sort(int size, int count, bool overflows)
    {
        // Every match scores alike (a constant score, as an exclusion alone gets): the window is a question of ids.
        using var directory = new RAMDirectory();
        using var reader = Index(directory, count, seed: 7);
        var searcher = new IndexSearcher(reader);
        var query = new ConstantScoreQuery(new TermQuery(new Term("body", "word")));
        var collector = new WindowCollector(size);
        searcher.Search(query, collector);

        Assert.Equal(count, collector.TotalHits);
        Assert.Equal(overflows, collector.Overflowed);
        if (!overflows)
        {
            var ids = new DocIds(reader);
            Assert.Equal(Expected(searcher, query, size), [.. collector.Window(ids).Select(w => (w.Doc, ids.Of(w.Doc)))]);
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => collector.Window(new DocIds(reader)));
        }
    }

    [Theory]
    [InlineData(40, 11, int.MaxValue)]
    [InlineData(500, 12, int.MaxValue)]
    [InlineData(500, 13, 37)]
    public void Scores_then_ids_read_for_ties_only_order_as_the_full_sort(int count, int seed, int needed)
    {
        // Scores of few values over documents in several segments: most runs tie, and ids are in no document order.
        using var directory = new RAMDirectory();
        using var reader = Index(directory, count, seed);
        var random = new Random(seed);
        var items = Enumerable.Range(0, reader.MaxDoc).Select(doc => new WindowDoc(doc, random.Next(4) / 2f)).ToList();
        var ids = new DocIds(reader);
        var expected = items.OrderByDescending(w => w.Score).ThenBy(w => ids.Of(w.Doc), Comparer<string>.Create(IdOrder.Compare)).ToList();

        ids.SortByScoreThenId(items, needed);

        // The first places in exact order; past them (when fewer are needed), still by score.
        var exact = Math.Min(needed, count);
        Assert.Equal(expected.Take(exact), items.Take(exact));
        Assert.Equal(expected.Select(w => w.Score), items.Select(w => w.Score));
        Assert.Equal(expected.Select(w => w.Doc).Order(), items.Select(w => w.Doc).Order());
    }
}
