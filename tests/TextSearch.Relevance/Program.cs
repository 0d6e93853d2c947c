using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using TextSearch.Relevance;

// textsearch-eval --qa ../shared/data/arcd.json [--distractors ../shared/data/saudinewsnet.jsonl.gz]
//   [--distractor-limit N] [--limit N] [--server URL] [--set Key=Value]... [--name NAME] [--json FILE]
//   [--baseline arabic|standard|both|none] [--ranks FILE.tsv] [--indexed]
var options = EvalOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(EvalOptions.Usage);
    return 2;
}

var set = Corpus.ReadSquad(options.Qa);
var questions = set.Questions.Take(options.Limit).ToList();
var documents = new List<EvalDocument>(set.Paragraphs);
if (options.Distractors is not null)
{
    documents.AddRange(Corpus.ReadJsonl(options.Distractors, options.DistractorLimit));
}

Console.Error.WriteLine($"Corpus: {set.Paragraphs.Count} QA paragraphs + {documents.Count - set.Paragraphs.Count} distractors; {questions.Count} questions");
var reports = new List<MetricsReport>();
var errors = 0;

// Per question, the relevant document's rank (1-10, 0 when not in the top 10) for each system, for error analysis.
var ranks = new List<(string System, int[] Ranks, string[] First)>();

await using (var service = await ServiceRunner.StartAsync(options.Server, options.Settings))
{
    if (options.Indexed)
    {
        // A server that holds this corpus already (an earlier run against it): only the questions are asked, so a
        // setting that needs no reindex is measured in seconds.
        Console.Error.WriteLine("Corpus already indexed by the server: not sent again");
    }
    else
    {
        var (upserted, failed, elapsed) = await service.IndexAsync(documents);
        Console.Error.WriteLine($"Indexed {upserted} documents ({failed} failed) in {elapsed.TotalSeconds:F1} s");
    }

    var metrics = new Metrics();
    var progress = new Progress("Searching via gRPC", questions.Count);
    var ours = (System: options.Name, Ranks: new int[questions.Count], First: new string[questions.Count]);
    ranks.Add(ours);
    for (var i = 0; i < questions.Count; i++)
    {
        var q = questions[i];
        var watch = Stopwatch.StartNew();
        IReadOnlyList<string> ranked;
        try
        {
            ranked = await service.SearchAsync(q.Text);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            errors++;
            ranked = [];
        }

        metrics.Add(ours.Ranks[i] = Metrics.RankOf(ranked, q.RelevantId), watch.Elapsed.TotalMilliseconds);
        ours.First[i] = ranked.Count > 0 ? ranked[0] : string.Empty;
        progress.Report(i + 1);
    }

    reports.Add(metrics.Report(options.Name));
}

foreach (var baseline in options.Baselines())
{
    using (baseline)
    {
        var watch = Stopwatch.StartNew();
        baseline.Index(documents);
        Console.Error.WriteLine($"{baseline.Name}: indexed in {watch.Elapsed.TotalSeconds:F1} s");
        var metrics = new Metrics();
        var progress = new Progress(baseline.Name.Split(':')[0], questions.Count);
        var theirs = (System: baseline.Name, Ranks: new int[questions.Count], First: new string[questions.Count]);
        ranks.Add(theirs);
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            var w = Stopwatch.StartNew();
            var ranked = baseline.Search(q.Text);
            metrics.Add(theirs.Ranks[i] = Metrics.RankOf(ranked, q.RelevantId), w.Elapsed.TotalMilliseconds);
            theirs.First[i] = ranked.Count > 0 ? ranked[0] : string.Empty;
            progress.Report(i + 1);
        }

        reports.Add(metrics.Report(baseline.Name));
    }
}

Console.WriteLine();
Console.WriteLine("| Ranking | MRR@10 | R@1 | R@5 | R@10 | nDCG@10 | p50 ms | p99 ms |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var r in reports)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Name} | {r.Mrr10:F3} | {r.RecallAt1:F3} | {r.RecallAt5:F3} | {r.RecallAt10:F3} | {r.Ndcg10:F3} | {r.LatencyP50Ms:F2} | {r.LatencyP99Ms:F2} |"));
}

if (errors > 0)
{
    Console.WriteLine($"{errors} questions were rejected by the service (counted as misses).");
}

if (options.Ranks is not null)
{
    await File.WriteAllLinesAsync(options.Ranks, RankTable.Lines(questions, ranks));
    Console.Error.WriteLine($"Ranks written to {options.Ranks}");
}

if (options.Json is not null)
{
    var json = JsonSerializer.Serialize(
        new { options.Name, options.Settings, Documents = documents.Count, Questions = questions.Count, Rejected = errors, Results = reports },
        new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    await File.WriteAllTextAsync(options.Json, json);
    Console.Error.WriteLine($"Report written to {options.Json}");
}

return 0;

internal sealed class EvalOptions
{
    public const string Usage = "usage: textsearch-eval --qa FILE [--distractors FILE.jsonl[.gz]] [--distractor-limit N] [--limit N] "
        + "[--server URL] [--set Key=Value]... [--name NAME] [--json FILE] [--baseline arabic|standard|both|none] [--ranks FILE.tsv] [--indexed]";

    public required string Qa { get; init; }

    public string? Distractors { get; init; }

    public int DistractorLimit { get; init; } = int.MaxValue;

    public int Limit { get; init; } = int.MaxValue;

    public string? Server { get; init; }

    public List<string> Settings { get; } = [];

    public string Name { get; init; } = "TextSearch";

    public string? Json { get; init; }

    /// <summary>Where to write each question's rank per system (TSV), for error analysis.</summary>
    public string? Ranks { get; init; }

    public string Baseline { get; init; } = "arabic";

    /// <summary>The server (<see cref="Server"/>, required) holds the corpus already: it is not indexed again.</summary>
    public bool Indexed { get; init; }

    public IEnumerable<Baseline> Baselines()
    {
        if (Baseline is "arabic" or "both")
        {
            yield return TextSearch.Relevance.Baseline.ArabicAnalyzer();
        }

        if (Baseline is "standard" or "both")
        {
            yield return TextSearch.Relevance.Baseline.StandardAnalyzer();
        }
    }

    public static EvalOptions? Parse(string[] args)
    {
        string? qa = null, distractors = null, server = null, json = null, name = null, baseline = null, ranks = null;
        int distractorLimit = int.MaxValue, limit = int.MaxValue;
        var indexed = false;
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--qa": qa = Next(); break;
                    case "--distractors": distractors = Next(); break;
                    case "--distractor-limit": distractorLimit = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--limit": limit = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--server": server = Next(); break;
                    case "--json": json = Next(); break;
                    case "--ranks": ranks = Next(); break;
                    case "--name": name = Next(); break;
                    case "--baseline": baseline = Next(); break;
                    case "--indexed": indexed = true; break;
                    case "--set":
                        var s = Next();
                        if (!s.Contains('=', StringComparison.Ordinal))
                        {
                            return null;
                        }

                        settings.Add(s);
                        break;
                    default: return null;
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                Console.Error.WriteLine(ex.Message);
                return null;
            }
        }

        if (qa is null || baseline is not (null or "arabic" or "standard" or "both" or "none") || (indexed && server is null))
        {
            return null;
        }

        var options = new EvalOptions
        {
            Qa = qa,
            Distractors = distractors,
            DistractorLimit = distractorLimit,
            Limit = limit,
            Server = server,
            Json = json,
            Ranks = ranks,
            Name = name ?? (settings.Count == 0 ? "TextSearch" : "TextSearch " + string.Join(' ', settings)),
            Baseline = baseline ?? "arabic",
            Indexed = indexed,
        };
        options.Settings.AddRange(settings);
        return options;
    }
}
