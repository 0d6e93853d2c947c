using System.Diagnostics;
using Grpc.Core;
using HdrHistogram;

namespace TextSearch.Cli.Bench;

/// <summary>One bar of the response time histogram: the calls that took at most <see cref="UpperMs"/> (and more than the bar before).</summary>
internal readonly record struct HistogramBucket(double UpperMs, long Count);

/// <summary>
/// Latency statistics read from an HdrHistogram of microseconds (<see cref="BenchRecorder"/>): each figure is a value the
/// histogram holds, within 0.1 % (3 significant digits) of the latency it stands for.
/// </summary>
internal sealed record LatencySummary(
    long Count,
    double FastestMs,
    double SlowestMs,
    double AverageMs,
    IReadOnlyList<(double Percent, double Ms)> Percentiles,
    IReadOnlyList<HistogramBucket> Histogram)
{
    /// <summary>The percentiles ghz reports.</summary>
    public static readonly double[] StandardPercentiles = [10, 25, 50, 75, 90, 95, 99];

    public const int HistogramBuckets = 10;

    public double Percentile(double percent) => Percentiles.First(p => p.Percent == percent).Ms;

    /// <summary>
    /// The summary of <paramref name="microseconds"/>; null when it holds nothing. Percentiles are HdrHistogram's: the
    /// smallest recorded value (as the top of its bucket) that at least p % of the values are at most, counting ranks
    /// to the nearest whole call. The fastest is the bottom of the lowest bucket, the slowest the top of the highest.
    /// </summary>
    public static LatencySummary? From(HistogramBase microseconds)
    {
        ArgumentNullException.ThrowIfNull(microseconds);
        if (microseconds.TotalCount == 0)
        {
            return null;
        }

        var fastest = Ms(microseconds.LowestEquivalentValue(microseconds.RecordedValues().First().ValueIteratedTo));
        var slowest = Ms(microseconds.GetMaxValue());
        var percentiles = StandardPercentiles.Select(p => (p, Ms(microseconds.GetValueAtPercentile(p)))).ToList();
        var buckets = microseconds.RecordedValues().Select(v => (Ms(v.ValueIteratedTo), v.CountAddedInThisIterationStep));
        return new LatencySummary(
            microseconds.TotalCount, fastest, slowest, Ms(microseconds.GetMean()), percentiles, BuildHistogram(buckets, fastest, slowest, HistogramBuckets));
    }

    /// <summary>
    /// <paramref name="buckets"/> bars of equal width from <paramref name="low"/> to <paramref name="high"/>; each is
    /// labelled with its upper edge and holds the values above the previous edge (the first also holds
    /// <paramref name="low"/>). One bar when low and high are equal.
    /// </summary>
    /// <param name="values">The values (in milliseconds, ascending) with how many times each occurred.</param>
    public static IReadOnlyList<HistogramBucket> BuildHistogram(IEnumerable<(double Ms, long Count)> values, double low, double high, int buckets)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        if (high <= low)
        {
            return [new HistogramBucket(high, values.Sum(v => v.Count))];
        }

        var width = (high - low) / buckets;
        var counts = new long[buckets];
        foreach (var (ms, count) in values)
        {
            // Bar i holds (low + i·width, low + (i+1)·width]; the fastest value goes into bar 0.
            var i = (int)Math.Ceiling((ms - low) / width) - 1;
            counts[Math.Clamp(i, 0, buckets - 1)] += count;
        }

        var result = new HistogramBucket[buckets];
        for (var i = 0; i < buckets; i++)
        {
            result[i] = new HistogramBucket(i == buckets - 1 ? high : low + ((i + 1) * width), counts[i]);
        }

        return result;
    }

    private static double Ms(double microseconds) => microseconds / 1000.0;
}

/// <summary>How many calls ended with one status and one message.</summary>
internal sealed record ErrorCount(StatusCode Code, string Message, long Count);

/// <summary>
/// What the workers of a run record, shared by all of them: the latency of every OK call and of every failed call in
/// two HdrHistograms (microseconds, 3 significant digits, up to a day), and the failed calls per status and message.
/// Its memory is the same after ten calls and after ten million; it does not grow with the concurrency either.
/// </summary>
internal sealed class BenchRecorder
{
    /// <summary>The longest latency kept apart: a day (the longest --timeout). Longer calls count as a day.</summary>
    public const long HighestMicroseconds = 86_400L * 1_000_000;

    public const int SignificantDigits = 3;

    /// <summary>How many distinct (status, message) pairs are kept; past that, new messages count as <see cref="OtherMessages"/>.</summary>
    public const int MaxErrorKinds = 1_000;

    public const string OtherMessages = "(other messages)";

    private readonly LongConcurrentHistogram _ok = new(1, HighestMicroseconds, SignificantDigits);
    private readonly LongConcurrentHistogram _failed = new(1, HighestMicroseconds, SignificantDigits);
    private readonly Dictionary<(StatusCode, string), long> _errors = [];
    private readonly Lock _errorsLock = new();

    /// <summary>The latencies of the OK calls, in microseconds.</summary>
    public HistogramBase Ok => _ok;

    /// <summary>The latencies of the calls that did not return OK, in microseconds.</summary>
    public HistogramBase Failed => _failed;

    public IReadOnlyDictionary<(StatusCode Code, string Message), long> Errors
    {
        get
        {
            lock (_errorsLock)
            {
                return new Dictionary<(StatusCode, string), long>(_errors);
            }
        }
    }

    /// <summary>What the recorded latencies take in memory, as HdrHistogram estimates it.</summary>
    public long EstimatedFootprintInBytes => (long)_ok.GetEstimatedFootprintInBytes() + _failed.GetEstimatedFootprintInBytes();

    public void RecordOk(long elapsedTicks) => _ok.RecordValue(Microseconds(elapsedTicks));

    public void RecordError(long elapsedTicks, StatusCode code, string message)
    {
        _failed.RecordValue(Microseconds(elapsedTicks));
        lock (_errorsLock)
        {
            var key = (code, message);
            if (_errors.Count >= MaxErrorKinds && !_errors.ContainsKey(key))
            {
                key = (code, OtherMessages);
            }

            _errors[key] = _errors.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>Stopwatch ticks as whole microseconds, from 0 to <see cref="HighestMicroseconds"/>.</summary>
    public static long Microseconds(long elapsedTicks) =>
        (long)Math.Clamp(Math.Round(elapsedTicks * 1_000_000.0 / Stopwatch.Frequency), 0, HighestMicroseconds);
}

/// <summary>The result of a run, ready to print.</summary>
internal sealed record BenchReport
{
    /// <summary>How many distinct error messages the report lists.</summary>
    public const int TopErrors = 5;

    /// <summary>The fully qualified method, as ghz names it: textsearch.v1.SearchService.Search.</summary>
    public required string Method { get; init; }

    public required string Server { get; init; }

    public required int Concurrency { get; init; }

    public required int Connections { get; init; }

    /// <summary>TCP connections the client actually opened (counted in the connect callback).</summary>
    public required int ConnectionsOpened { get; init; }

    public required long Warmup { get; init; }

    /// <summary>Counted calls, whatever their status.</summary>
    public required long Count { get; init; }

    /// <summary>From the first counted call's start to the last one's end.</summary>
    public required TimeSpan Total { get; init; }

    /// <summary>Latencies of the OK calls, or of every call with --count-errors; null when there is none.</summary>
    public required LatencySummary? Latency { get; init; }

    public required bool CountErrors { get; init; }

    /// <summary>Calls per status code: OK first, then the most frequent.</summary>
    public required IReadOnlyList<(StatusCode Code, long Count)> StatusCodes { get; init; }

    /// <summary>The most frequent (status, message) pairs, at most <see cref="TopErrors"/>.</summary>
    public required IReadOnlyList<ErrorCount> Errors { get; init; }

    /// <summary>How many distinct (status, message) pairs are left out of <see cref="Errors"/>.</summary>
    public int OtherErrorKinds { get; init; }

    /// <summary>The run's part of --unique-ids document ids (ID-TAG-N); null without --unique-ids.</summary>
    public string? UniqueIdTag { get; init; }

    /// <summary>The run was stopped by Ctrl+C.</summary>
    public bool Cancelled { get; init; }

    public double RequestsPerSecond => Rps(Count, Total);

    public long OkCount => StatusCodes.Where(s => s.Code == StatusCode.OK).Sum(s => s.Count);

    public bool AllOk => OkCount == Count;

    public static double Rps(long count, TimeSpan total) => total > TimeSpan.Zero ? count / total.TotalSeconds : 0;

    /// <summary>The status name as ghz prints it (the gRPC code's name: OK, Unavailable, DeadlineExceeded, ...).</summary>
    public static string StatusName(StatusCode code) => Enum.IsDefined(code) ? code.ToString() : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The report of what <paramref name="recorder"/> holds.</summary>
    public static BenchReport Build(
        BenchRecorder recorder,
        TimeSpan total,
        bool countErrors,
        string method,
        string server,
        int concurrency,
        int connections,
        int connectionsOpened,
        long warmup)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        var ok = recorder.Ok.TotalCount;
        var failed = recorder.Failed.TotalCount;
        var kept = recorder.Ok;
        if (countErrors)
        {
            kept = recorder.Ok.Copy();
            kept.Add(recorder.Failed);
        }

        var errors = recorder.Errors;
        var statusCodes = errors
            .GroupBy(e => e.Key.Code)
            .Select(g => (Code: g.Key, Count: g.Sum(e => e.Value)))
            .Prepend((Code: StatusCode.OK, Count: ok))
            .Where(s => s.Count > 0)
            .OrderBy(s => s.Code == StatusCode.OK ? 0 : 1)
            .ThenByDescending(s => s.Count)
            .ThenBy(s => (int)s.Code)
            .ToList();

        var topErrors = errors
            .OrderByDescending(e => e.Value)
            .ThenBy(e => (int)e.Key.Code)
            .ThenBy(e => e.Key.Message, StringComparer.Ordinal)
            .Select(e => new ErrorCount(e.Key.Code, e.Key.Message, e.Value))
            .ToList();

        return new BenchReport
        {
            Method = method,
            Server = server,
            Concurrency = concurrency,
            Connections = connections,
            ConnectionsOpened = connectionsOpened,
            Warmup = warmup,
            Count = ok + failed,
            Total = total,
            Latency = LatencySummary.From(kept),
            CountErrors = countErrors,
            StatusCodes = statusCodes,
            Errors = topErrors.Take(TopErrors).ToList(),
            OtherErrorKinds = Math.Max(0, topErrors.Count - TopErrors),
        };
    }
}
