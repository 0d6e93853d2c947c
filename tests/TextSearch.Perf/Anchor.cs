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
/// Search is measured at steady state on a quiet machine: after the ingestion, the server's background merge is waited
/// for (its process idle), each side is warmed up for <c>--warmup</c> seconds (20 by default; a .NET server's throughput
/// keeps rising for about 20 s under load while the JIT recompiles its hot code), and then the two sides are measured in
/// alternation, <c>--rounds</c> times (3) for <c>--seconds</c> each, so that the machine's drift falls on both.
/// Plain Lucene's index is read through the same memory-mapped directory as ours (<c>--plain-store mapped</c>, the
/// default), so that the ratio compares ranking and service, not storage: Lucene.NET's own <c>MMapDirectory</c>
/// (<c>--plain-store lucene</c>) registers every input clone in a weak table, whose growth makes each garbage
/// collection slower the longer the process searches.
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
        // --concurrency none: ingestion only.
        var concurrencyList = opts.Get("concurrency") ?? "4,16";
        var concurrencies = concurrencyList is "none"
            ? []
            : concurrencyList.Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var seconds = opts.Int("seconds", 20);
        var snippets = opts.Int("snippets", 1);
        var warmup = opts.Int("warmup", 20);
        var rounds = opts.Int("rounds", 3);
        var extra = (opts.Get("set") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(s => new[] { "--" + s.Split('=', 2)[0], s.Split('=', 2)[1] }).ToArray();
        var work = Path.Combine(Path.GetTempPath(), "textsearch-perf", "anchor-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine($"corpus: {paragraphs.Count} QA paragraphs + {docs.Count - paragraphs.Count} distractors = {docs.Count} documents; {questions.Count} questions");
        try
        {
            // Ingestion: plain Lucene in-process (one writer, 64 MB buffer, one commit), then our server through one
            // gRPC bulk stream.
            var plainStore = opts.Get("plain-store") ?? "mapped";
            using var plain = plainStore switch
            {
                "mapped" => Baseline.ArabicAnalyzer(fs => new TextSearch.Search.Lucene.MappedDirectory(fs)),
                "lucene" => Baseline.ArabicAnalyzer(),
                _ => throw new MissingOptionException("--plain-store is mapped (the default) or lucene"),
            };
            Console.WriteLine($"plain Lucene reads its index through {(plainStore == "mapped" ? "our memory-mapped directory" : "Lucene.NET's FSDirectory.Open")}");
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

            // The bulk's background merge must not run during either side's measurement.
            if (concurrencies.Length > 0)
            {
                await WaitIdleAsync(server.ProcessId, TimeSpan.FromMinutes(3));
            }

            var search = new SearchService.SearchServiceClient(channel);
            foreach (var concurrency in concurrencies)
            {
                // Warm both, then measure them in alternation (plain, ours, plain, ours, ...), so that a drift in the
                // machine's speed falls on both sides alike.
                Task Plain(int i)
                {
                    plain.Search(questions[i % questions.Count]);
                    return Task.CompletedTask;
                }

                Task Ours(int i) => Served(search, questions[i % questions.Count], snippets);
                await Load.RunAsync(warmup, concurrency, Plain);
                await Load.RunAsync(warmup, concurrency, Ours);
                var plainRounds = new List<Load.Result>();
                var ourRounds = new List<Load.Result>();
                for (var round = 0; round < rounds; round++)
                {
                    plainRounds.Add(await Load.RunAsync(seconds, concurrency, Plain));
                    ourRounds.Add(await Load.RunAsync(seconds, concurrency, Ours));
                }

                var p = Load.Result.Combine(plainRounds);
                var s = Load.Result.Combine(ourRounds);
                Console.WriteLine($"| Search at {concurrency} concurrent, queries/s | {p.PerSecond:F0} (p50 {p.P50:F2} ms, p99 {p.P99:F2} ms) | {s.PerSecond:F0} (p50 {s.P50:F2} ms, p99 {s.P99:F2} ms, p99/p50 {s.P99 / s.P50:F1}, {s.Errors} errors) | **{s.PerSecond / p.PerSecond:F2}×** |");
                Console.Error.WriteLine($"search at {concurrency}, round by round (plain / ours queries/s): " + string.Join(", ", plainRounds.Zip(ourRounds, (a, b) => FormattableString.Invariant($"{a.PerSecond:F0} / {b.PerSecond:F0} = {b.PerSecond / a.PerSecond:F2}×"))));
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

    /// <summary>
    /// Waits until the process has used less than a tenth of a core for two seconds in a row (its background work is
    /// done), or the timeout passes.
    /// </summary>
    private static async Task WaitIdleAsync(int pid, TimeSpan timeout)
    {
        using var process = Process.GetProcessById(pid);
        var watch = Stopwatch.StartNew();
        var quietSeconds = 0;
        var before = process.TotalProcessorTime;
        while (watch.Elapsed < timeout && quietSeconds < 2)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            process.Refresh();
            var now = process.TotalProcessorTime;
            quietSeconds = (now - before).TotalSeconds < 0.1 ? quietSeconds + 1 : 0;
            before = now;
        }

        Console.Error.WriteLine(quietSeconds < 2
            ? $"the server was still busy {timeout.TotalSeconds:F0} s after the ingestion; measuring anyway"
            : $"the server was idle {watch.Elapsed.TotalSeconds:F0} s after the ingestion");
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
    /// <summary>What one run measured: the calls that succeeded, their latencies in ms (sorted), the errors.</summary>
    public sealed record Result(double Seconds, double[] Latencies, int Errors)
    {
        public double PerSecond => Latencies.Length / Seconds;

        public double P50 => Percentile(0.5);

        public double P99 => Percentile(0.99);

        /// <summary>Several runs as one: their calls over their summed time.</summary>
        public static Result Combine(IReadOnlyList<Result> runs) =>
            new(runs.Sum(r => r.Seconds), [.. runs.SelectMany(r => r.Latencies).Order()], runs.Sum(r => r.Errors));

        private double Percentile(double q) => Latencies.Length == 0 ? 0 : Latencies[Math.Min(Latencies.Length - 1, (int)(Latencies.Length * q))];
    }

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
        return new Result(watch.Elapsed.TotalSeconds, [.. latencies.SelectMany(l => l).Order()], errors);
    }
}
