using System.Globalization;
using TextSearch.Cli.Arguments;

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
        "unless --count-errors. Percentiles are exact (nearest rank over every latency kept).\n" +
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

    /// <summary>Reads the bench options out of the parsed command line (names with their values; null for a switch).</summary>
    public static BenchSettings Parse(IReadOnlyDictionary<string, string?> values, CommandSpec spec)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(spec);

        var call = values.TryGetValue("--call", out var callText)
            ? callText!.Trim().ToUpperInvariant() switch
            {
                "SEARCH" => BenchCall.Search,
                "NORMALIZE" => BenchCall.Normalize,
                "UPSERT" => BenchCall.Upsert,
                _ => throw new UsageException($"--call must be search, normalize or upsert; got '{callText}'.", spec),
            }
            : BenchCall.Search;
        var name = CallName(call);

        string? query = null;
        if (values.TryGetValue("--query", out var q))
        {
            query = q!.Length > 0 ? q : throw new UsageException("--query must not be empty.", spec);
        }

        string? queries = null;
        if (values.TryGetValue("--queries", out var qf))
        {
            queries = qf!.Length > 0 ? qf : throw new UsageException("--queries must not be empty.", spec);
        }

        string? docs = null;
        if (values.TryGetValue("--docs", out var df))
        {
            docs = df!.Length > 0 ? df : throw new UsageException("--docs must not be empty.", spec);
        }

        var uniqueIds = values.ContainsKey("--unique-ids");
        if (call == BenchCall.Upsert)
        {
            if (query is not null || queries is not null)
            {
                throw new UsageException("--call upsert sends documents: use --docs FILE, not --query or --queries.", spec);
            }

            if (docs is null)
            {
                throw new UsageException("--call upsert needs --docs FILE (.jsonl, .jsonl.gz, .txt or a folder).", spec);
            }
        }
        else
        {
            if (docs is not null || uniqueIds)
            {
                throw new UsageException($"{(docs is not null ? "--docs" : "--unique-ids")} applies only to --call upsert.", spec);
            }

            if (query is not null && queries is not null)
            {
                throw new UsageException("give --query or --queries, not both.", spec);
            }

            if (query is null && queries is null)
            {
                throw new UsageException($"bench --call {name} needs --query TEXT or --queries FILE (one per line).", spec);
            }
        }

        if (call != BenchCall.Search)
        {
            foreach (var option in new[] { "--page-size", "--snippets" })
            {
                if (values.ContainsKey(option))
                {
                    throw new UsageException($"{option} applies only to --call search.", spec);
                }
            }
        }

        var concurrency = values.TryGetValue("--concurrency", out var c) ? (int)Whole("--concurrency", c!, 1, MaxConcurrency, spec) : DefaultConcurrency;
        var connections = values.TryGetValue("--connections", out var n) ? (int)Whole("--connections", n!, 1, MaxConnections, spec) : DefaultConnections;
        if (connections > concurrency)
        {
            throw new UsageException($"--connections ({connections}) cannot exceed --concurrency ({concurrency}): every connection needs a worker.", spec);
        }

        var hasCount = values.TryGetValue("--count", out var countText);
        var hasDuration = values.TryGetValue("--duration", out var durationText);
        if (hasCount && hasDuration)
        {
            throw new UsageException("give --count or --duration, not both.", spec);
        }

        long? count = hasDuration ? null : hasCount ? Whole("--count", countText!, 1, int.MaxValue, spec) : DefaultCount;
        TimeSpan? duration = null;
        if (hasDuration)
        {
            duration = ParseDuration(durationText!) is { } d && d > TimeSpan.Zero && d <= TimeSpan.FromDays(1)
                ? d
                : throw new UsageException($"--duration must be a time such as 30s, 2m, 1m30s, 500ms or 1h (at most 24h); got '{durationText}'.", spec);
        }

        string? emit = null;
        if (values.TryGetValue("--emit-request", out var e))
        {
            emit = e!.Length > 0 ? e : throw new UsageException("--emit-request must not be empty.", spec);
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
            Count = count,
            Duration = duration,
            Warmup = values.TryGetValue("--warmup", out var w) ? Whole("--warmup", w!, 0, int.MaxValue, spec) : 0,
            CountErrors = values.ContainsKey("--count-errors"),
            EmitRequestPath = emit,
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

    private static long Whole(string name, string text, long min, long max, CommandSpec spec)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        throw new UsageException($"{name} must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}; got '{text}'.", spec);
    }
}
