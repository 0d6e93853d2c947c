using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Ar;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace TextSearch.Relevance;

/// <summary>
/// The baseline: BM25 with Lucene.NET's ArabicAnalyzer (the same chain as Elasticsearch's `arabic` analyzer),
/// title and text in one field, questions as OR queries of their analyzed terms.
/// </summary>
/// <param name="analyzer">The analysis chain.</param>
/// <param name="name">The name in reports.</param>
/// <param name="read">
/// The directory searches read through, around the folder the index was written to; by default the folder itself
/// (Lucene.NET's <c>FSDirectory.Open</c>, a memory-mapped directory on 64-bit Linux).
/// </param>
public sealed class Baseline(Analyzer analyzer, string name, Func<FSDirectory, Lucene.Net.Store.Directory>? read = null) : IDisposable
{
    private const string Text = "text";
    private const string Id = "id";
    private readonly string _path = Path.Combine(Path.GetTempPath(), "textsearch-eval", Guid.NewGuid().ToString("N"));
    private FSDirectory? _directory;
    private Lucene.Net.Store.Directory? _readDirectory;
    private DirectoryReader? _reader;
    private IndexSearcher? _searcher;

    public string Name { get; } = name;

    public static Baseline ArabicAnalyzer(Func<FSDirectory, Lucene.Net.Store.Directory>? read = null) =>
        new(new ArabicAnalyzer(LuceneVersion.LUCENE_48), "Baseline: ArabicAnalyzer (BM25)", read);

    public static Baseline StandardAnalyzer() =>
        new(new Lucene.Net.Analysis.Standard.StandardAnalyzer(LuceneVersion.LUCENE_48), "Baseline: StandardAnalyzer (BM25)");

    /// <summary>Plain Lucene's document: the id, and the title and body as one text field (not stored).</summary>
    public static LuceneDocument PlainDocument(string id, string title, string body) =>
    [
        new StringField(Id, id, Field.Store.YES),
        new TextField(Text, title + "\n" + body, Field.Store.NO),
    ];

    public void Index(IEnumerable<EvalDocument> documents)
    {
        _directory = FSDirectory.Open(new DirectoryInfo(_path));
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer) { Similarity = new BM25Similarity(), RAMBufferSizeMB = 64 };
        using (var writer = new IndexWriter(_directory, config))
        {
            foreach (var doc in documents)
            {
                writer.AddDocument(PlainDocument(doc.Id, doc.Title, doc.Body));
            }

            writer.Commit();
        }

        _readDirectory = read?.Invoke(_directory) ?? _directory;
        _reader = DirectoryReader.Open(_readDirectory);
        _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
    }

    public IReadOnlyList<string> Search(string question)
    {
        var query = new BooleanQuery();
        using (var stream = analyzer.GetTokenStream(Text, question))
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken())
            {
                query.Add(new TermQuery(new Term(Text, term.ToString())), Occur.SHOULD);
            }

            stream.End();
        }

        if (query.Clauses.Count == 0)
        {
            return [];
        }

        var top = _searcher!.Search(query, 10);
        return [.. top.ScoreDocs.Select(sd => _searcher.Doc(sd.Doc).Get(Id))];
    }

    public void Dispose()
    {
        _reader?.Dispose();
        if (_readDirectory != _directory)
        {
            _readDirectory?.Dispose();
        }

        _directory?.Dispose();
        analyzer.Dispose();
        if (System.IO.Directory.Exists(_path))
        {
            System.IO.Directory.Delete(_path, recursive: true);
        }
    }
}
