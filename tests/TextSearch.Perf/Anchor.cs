using System.Diagnostics;
using System.Text.Json;
using Grpc.Net.Client;
using Lucene.Net.Analysis.Ar;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using TextSearch.Search.Ingestion;
using TextSearch.V1;
using LuceneDocument = Lucene.Net.Documents.Document;
using SearchDocument = TextSearch.Search.Document;

namespace TextSearch.Perf;

/// <summary>
/// The anchor: what a user would run instead. Plain Lucene.NET with <c>ArabicAnalyzer</c> and BM25 (Elasticsearch's
/// <c>arabic</c> chain, title and text in one field, in-process) against our server (its own process, through gRPC),
/// on the same corpus and questions, back to back in one run, so every number is also a ratio:
/// <list type="bullet">
/// <item>ingestion: plain Lucene indexing (one writer, one commit) against one BulkUpsertDocuments stream;</item>
/// <item>search, for each concurrency: plain Lucene with that many threads (top 10, no snippets) against that many
/// concurrent Search calls (10 hits, one snippet each), queries/s and latency percentiles.</item>
/// </list>
/// </summary>
internal static class Anchor
{
    private const string Text = "text";
    private const string Id = "id";

    public static async Task<int> RunAsync(Options opts, string serverDll)
    {
        var (paragraphs, questions) = ReadSquad(opts.Require("qa"));
        var docs = paragraphs.Concat(JsonlCorpus.Read(opts.Require("distractors"))).ToList();
        var concurrencies = (opts.Get("concurrency") ?? "4,16").Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var seconds = opts.Int("seconds", 20);
        var snippets = opts.Int("snippets", 1);
        var extra = (opts.Get("set") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(s => new[] { "--" + s.Split('=', 2)[0], s.Split('=', 2)[1] }).ToArray();
        var work = Path.Combine(Path.GetTempPath(), "textsearch-perf", "anchor-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine($"corpus: {paragraphs.Count} QA paragraphs + {docs.Count - paragraphs.Count} distractors = {docs.Count} documents; {questions.Count} questions");
        try
        {
            // Ingestion: plain Lucene in-process, then our server through one gRPC bulk stream.
            var plainRate = IndexPlain(docs, Path.Combine(work, "plain"));
            await using var server = await ServerHost.StartAsync(serverDll, Path.Combine(work, "server"), extra);
            using var channel = GrpcChannel.ForAddress(server.Address);
            var served = await IngestAsync(channel, docs);
            Console.WriteLine();
            Console.WriteLine("| What | Plain Lucene (ArabicAnalyzer, BM25) | TextSearch (gRPC) | Ratio |");
            Console.WriteLine("| --- | --- | --- | --- |");
            Console.WriteLine($"| Ingestion, documents/s | {plainRate:F0} | {served:F0} (one bulk stream) | **{served / plainRate:F2}×** |");

            using var plain = new PlainSearcher(Path.Combine(work, "plain"));
            var search = new SearchService.SearchServiceClient(channel);
            foreach (var concurrency in concurrencies)
            {
                // Warm both, then measure plain and served back to back.
                await Load.RunAsync(Math.Min(3, seconds), concurrency, i => { plain.Search(questions[i % questions.Count]); return Task.CompletedTask; });
                var p = await Load.RunAsync(seconds, concurrency, i => { plain.Search(questions[i % questions.Count]); return Task.CompletedTask; });
                await Load.RunAsync(Math.Min(3, seconds), concurrency, i => Served(search, questions[i % questions.Count], snippets));
                var s = await Load.RunAsync(seconds, concurrency, i => Served(search, questions[i % questions.Count], snippets));
                Console.WriteLine($"| Search at {concurrency} concurrent, queries/s | {p.PerSecond:F0} (p50 {p.P50:F2} ms, p99 {p.P99:F2} ms) | {s.PerSecond:F0} (p50 {s.P50:F2} ms, p99 {s.P99:F2} ms, p99/p50 {s.P99 / s.P50:F1}, {s.Errors} errors) | **{s.PerSecond / p.PerSecond:F2}×** |");
            }
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        return 0;
    }

    private static Task Served(SearchService.SearchServiceClient search, string question, int snippets) =>
        search.SearchAsync(new SearchRequest { Query = question, PageSize = 10, MaxSnippets = snippets }).ResponseAsync;

    private static double IndexPlain(List<SearchDocument> docs, string path)
    {
        var analyzer = new ArabicAnalyzer(LuceneVersion.LUCENE_48);
        var watch = Stopwatch.StartNew();
        using (var directory = FSDirectory.Open(new DirectoryInfo(path)))
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer) { Similarity = new BM25Similarity(), RAMBufferSizeMB = 64 }))
        {
            foreach (var doc in docs)
            {
                writer.AddDocument(new LuceneDocument
                {
                    new StringField(Id, doc.Id, Field.Store.YES),
                    new TextField(Text, doc.Title + "\n" + doc.Body, Field.Store.NO),
                });
            }

            writer.Commit();
        }

        return docs.Count / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> IngestAsync(GrpcChannel channel, List<SearchDocument> docs)
    {
        var client = new DocumentService.DocumentServiceClient(channel);
        var watch = Stopwatch.StartNew();
        using var call = client.BulkUpsertDocuments();
        foreach (var doc in docs)
        {
            await call.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new V1.Document { Id = doc.Id, Title = doc.Title, Body = doc.Body } });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call;
        if (response.Upserted != docs.Count)
        {
            throw new InvalidOperationException($"the server stored {response.Upserted} of {docs.Count} documents");
        }

        return docs.Count / watch.Elapsed.TotalSeconds;
    }

    private static (List<SearchDocument> Paragraphs, List<string> Questions) ReadSquad(string path)
    {
        using var stream = File.OpenRead(path);
        using var json = JsonDocument.Parse(stream);
        var paragraphs = new List<SearchDocument>();
        var questions = new List<string>();
        foreach (var article in json.RootElement.GetProperty("data").EnumerateArray())
        {
            var title = article.TryGetProperty("title", out var t) ? t.GetString() ?? string.Empty : string.Empty;
            foreach (var paragraph in article.GetProperty("paragraphs").EnumerateArray())
            {
                paragraphs.Add(new SearchDocument { Id = $"qa-{paragraphs.Count:D5}", Title = title, Body = paragraph.GetProperty("context").GetString() ?? string.Empty });
                questions.AddRange(paragraph.GetProperty("qas").EnumerateArray()
                    .Select(q => q.GetProperty("question").GetString()?.Trim().TrimStart('-').Trim() ?? string.Empty).Where(q => q.Length > 0));
            }
        }

        return (paragraphs, questions);
    }

    /// <summary>Plain Lucene search: the question's ArabicAnalyzer terms OR'ed, BM25, top 10 with their stored ids.</summary>
    private sealed class PlainSearcher : IDisposable
    {
        private readonly ArabicAnalyzer _analyzer = new(LuceneVersion.LUCENE_48);
        private readonly FSDirectory _directory;
        private readonly DirectoryReader _reader;
        private readonly IndexSearcher _searcher;

        public PlainSearcher(string path)
        {
            _directory = FSDirectory.Open(new DirectoryInfo(path));
            _reader = DirectoryReader.Open(_directory);
            _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
        }

        public int Search(string question)
        {
            var query = new BooleanQuery();
            using (var stream = _analyzer.GetTokenStream(Text, question))
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
                return 0;
            }

            var hits = 0;
            foreach (var sd in _searcher.Search(query, 10).ScoreDocs)
            {
                hits += _searcher.Doc(sd.Doc).Get(Id).Length > 0 ? 1 : 0;
            }

            return hits;
        }

        public void Dispose()
        {
            _reader.Dispose();
            _directory.Dispose();
            _analyzer.Dispose();
        }
    }
}

/// <summary>A closed-loop load: N workers each run the next call as soon as theirs returns, for a while.</summary>
internal static class Load
{
    public sealed record Result(double PerSecond, double P50, double P99, int Errors);

    public static async Task<Result> RunAsync(int seconds, int workers, Func<int, Task> call)
    {
        var latencies = new List<double>[workers];
        var errors = 0;
        var next = -1;
        var until = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = [];
            while (Stopwatch.GetTimestamp() < until)
            {
                var i = Interlocked.Increment(ref next);
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await call(i);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                catch (Grpc.Core.RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return all.Length == 0
            ? new Result(0, 0, 0, errors)
            : new Result(all.Length / watch.Elapsed.TotalSeconds, all[all.Length / 2], all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))], errors);
    }
}
