using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Perf;
using TextSearch.Search;
using TextSearch.Search.Ingestion;
using TextSearch.Search.Lucene;
using TextSearch.Search.Query;
using TextSearch.V1;

// textsearch-perf MODE [options]; see tests/TextSearch.Perf/README in docs/performance.md.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 0 || args[0] == "help" || args.Any(a => a is "--help" or "-h"))
{
    Usage(args.Length == 0 ? Console.Error : Console.Out);
    return args.Length == 0 ? 2 : 0;
}

var opts = Options.Parse(args);
var repo = FindRepo();
try
{
    var serverDll = opts.Get("server-dll") ?? ServerHost.DefaultServerDll(repo);
    switch (opts.Mode)
    {
        case "anchor":
            return await Anchor.RunAsync(opts, serverDll);

        case "fields":
            return FieldCost.Run(opts);

        case "generate":
            {
                var real = JsonlCorpus.Read(opts.Require("corpus")).ToList();
                var count = opts.Int("count", real.Count);
                var watch = Stopwatch.StartNew();
                JsonlCorpus.Write(opts.Require("out"), CorpusGenerator.Expand(real, count));
                Console.WriteLine($"wrote {count} documents to {opts.Require("out")} in {watch.Elapsed.TotalSeconds:F1} s");
                return 0;
            }

        case "ingest":
            {
                var docs = JsonlCorpus.Read(opts.Require("corpus"), opts.Int("limit", int.MaxValue)).ToList();
                var bytes = docs.Sum(CorpusFile.TextBytes);
                var work = opts.Get("work") ?? Path.Combine(Path.GetTempPath(), "textsearch-perf", Guid.NewGuid().ToString("N"));
                Console.WriteLine($"corpus: {docs.Count} documents, {bytes / 1e6:F1} MB of text (UTF-8)");

                // 1. Plain Lucene.NET in-process: the same schema and analyzer, one IndexWriter, one commit.
                var reference = Path.Combine(work, "reference");
                var schema = new LuceneSchema(new RankingOptions(), TextAnalyzer.Default);
                var watch = Stopwatch.StartNew();
                using (var dir = FSDirectory.Open(new DirectoryInfo(reference)))
                using (var writer = new IndexWriter(dir, new IndexWriterConfig(LuceneVersion.LUCENE_48, schema.IndexAnalyzer) { RAMBufferSizeMB = 64, Similarity = schema.Similarity }))
                {
                    foreach (var doc in docs)
                    {
                        writer.UpdateDocument(new Term(LuceneFields.Id, doc.Id), schema.ToLucene(doc));
                    }

                    writer.Commit();
                }

                var inProcess = watch.Elapsed;
                Report("in-process Lucene.NET (same analyzer)", docs.Count, bytes, inProcess, DirSize(reference));

                // 2. Through the service: BulkUpsertDocuments to the Release server in its own process.
                var served = Path.Combine(work, "served");
                await using (var server = await ServerHost.StartAsync(serverDll, served))
                {
                    using var channel = GrpcChannel.ForAddress(server.Address);
                    var client = new DocumentService.DocumentServiceClient(channel);
                    watch.Restart();
                    using var call = client.BulkUpsertDocuments();
                    foreach (var doc in docs)
                    {
                        await call.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new TextSearch.V1.Document { Id = doc.Id, Title = doc.Title, Body = doc.Body, Source = doc.Source } });
                    }

                    await call.RequestStream.CompleteAsync();
                    var response = await call;
                    var viaGrpc = watch.Elapsed;
                    Report("gRPC BulkUpsertDocuments (server process)", response.Upserted, bytes, viaGrpc, DirSize(served));
                    Console.WriteLine($"ratio gRPC / in-process: {inProcess.TotalSeconds / viaGrpc.TotalSeconds:P0} (target >= 70%); failures: {response.Failures.Count}; server RSS {server.RssMb():F0} MB");
                }

                if (opts.Get("keep") is null)
                {
                    System.IO.Directory.Delete(work, recursive: true);
                }
                else
                {
                    Console.WriteLine($"indexes kept in {work}");
                }

                return 0;
            }

        case "search":
            {
                // In-process engine search (no gRPC, no snippets) over an existing index: the reference for the Search RPC.
                var queries = Queries(opts);
                var threads = opts.Int("threads", 2);
                var count = opts.Int("count", 5000);
                var synonyms = Synonyms(repo);
                var parser = new QueryParser(TextAnalyzer.Default, synonyms, opts.Get("ranking") is { } r ? System.Text.Json.JsonSerializer.Deserialize<RankingOptions>(r) : null);
                var parsed = queries.Select(q => { try { return parser.Parse(q); } catch (TextSearchException) { return null; } }).OfType<SearchQuery>().ToArray();
                // --ranking '{"VariantBoost":0}' changes query-side ranking settings (the index must have been built compatibly).
                var ranking = opts.Get("ranking") is { } json ? System.Text.Json.JsonSerializer.Deserialize<RankingOptions>(json)! : new RankingOptions();
                await using var backend = new LuceneBackend(new LuceneOptions { IndexPath = opts.Require("index"), Ranking = ranking }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance);
                foreach (var q in parsed.Take(50))
                {
                    await backend.SearchAsync(q, 10, null, default); // warm-up
                }

                var latencies = new double[count];
                var next = -1;
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var watch = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Run(async () =>
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < count)
                    {
                        var t = Stopwatch.GetTimestamp();
                        await backend.SearchAsync(parsed[i % parsed.Length], 10, null, default);
                        latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    }
                })));
                var elapsed = watch.Elapsed;
                allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                Array.Sort(latencies);
                Console.WriteLine($"in-process engine search: {count} queries on {threads} threads in {elapsed.TotalSeconds:F2} s = {count / elapsed.TotalSeconds:F0} queries/s; p50 {latencies[count / 2]:F2} ms, p99 {latencies[(int)(count * 0.99)]:F2} ms; {allocated / 1024.0 / count:F0} KB allocated per query");
                return 0;
            }

        case "discovery":
            {
                // Issue 16: the same questions through the engine (10 hits, a snippet each), in-process, alone and with a
                // filter, facets or a date sort, alternated round by round; then Suggest on prefixes of their words.
                var queries = Queries(opts);
                var rounds = opts.Int("rounds", 3);
                var count = opts.Int("count", 1000);
                var index = opts.Require("index");
                var synonyms = Synonyms(repo);
                await using var backend = new LuceneBackend(new LuceneOptions { IndexPath = index }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance);
                var engine = new SearchEngine(backend, new QueryParser(TextAnalyzer.Default, synonyms), new TextSearch.Search.Snippets.SnippetBuilder(TextAnalyzer.Default));
                if (await backend.CountAsync(default) == 0)
                {
                    var docs = JsonlCorpus.Read(opts.Require("corpus")).ToList();
                    var build = Stopwatch.StartNew();
                    await using (var bulk = backend.BeginBulk())
                    {
                        foreach (var batch in docs.Chunk(2000))
                        {
                            await bulk.AddAsync(batch, default);
                        }

                        await bulk.CommitAsync(default);
                    }

                    Console.WriteLine($"indexed {docs.Count} documents in {build.Elapsed.TotalSeconds:F0} s (measure on a second run, once the background merge is done)");
                    return 0;
                }

                var facetsOfAll = await engine.SearchAsync(new SearchRequestModel(null, 1) { Facets = ["source", "published_at"], FacetSize = 100 }, default);
                var topSource = facetsOfAll.Facets[0].Values[0];
                var months = facetsOfAll.Facets[1].Values.Select(v => v.Value).Order(StringComparer.Ordinal).ToList();
                var year = DateTimeOffset.Parse(months[months.Count / 2][..4] + "-01-01T00:00:00Z", CultureInfo.InvariantCulture);
                Console.WriteLine($"{await backend.CountAsync(default)} documents; the commonest source {topSource.Value} ({topSource.Count}); date filter: the year {year.Year}");
                var variants = new (string Name, Func<string, SearchRequestModel> Request)[]
                {
                    ("query alone", q => new SearchRequestModel(q, 10)),
                    ($"+ source filter ({topSource.Value})", q => new SearchRequestModel(q, 10) { Filter = new TextSearch.Search.SearchFilter { Sources = [topSource.Value] } }),
                    ($"+ date filter ({year.Year})", q => new SearchRequestModel(q, 10) { Filter = new TextSearch.Search.SearchFilter { PublishedAfter = year, PublishedBefore = year.AddYears(1) } }),
                    ("+ facets source, published_at", q => new SearchRequestModel(q, 10) { Facets = ["source", "published_at"] }),
                    ("+ source filter + facets", q => new SearchRequestModel(q, 10) { Filter = new TextSearch.Search.SearchFilter { Sources = [topSource.Value] }, Facets = ["source", "published_at"] }),
                    ("sort newest", q => new SearchRequestModel(q, 10) { Sort = TextSearch.Search.SortOrder.Newest }),
                };
                var results = variants.ToDictionary(v => v.Name, _ => new List<double>());
                foreach (var q in queries.Take(50))
                {
                    foreach (var v in variants)
                    {
                        await engine.SearchAsync(v.Request(q), default); // warm-up
                    }
                }

                for (var round = 0; round < rounds; round++)
                {
                    foreach (var v in variants)
                    {
                        var latencies = new List<double>(count);
                        for (var i = 0; i < count; i++)
                        {
                            var t = Stopwatch.GetTimestamp();
                            await engine.SearchAsync(v.Request(queries[((round * count) + i) % queries.Length]), default);
                            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                        }

                        results[v.Name].AddRange(latencies);
                    }
                }

                var plain = results[variants[0].Name].Sum();
                Console.WriteLine($"{"variant",-40} {"queries/s",10} {"p50 ms",8} {"p99 ms",8} {"time vs query alone",20}");
                foreach (var v in variants)
                {
                    var l = results[v.Name].Order().ToList();
                    Console.WriteLine($"{v.Name,-40} {l.Count / (l.Sum() / 1000),10:F0} {l[l.Count / 2],8:F2} {l[(int)(l.Count * 0.99)],8:F2} {l.Sum() / plain,19:F2}x");
                }

                // Suggest on every prefix of two to six letters of the questions' words, as typed.
                var prefixes = TypedPrefixes(queries).Take(count * rounds).ToList();
                var suggest = new List<double>(prefixes.Count);
                foreach (var prefix in prefixes)
                {
                    var t = Stopwatch.GetTimestamp();
                    await engine.SuggestAsync(prefix, 10, default);
                    suggest.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }

                suggest.Sort();
                Console.WriteLine($"{"Suggest (prefixes of 2-6 letters)",-40} {suggest.Count / (suggest.Sum() / 1000),10:F0} {suggest[suggest.Count / 2],8:F2} {suggest[(int)(suggest.Count * 0.99)],8:F2}");
                return 0;
            }

        case "suggest-rpc":
            {
                // Suggest over gRPC as a search box calls it: every prefix of two to six letters of the questions' words,
                // from --concurrency clients at once, against a running server (--server URL).
                var queries = Queries(opts);
                var prefixes = TypedPrefixes(queries).ToArray();
                var count = opts.Int("count", 20000);
                var concurrency = opts.Int("concurrency", 4);
                using var channel = GrpcChannel.ForAddress(opts.Require("server"));
                var client = new SearchService.SearchServiceClient(channel);
                foreach (var p in prefixes.Take(200))
                {
                    await client.SuggestAsync(new SuggestRequest { Prefix = p }); // warm-up
                }

                var latencies = new double[count];
                var byLength = new int[count];
                var next = -1;
                var watch = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < count)
                    {
                        var prefix = prefixes[i % prefixes.Length];
                        var t = Stopwatch.GetTimestamp();
                        await client.SuggestAsync(new SuggestRequest { Prefix = prefix });
                        latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                        byLength[i] = prefix.Length;
                    }
                })));
                var elapsed = watch.Elapsed;
                static string P(IEnumerable<double> values)
                {
                    var sorted = values.Order().ToArray();
                    return $"p50 {sorted[sorted.Length / 2]:F2} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:F2} ms ({sorted.Length} calls)";
                }

                Console.WriteLine($"Suggest over gRPC, {concurrency} clients: {count / elapsed.TotalSeconds:F0} calls/s; {P(latencies)}");
                foreach (var length in byLength.Distinct().Order())
                {
                    Console.WriteLine($"  prefixes of {length} letters: {P(latencies.Where((_, i) => byLength[i] == length))}");
                }

                return 0;
            }

        case "serve":
            {
                // Cold starts to SERVING on an existing index, then the server stays up for a load run, sampling its RSS.
                var index = opts.Require("index");
                var starts = new List<double>();
                for (var i = 0; i < opts.Int("starts", 5); i++)
                {
                    await using var s = await ServerHost.StartAsync(serverDll, index);
                    starts.Add(s.StartupTime.TotalMilliseconds);
                }

                Console.WriteLine($"cold start to SERVING with the existing index: {string.Join(", ", starts.Select(s => $"{s:F0} ms"))} (median {starts.Order().ElementAt(starts.Count / 2):F0} ms)");
                if (opts.Get("load") is { } load)
                {
                    await using var server = await ServerHost.StartAsync(serverDll, index);
                    var samples = new List<double>();
                    using var cts = new CancellationTokenSource();
                    var sampler = Task.Run(async () =>
                    {
                        while (!cts.IsCancellationRequested)
                        {
                            samples.Add(server.RssMb());
                            await Task.Delay(1000, cts.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                        }
                    });
                    var bench = Process.Start(new ProcessStartInfo("sh", ["-c", load.Replace("{server}", server.Address.ToString().TrimEnd('/'), StringComparison.Ordinal)]) { UseShellExecute = false })!;
                    await bench.WaitForExitAsync();
                    await cts.CancelAsync();
                    await sampler;
                    Console.WriteLine($"server RSS under load (1 s samples): start {samples.FirstOrDefault():F0} MB, max {samples.DefaultIfEmpty().Max():F0} MB, last {samples.LastOrDefault():F0} MB");
                    Console.WriteLine("RSS curve (MB): " + string.Join(' ', samples.Select(s => s.ToString("F0", CultureInfo.InvariantCulture))));
                }

                return 0;
            }

        case "scale":
            {
                // For each size: ingest the first N documents through gRPC into a fresh server, then time sequential Search
                // RPCs (snippets included) over the queries. Prints one table row per size.
                var sizes = opts.Require("sizes").Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
                var queries = Queries(opts);
                var searches = opts.Int("searches", 1000);
                Console.WriteLine("| Documents | Text MB | Ingestion s | docs/s | Index MB | Search p50 ms | Search p99 ms | RSS MB |");
                Console.WriteLine("|---|---|---|---|---|---|---|---|");
                foreach (var size in sizes)
                {
                    var index = Path.Combine(Path.GetTempPath(), "textsearch-perf", $"scale-{size}-{Guid.NewGuid():N}");
                    await using (var server = await ServerHost.StartAsync(serverDll, index))
                    {
                        using var channel = GrpcChannel.ForAddress(server.Address);
                        var client = new DocumentService.DocumentServiceClient(channel);
                        long bytes = 0;
                        var watch = Stopwatch.StartNew();
                        using (var call = client.BulkUpsertDocuments())
                        {
                            foreach (var doc in JsonlCorpus.Read(opts.Require("corpus"), size))
                            {
                                bytes += CorpusFile.TextBytes(doc);
                                await call.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new TextSearch.V1.Document { Id = doc.Id, Title = doc.Title, Body = doc.Body } });
                            }

                            await call.RequestStream.CompleteAsync();
                            await call;
                        }

                        var ingest = watch.Elapsed;
                        var search = new SearchService.SearchServiceClient(channel);
                        var latencies = new List<double>(searches);
                        for (var i = 0; i < searches + 50; i++)
                        {
                            var t = Stopwatch.GetTimestamp();
                            await search.SearchAsync(new SearchRequest { Query = queries[i % queries.Length] });
                            if (i >= 50)
                            {
                                latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                            }
                        }

                        latencies.Sort();
                        Console.WriteLine($"| {size:N0} | {bytes / 1e6:F0} | {ingest.TotalSeconds:F1} | {size / ingest.TotalSeconds:F0} | {DirSize(index) / 1e6:F0} | {latencies[latencies.Count / 2]:F2} | {latencies[(int)(latencies.Count * 0.99)]:F2} | {server.RssMb():F0} |");
                    }

                    System.IO.Directory.Delete(index, recursive: true);
                }

                return 0;
            }

        default:
            Usage(Console.Error);
            return 2;
    }
}
catch (MissingOptionException ex)
{
    Console.Error.WriteLine($"textsearch-perf {opts.Mode}: {ex.Message}");
    Usage(Console.Error);
    return 2;
}

// The questions of --queries, one per line.
static string[] Queries(Options opts) => [.. File.ReadAllLines(opts.Require("queries")).Where(l => l.Trim().Length > 0)];

// The synonyms the server ships with.
static SynonymMap Synonyms(string repo) =>
    SynonymMap.Parse(File.ReadAllText(Path.Combine(repo, "src", "TextSearch.Search", "synonyms.txt")), TextAnalyzer.Default);

static void Usage(TextWriter to)
{
    to.WriteLine("usage: textsearch-perf anchor --qa ARCD.json --distractors FILE.jsonl.gz [--concurrency 4,16|none] [--seconds 20] [--warmup 20] [--rounds 3] [--plain-store mapped|lucene] [--snippets 1] [--set 'Key=Value ...']");
    to.WriteLine("       textsearch-perf ingest --corpus FILE [--limit N] [--keep 1] [--work DIR]");
    to.WriteLine("       textsearch-perf fields --corpus FILE [--limit 8000] [--rounds 3] [--work DIR]");
    to.WriteLine("       textsearch-perf search --index DIR --queries FILE [--threads 2] [--count 5000] [--ranking JSON]");
    to.WriteLine("       textsearch-perf discovery --index DIR --corpus FILE --queries FILE [--rounds 3] [--count 1000]");
    to.WriteLine("       textsearch-perf suggest-rpc --server URL --queries FILE [--count 20000] [--concurrency N]");
    to.WriteLine("       textsearch-perf serve --index DIR [--starts 5] [--load 'textsearch bench ... --server {server}']");
    to.WriteLine("       textsearch-perf scale --corpus FILE --sizes 10000,31030,100000,300000 --queries FILE [--searches 1000]");
    to.WriteLine("       textsearch-perf generate --corpus SRC --count N --out FILE.jsonl.gz");
}

static void Report(string name, int docs, long bytes, TimeSpan elapsed, long indexBytes) =>
    Console.WriteLine($"{name}: {docs} docs in {elapsed.TotalSeconds:F1} s = {docs / elapsed.TotalSeconds:F0} docs/s, {bytes / 1e6 / elapsed.TotalSeconds:F1} MB/s; index {indexBytes / 1e6:F0} MB on disk");

// Every prefix of two to six letters of the words of the questions, as a search box sends them while one types.
static IEnumerable<string> TypedPrefixes(IEnumerable<string> queries) =>
    queries.SelectMany(q => q.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Where(w => w.Length >= 2).SelectMany(w => Enumerable.Range(2, Math.Min(5, w.Length - 1)).Select(n => w[..n]));

static long DirSize(string path) => new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

static string FindRepo()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "TextSearch.sln")))
        {
            return dir.FullName;
        }
    }

    return Environment.CurrentDirectory;
}

internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string Mode { get; private init; } = string.Empty;

    public static Options Parse(string[] args)
    {
        var options = new Options { Mode = args.Length > 0 ? args[0] : string.Empty };
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options._values[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Require(string name) => Get(name) ?? throw new MissingOptionException($"--{name} is required");

    public int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}

/// <summary>A required option is missing: the tool prints the usage instead of a stack trace.</summary>
internal sealed class MissingOptionException(string message) : Exception(message);
