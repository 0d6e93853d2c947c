using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using TextSearch.Search.Lucene;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace TextSearch.Search.Tests;

/// <summary>A thread's next search takes back the postings and terms enumerators of its last, and they read the new terms right.</summary>
public sealed class PostingsReuseTests
{
    private static List<int> Read(DocsEnum docs)
    {
        var found = new List<int>();
        for (var doc = docs.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.NextDoc())
        {
            found.Add(doc);
        }

        return found;
    }

    private static TermsEnum On(AtomicReaderContext leaf, string text, string field = "body")
    {
        var terms = leaf.AtomicReader.GetTerms(field)!.GetEnumerator();
        Assert.True(terms.SeekExact(new BytesRef(text)));
        return terms;
    }

    private static DirectoryReader Index(RAMDirectory directory, params string[] bodies)
    {
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48))))
        {
            foreach (var body in bodies)
            {
                writer.AddDocument(new LuceneDocument { new TextField("body", body, Field.Store.NO) });
            }
        }

        return DirectoryReader.Open(directory);
    }

    [Fact]
    public void The_enumerators_of_a_segment_no_longer_searched_are_let_go()
    {
        using var oldDirectory = new RAMDirectory();
        using var newDirectory = new RAMDirectory();
        using var old = Index(oldDirectory, "a b", "a");
        using var merged = Index(newDirectory, "a", "a b", "b");

        var kept = PostingsReuse.Begin(old.Leaves).Docs(old.Leaves[0], "body", On(old.Leaves[0], "a"), null);
        var keptTerms = PostingsReuse.Begin(old.Leaves).Terms(old.Leaves[0], "body");
        Assert.Same(kept, PostingsReuse.Begin(old.Leaves).Docs(old.Leaves[0], "body", On(old.Leaves[0], "a"), null));
        Assert.Same(keptTerms, PostingsReuse.Begin(old.Leaves).Terms(old.Leaves[0], "body"));

        // Searches of the index after a merge: its one segment is new, and the old one's enumerators are let go.
        Assert.Equal([0, 1], Read(PostingsReuse.Begin(merged.Leaves).Docs(merged.Leaves[0], "body", On(merged.Leaves[0], "a"), null)));
        PostingsReuse.Begin(merged.Leaves);
        Assert.NotSame(kept, PostingsReuse.Begin(old.Leaves).Docs(old.Leaves[0], "body", On(old.Leaves[0], "a"), null));
        Assert.NotSame(keptTerms, PostingsReuse.Begin(old.Leaves).Terms(old.Leaves[0], "body"));
    }

    [Fact]
    public void A_search_takes_back_the_last_searchs_terms_enumerators_and_they_find_any_term_after_any_other()
    {
        using var directory = new RAMDirectory();
        using var reader = Index(directory, "a b", "b", "a c", "c b");
        var leaf = reader.Leaves[0];
        var terms = PostingsReuse.Begin(reader.Leaves).Terms(leaf, "body");
        Assert.NotNull(terms);
        Assert.Null(PostingsReuse.Begin(reader.Leaves).Terms(leaf, "title")); // a field the segment lacks

        // Searches one after the other look terms up through the thread's one enumerator, wherever the last left it.
        foreach (var (text, docFreq) in new[] { ("c", 2), ("a", 2), ("b", 3), ("a", 2), ("z", 0) })
        {
            var lookup = new TermLookup(reader.Context, PostingsReuse.Begin(reader.Leaves));
            Assert.Equal(docFreq, lookup.Context("body", text).DocFreq);
            Assert.Same(terms, lookup.Terms(leaf, "body"));
        }

        // A search after a lookup that found nothing still positions the enumerator on its term from the term's state.
        var last = new TermLookup(reader.Context, PostingsReuse.Begin(reader.Leaves));
        var b = new Term("body", "b");
        var positioned = last.Seek(leaf, b, last.Context("body", "b"));
        Assert.Same(terms, positioned);
        Assert.Equal([0, 1, 3], Read(positioned!.Docs(null, null)));
    }

    [Fact]
    public void Enumerators_are_taken_back_by_field_whatever_order_a_search_asks_for_them_in()
    {
        // Two fields indexed differently (the postings reader takes an enumerator back only for a field like its own).
        using var directory = new RAMDirectory();
        var exactType = new FieldType(TextField.TYPE_NOT_STORED) { IndexOptions = IndexOptions.DOCS_AND_FREQS };
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48))))
        {
            foreach (var text in new[] { "a b", "b", "a" })
            {
                writer.AddDocument(new LuceneDocument { new TextField("body", text, Field.Store.NO), new Field("exact", text, exactType) });
            }
        }

        using var reader = DirectoryReader.Open(directory);
        var leaf = reader.Leaves[0];

        var reuse = PostingsReuse.Begin(reader.Leaves);
        var exact = reuse.Docs(leaf, "exact", On(leaf, "a", "exact"), null);
        var body = reuse.Docs(leaf, "body", On(leaf, "a", "body"), null);

        // The next search asks for the body first: it gets the body's enumerator, not the first one kept.
        reuse = PostingsReuse.Begin(reader.Leaves);
        var bodyAgain = reuse.Docs(leaf, "body", On(leaf, "b", "body"), null);
        var exactAgain = reuse.Docs(leaf, "exact", On(leaf, "b", "exact"), null);
        Assert.Same(body, bodyAgain);
        Assert.Same(exact, exactAgain);
        Assert.Equal([0, 1], Read(bodyAgain));
        Assert.Equal([0, 1], Read(exactAgain));
    }

    [Fact]
    public void A_search_takes_back_the_last_searchs_enumerators_and_a_search_never_shares_one()
    {
        using var directory = new RAMDirectory();
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48))))
        {
            foreach (var (id, body) in new[] { ("0", "a b"), ("1", "b"), ("2", "a c"), ("3", "c b") })
            {
                writer.AddDocument(new LuceneDocument { new StringField("id", id, Field.Store.NO), new TextField("body", body, Field.Store.NO) });
            }
        }

        using var reader = DirectoryReader.Open(directory);
        var leaf = reader.Leaves[0];
        var reuse = PostingsReuse.Begin(reader.Leaves);
        var a = reuse.Docs(leaf, "body", On(leaf, "a"), null);
        var b = reuse.Docs(leaf, "body", On(leaf, "b"), null);
        Assert.NotSame(a, b);
        Assert.Equal([0, 2], Read(a));
        Assert.Equal([0, 1, 3], Read(b));

        // The next search: the same two enumerators, reset to other terms.
        reuse = PostingsReuse.Begin(reader.Leaves);
        var c = reuse.Docs(leaf, "body", On(leaf, "c"), null);
        var again = reuse.Docs(leaf, "body", On(leaf, "b"), null);
        Assert.Same(a, c);
        Assert.Same(b, again);
        Assert.Equal([2, 3], Read(c));
        Assert.Equal([0, 1, 3], Read(again));

        // Positions likewise, and deleted documents are left out by the live documents given.
        var positions = PostingsReuse.Begin(reader.Leaves).Positions(leaf, "body", On(leaf, "b"), null);
        Assert.Equal(0, positions.NextDoc());
        Assert.Equal(1, positions.NextPosition());
        var live = new FixedBitSet(reader.MaxDoc);
        live.Set(0, reader.MaxDoc);
        live.Clear(1);
        var reused = PostingsReuse.Begin(reader.Leaves).Positions(leaf, "body", On(leaf, "b"), live);
        Assert.Same(positions, reused);
        Assert.Equal(0, reused.NextDoc());
        Assert.Equal(3, reused.NextDoc());
        Assert.Equal(1, reused.NextPosition());
    }
}
