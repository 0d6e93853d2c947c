using System.CommandLine;
using System.Globalization;
using TextSearch.Cli.Syntax;

namespace TextSearch.Cli.Bench;

/// <summary>The RPC that <c>textsearch bench</c> calls.</summary>
internal enum BenchCall
{
    Search,
    Normalize,
    Upsert,
}

/// <summary>The options of <c>textsearch bench</c>, checked: a mistake here is a usage error (exit 2).</summary>
internal sealed record BenchSettings
{
    public const int DefaultConcurrency = 16;
    public const int DefaultConnections = 1;
    public const long DefaultCount = 1000;
    public const int MaxConcurrency = 10_000;
    public const int MaxConnections = 1_000;

    public const string Details =
        "Runs --concurrency workers that call the server as fast as it answers, spread over --connections HTTP/2\n" +
        "connections (one GrpcChannel and one SocketsHttpHandler each), until --count calls have been made\n" +
        "(default 1000) or --duration has passed. --warmup N calls are made first and not counted.\n" +
        "\n" +
        "  --call search      (default) Search; --query Q, or --queries FILE with one query per line, taken in\n" +
        "                     turn by all workers. --page-size and --snippets go into every request.\n" +
        "  --call normalize   Normalize; the --query / --queries lines are the texts.\n" +
        "  --call upsert      UpsertDocument; --docs FILE (.jsonl, .jsonl.gz, .txt or a folder, as for index),\n" +
        "                     documents sent in turn. The same ids are written again and again unless\n" +
        "                     --unique-ids, which sends every call's document under the id ID-RUN-N (RUN is\n" +
        "                     random per run, N the call's number). Upserted documents stay in the index.\n" +
        "\n" +
        "--timeout is the deadline of each call (default 30 s). With --duration, calls in flight when the time\n" +
        "is up are waited for and counted. The output (or --json) is a ghz-style report: count, total time,\n" +
        "requests/sec, fastest, slowest, average, a histogram, the 10/25/50/75/90/95/99th percentiles, the\n" +
        "status codes and the most frequent error messages. Latencies are those of the calls that returned OK\n" +
        "unless --count-errors. They are recorded in an HdrHistogram, in microseconds to 3 significant digits\n" +
        "(every figure within 0.1 %), in the same memory for a run of any length.\n" +
        "Exit code: 0 when every counted call returned OK, 1 when any did not (the report is still printed),\n" +
        "2 on a usage error, 130 after Ctrl+C (with the report of the calls made so far).\n" +
        "\n" +
        "--emit-request FILE writes the first request as one length-prefixed gRPC message (1 flag byte, a\n" +
        "4-byte big-endian length, the protobuf) to FILE without calling the server, for h2load -d FILE.\n" +
        "\n" +
        "Examples:\n" +
        "  textsearch bench --query قسد --count 5000 --concurrency 32 --connections 4\n" +
        "  textsearch bench --queries tests/load/queries.txt --duration 30s --warmup 200 --json\n" +
        "  textsearch bench --call upsert --docs docs.jsonl --unique-ids --count 500 --concurrency 8";

    public BenchCall Call { get; init; } = BenchCall.Search;

    public string? Query { get; init; }

    public string? QueriesPath { get; init; }

    public string? DocsPath { get; init; }

    public bool UniqueIds { get; init; }

    public int Concurrency { get; init; } = DefaultConcurrency;

    public int Connections { get; init; } = DefaultConnections;

    /// <summary>The number of counted calls; null when the run is timed by <see cref="Duration"/>.</summary>
    public long? Count { get; init; } = DefaultCount;

    public TimeSpan? Duration { get; init; }

    public long Warmup { get; init; }

    public bool CountErrors { get; init; }

    public string? EmitRequestPath { get; init; }

    public static string CallName(BenchCall call) => call switch
    {
        BenchCall.Search => "search",
        BenchCall.Normalize => "normalize",
        BenchCall.Upsert => "upsert",
        _ => throw new ArgumentOutOfRangeException(nameof(call)),
    };

    /// <summary>
    /// The settings from a parsed command line, once the options have parsed one by one; what is checked here is how
    /// they go together. <paramref name="searchOnly"/> are the options that only --call search takes.
    /// </summary>
    public static BenchSettings From(ParseResult parse, BenchOptions options, IEnumerable<Option> searchOnly)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(searchOnly);

        var call = parse.GetValue(options.Call) ?? BenchCall.Search;
        var query = parse.GetValue(options.Query);
        var queries = parse.GetValue(options.Queries);
        var docs = parse.GetValue(options.Docs);
        var uniqueIds = parse.GetValue(options.UniqueIds);
        if (call == BenchCall.Upsert)
        {
            if (query is not null || queries is not null)
            {
                throw Usage("--call upsert sends documents: use --docs FILE, not --query or --queries.");
            }

            if (docs is null)
            {
                throw Usage("--call upsert needs --docs FILE (.jsonl, .jsonl.gz, .txt or a folder).");
            }
        }
        else
        {
            if (docs is not null || uniqueIds)
            {
                throw Usage($"{(docs is not null ? options.Docs.Name : options.UniqueIds.Name)} applies only to --call upsert.");
            }

            if (query is not null && queries is not null)
            {
                throw Usage("give --query or --queries, not both.");
            }

            if (query is null && queries is null)
            {
                throw Usage($"bench --call {CallName(call)} needs --query TEXT or --queries FILE (one per line).");
            }
        }

        if (call != BenchCall.Search && searchOnly.FirstOrDefault(o => CliOption.Given(parse, o)) is { } option)
        {
            throw Usage($"{option.Name} applies only to --call search.");
        }

        var concurrency = parse.GetValue(options.Concurrency) ?? DefaultConcurrency;
        var connections = parse.GetValue(options.Connections) ?? DefaultConnections;
        if (connections > concurrency)
        {
            throw Usage($"--connections ({connections}) cannot exceed --concurrency ({concurrency}): every connection needs a worker.");
        }

        var count = parse.GetValue(options.Count);
        var duration = parse.GetValue(options.Duration);
        if (count is not null && duration is not null)
        {
            throw Usage("give --count or --duration, not both.");
        }

        return new BenchSettings
        {
            Call = call,
            Query = query,
            QueriesPath = queries,
            DocsPath = docs,
            UniqueIds = uniqueIds,
            Concurrency = concurrency,
            Connections = connections,
            Count = duration is null ? count ?? DefaultCount : null,
            Duration = duration,
            Warmup = parse.GetValue(options.Warmup) ?? 0,
            CountErrors = parse.GetValue(options.CountErrors),
            EmitRequestPath = parse.GetValue(options.EmitRequest),
        };
    }

    /// <summary>--call as written: search, normalize or upsert, in any case; null for anything else.</summary>
    public static BenchCall? ParseCall(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToUpperInvariant() switch
        {
            "SEARCH" => BenchCall.Search,
            "NORMALIZE" => BenchCall.Normalize,
            "UPSERT" => BenchCall.Upsert,
            _ => null,
        };
    }

    /// <summary>
    /// A duration as ghz and Go write it: one or more NUMBER UNIT pairs, UNIT one of ms, s, m, h ("30s", "2m",
    /// "1m30s", "1.5h", "500ms"); a bare number is seconds. Null when the text is not one.
    /// </summary>
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        if (s.Length == 0)
        {
            return null;
        }

        if (double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var bare))
        {
            return Seconds(bare);
        }

        var total = 0.0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            double? factor = s[unitStart..i].ToUpperInvariant() switch
            {
                "MS" => 0.001,
                "S" => 1,
                "M" => 60,
                "H" => 3600,
                _ => null,
            };
            if (factor is null)
            {
                return null;
            }

            total += number * factor.Value;
        }

        return Seconds(total);
    }

    private static TimeSpan? Seconds(double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 && seconds <= TimeSpan.FromDays(365).TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;

    private static UsageException Usage(string message) => new(message, "bench");
}

/// <summary>The options of <c>textsearch bench</c> (besides --page-size and --snippets, which it shares with search).</summary>
internal sealed class BenchOptions
{
    public BenchOptions() => All = [Call, Query, Queries, Docs, UniqueIds, Concurrency, Connections, Count, Duration, Warmup, CountErrors, EmitRequest];

    public IReadOnlyList<Option> All { get; }

    public Option<BenchCall?> Call { get; } = CliOption.Value(
        "--call", "CALL", "bench: the RPC to call: search (default), normalize or upsert.", BenchSettings.ParseCall,
        text => $"--call must be search, normalize or upsert; got '{text}'.");

    public Option<string?> Query { get; } = CliOption.Text("--query", "Q", "bench: the one query (search) or text (normalize) to send.");

    public Option<string?> Queries { get; } = CliOption.Text("--queries", "FILE", "bench: queries (or texts), one per line, sent in turn; blank lines are skipped.");

    public Option<string?> Docs { get; } = CliOption.Text("--docs", "FILE", "bench: documents for upsert (.jsonl, .jsonl.gz, .txt or a folder), sent in turn.");

    public Option<bool> UniqueIds { get; } = CliOption.Switch("--unique-ids", "bench: give every upserted document a new id (its id + -RUN-N).");

    public Option<int?> Concurrency { get; } = CliOption.Whole("--concurrency", "N", 1, BenchSettings.MaxConcurrency, "bench: concurrent workers (default 16).");

    public Option<int?> Connections { get; } = CliOption.Whole(
        "--connections", "N", 1, BenchSettings.MaxConnections, "bench: HTTP/2 connections the workers share (default 1; at most --concurrency).");

    public Option<int?> Count { get; } = CliOption.Whole("--count", "N", 1, int.MaxValue, "bench: calls to make, not counting the warm-up (default 1000).");

    public Option<TimeSpan?> Duration { get; } = CliOption.Value(
        "--duration", "TIME", "bench: run for this long instead of --count: 30s, 2m, 1m30s, 500ms, 1h.",
        text => BenchSettings.ParseDuration(text) is { } d && d > TimeSpan.Zero && d <= TimeSpan.FromDays(1) ? d : (TimeSpan?)null,
        text => $"--duration must be a time such as 30s, 2m, 1m30s, 500ms or 1h (at most 24h); got '{text}'.");

    public Option<int?> Warmup { get; } = CliOption.Whole("--warmup", "N", 0, int.MaxValue, "bench: calls made first and left out of the results (default 0).");

    public Option<bool> CountErrors { get; } = CliOption.Switch("--count-errors", "bench: include failed calls in the latency statistics (like ghz --count-errors).");

    public Option<string?> EmitRequest { get; } = CliOption.Text(
        "--emit-request", "FILE", "bench: write the first request as a gRPC frame to FILE and exit (for h2load -d).");
}
