using System.Diagnostics;
using Grpc.Net.Client;
using TextSearch.Relevance;
using TextSearch.V1;

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
    public static async Task<int> RunAsync(Options opts, string serverDll)
    {
        // The corpus and the plain Lucene side are the relevance harness's (textsearch-eval): one definition of each.
        var set = Corpus.ReadSquad(opts.Require("qa"));
        var paragraphs = set.Paragraphs;
        var docs = paragraphs.Concat(Corpus.ReadJsonl(opts.Require("distractors"))).ToList();

        // A leading '-' would make the question an exclusion in our syntax: dropped, as a user would.
        var questions = set.Questions.Select(q => q.Text.TrimStart('-').Trim()).Where(q => q.Length > 0).ToList();
        var concurrencies = (opts.Get("concurrency") ?? "4,16").Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var seconds = opts.Int("seconds", 20);
        var snippets = opts.Int("snippets", 1);
        var extra = (opts.Get("set") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(s => new[] { "--" + s.Split('=', 2)[0], s.Split('=', 2)[1] }).ToArray();
        var work = Path.Combine(Path.GetTempPath(), "textsearch-perf", "anchor-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine($"corpus: {paragraphs.Count} QA paragraphs + {docs.Count - paragraphs.Count} distractors = {docs.Count} documents; {questions.Count} questions");
        try
        {
            // Ingestion: plain Lucene in-process (one writer, 64 MB buffer, one commit), then our server through one
            // gRPC bulk stream.
            using var plain = Baseline.ArabicAnalyzer();
            var watch = Stopwatch.StartNew();
            plain.Index(docs);
            var plainRate = docs.Count / watch.Elapsed.TotalSeconds;
            await using var server = await ServerHost.StartAsync(serverDll, Path.Combine(work, "server"), extra);
            using var channel = GrpcChannel.ForAddress(server.Address);
            var served = await IngestAsync(channel, docs);
            Console.WriteLine();
            Console.WriteLine("| What | Plain Lucene (ArabicAnalyzer, BM25) | TextSearch (gRPC) | Ratio |");
            Console.WriteLine("| --- | --- | --- | --- |");
            Console.WriteLine($"| Ingestion, documents/s | {plainRate:F0} | {served:F0} (one bulk stream) | **{served / plainRate:F2}×** |");

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

    private static async Task<double> IngestAsync(GrpcChannel channel, List<EvalDocument> docs)
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
