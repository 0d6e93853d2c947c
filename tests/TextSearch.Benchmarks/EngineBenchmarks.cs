using System.IO.Compression;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Lucene.Net.Analysis.Ar;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search;
using TextSearch.Search.Lucene;
using TextSearch.Search.Query;
using TextSearch.Search.Snippets;
using SearchDocument = TextSearch.Search.Document;

namespace TextSearch.Benchmarks;

/// <summary>Documents (title and body) from the same corpus the other suites read.</summary>
internal static class EngineCorpus
{
    public const int Documents = 2000;

    public static IReadOnlyList<SearchDocument> Load(int count = Documents)
    {
        using var file = File.OpenRead(Corpus.ResolvePath());
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var docs = new List<SearchDocument>(count);
        while (docs.Count < count && reader.ReadLine() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            docs.Add(new SearchDocument { Id = root.GetProperty("id").GetString()!, Title = root.GetProperty("title").GetString() ?? "", Body = root.GetProperty("body").GetString() ?? "" });
        }

        return docs;
    }

    /// <summary>Queries: the titles' first words, the way users search news (two to four words each).</summary>
    public static string[] Queries(IReadOnlyList<SearchDocument> docs) =>
        [.. docs.Where((_, i) => i % 10 == 0)
            .Select(d => string.Join(' ', d.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2 + (d.Title.Length % 3))))
            .Where(q => q.Length > 0)];
}

/// <summary>
/// Indexing at the engine level: 2,000 articles into a fresh index on disk, with our engine (its schema and the
/// analysis core) and, for reference, plain Lucene.NET with ArabicAnalyzer and one field.
/// </summary>
[MemoryDiagnoser]
public class IndexingBenchmarks
{
    private IReadOnlyList<SearchDocument> _docs = [];
    private string _root = "";

    [GlobalSetup]
    public void Setup()
    {
        _docs = EngineCorpus.Load();
        _root = Path.Combine(Path.GetTempPath(), "textsearch-bench", Guid.NewGuid().ToString("N"));
    }

    [GlobalCleanup]
    public void Cleanup() => System.IO.Directory.Delete(_root, recursive: true);

    [Benchmark(Description = "TextSearch engine (UpsertAsync, batches of 500)")]
    public async Task Engine()
    {
        await using var backend = new LuceneBackend(new LuceneOptions { IndexPath = NewDir() }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance);
        for (var i = 0; i < _docs.Count; i += 500)
        {
            await backend.UpsertAsync([.. _docs.Skip(i).Take(500)], default);
        }
    }

    [Benchmark(Baseline = true, Description = "Lucene.NET ArabicAnalyzer, one field")]
    public void LuceneArabic()
    {
        using var dir = FSDirectory.Open(new DirectoryInfo(NewDir()));
        using var writer = new IndexWriter(dir, new IndexWriterConfig(LuceneVersion.LUCENE_48, new ArabicAnalyzer(LuceneVersion.LUCENE_48)) { Similarity = new BM25Similarity() });
        foreach (var d in _docs)
        {
            writer.AddDocument(new Lucene.Net.Documents.Document { new StringField("id", d.Id, Field.Store.YES), new TextField("text", d.Title + "\n" + d.Body, Field.Store.YES) });
        }

        writer.Commit();
    }

    private string NewDir() => Path.Combine(_root, Guid.NewGuid().ToString("N"));
}

/// <summary>
/// Search at the engine level over the same 2,000 articles: the engine's ranked query (no snippets), the same with
/// snippets cut for the 10 hits, and plain Lucene.NET with ArabicAnalyzer for reference. One call = all queries.
/// </summary>
[MemoryDiagnoser]
public class SearchBenchmarks
{
    private LuceneBackend? _backend;
    private SearchEngine? _engine;
    private SearchQuery[] _parsed = [];
    private string[] _queries = [];
    private FSDirectory? _plainDir;
    private DirectoryReader? _plainReader;
    private IndexSearcher? _plainSearcher;
    private ArabicAnalyzer? _arabic;
    private string _root = "";

    [GlobalSetup]
    public async Task Setup()
    {
        var docs = EngineCorpus.Load();
        _queries = EngineCorpus.Queries(docs);
        _root = Path.Combine(Path.GetTempPath(), "textsearch-bench", Guid.NewGuid().ToString("N"));
        _backend = new LuceneBackend(new LuceneOptions { IndexPath = Path.Combine(_root, "engine") }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance);
        await _backend.UpsertAsync(docs, default);
        var parser = new QueryParser(TextAnalyzer.Default, SynonymMap.Empty);
        _engine = new SearchEngine(_backend, parser, new SnippetBuilder(TextAnalyzer.Default));
        _parsed = [.. _queries.Select(parser.Parse)];

        _arabic = new ArabicAnalyzer(LuceneVersion.LUCENE_48);
        _plainDir = FSDirectory.Open(new DirectoryInfo(Path.Combine(_root, "plain")));
        using (var writer = new IndexWriter(_plainDir, new IndexWriterConfig(LuceneVersion.LUCENE_48, _arabic) { Similarity = new BM25Similarity() }))
        {
            foreach (var d in docs)
            {
                writer.AddDocument(new Lucene.Net.Documents.Document { new StringField("id", d.Id, Field.Store.YES), new TextField("text", d.Title + "\n" + d.Body, Field.Store.YES) });
            }
        }

        _plainReader = DirectoryReader.Open(_plainDir);
        _plainSearcher = new IndexSearcher(_plainReader) { Similarity = new BM25Similarity() };
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _backend!.DisposeAsync();
        _plainReader!.Dispose();
        _plainDir!.Dispose();
        System.IO.Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Description = "TextSearch engine, ranked top 10")]
    public async Task<long> Engine()
    {
        long total = 0;
        foreach (var q in _parsed)
        {
            total += (await _backend!.SearchAsync(q, 10, null, default)).TotalHits;
        }

        return total;
    }

    [Benchmark(Description = "TextSearch engine, top 10 with snippets")]
    public async Task<long> EngineWithSnippets()
    {
        long total = 0;
        foreach (var q in _queries)
        {
            total += (await _engine!.SearchAsync(new SearchRequestModel(q), default)).TotalHits;
        }

        return total;
    }

    [Benchmark(Baseline = true, Description = "Lucene.NET ArabicAnalyzer, one field, top 10")]
    public long LuceneArabic()
    {
        long total = 0;
        foreach (var q in _queries)
        {
            var query = new BooleanQuery();
            using var stream = _arabic!.GetTokenStream("text", q);
            var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken())
            {
                query.Add(new TermQuery(new Term("text", term.ToString())), Lucene.Net.Search.Occur.SHOULD);
            }

            stream.End();
            var top = _plainSearcher!.Search(query, 10);
            foreach (var sd in top.ScoreDocs)
            {
                _plainSearcher.Doc(sd.Doc);
            }

            total += top.TotalHits;
        }

        return total;
    }
}
