using System.Diagnostics;
using Grpc.Core;

namespace TextSearch.Cli.Bench;

/// <summary>One bar of the response time histogram: the calls that took at most <see cref="UpperMs"/> (and more than the bar before).</summary>
internal readonly record struct HistogramBucket(double UpperMs, long Count);

/// <summary>Latency statistics over every kept latency: exact percentiles by nearest rank over the sorted values.</summary>
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

    /// <summary>The summary of <paramref name="sortedMs"/> (ascending); null when there is none.</summary>
    public static LatencySummary? FromSorted(ReadOnlySpan<double> sortedMs)
    {
        if (sortedMs.IsEmpty)
        {
            return null;
        }

        var sum = 0.0;
        foreach (var v in sortedMs)
        {
            sum += v;
        }

        var percentiles = new (double, double)[StandardPercentiles.Length];
        for (var i = 0; i < StandardPercentiles.Length; i++)
        {
            percentiles[i] = (StandardPercentiles[i], Percentile(sortedMs, StandardPercentiles[i]));
        }

        return new LatencySummary(sortedMs.Length, sortedMs[0], sortedMs[^1], sum / sortedMs.Length, percentiles, BuildHistogram(sortedMs, HistogramBuckets));
    }

    /// <summary>
    /// The nearest-rank percentile: the smallest value such that at least <paramref name="percent"/> % of the values
    /// are at most it (the value at rank ⌈p/100 · n⌉). For 1..100, p50 is 50 and p99 is 99.
    /// </summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double percent)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("no values.", nameof(sorted));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        // The small epsilon keeps 0.29 * 100 from ranking above 29 through binary rounding.
        var rank = (long)Math.Ceiling((percent / 100.0 * sorted.Length) - 1e-9);
        return sorted[(int)Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>
    /// <paramref name="buckets"/> bars of equal width from the fastest to the slowest value; each is labelled with its
    /// upper edge and holds the values above the previous edge (the first also holds the fastest). All values in one
    /// bar when they are all equal.
    /// </summary>
    public static IReadOnlyList<HistogramBucket> BuildHistogram(ReadOnlySpan<double> sorted, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        if (sorted.IsEmpty)
        {
            return [];
        }

        var low = sorted[0];
        var high = sorted[^1];
        if (high <= low)
        {
            return [new HistogramBucket(high, sorted.Length)];
        }

        var width = (high - low) / buckets;
        var counts = new long[buckets];
        foreach (var v in sorted)
        {
            // Bar i holds (low + i·width, low + (i+1)·width]; the fastest value goes into bar 0.
            var i = (int)Math.Ceiling((v - low) / width) - 1;
            counts[Math.Clamp(i, 0, buckets - 1)]++;
        }

        var result = new HistogramBucket[buckets];
        for (var i = 0; i < buckets; i++)
        {
            result[i] = new HistogramBucket(i == buckets - 1 ? high : low + ((i + 1) * width), counts[i]);
        }

        return result;
    }
}

/// <summary>How many calls ended with one status and one message.</summary>
internal sealed record ErrorCount(StatusCode Code, string Message, long Count);

/// <summary>What one worker saw. Written only by that worker; merged once every worker is done.</summary>
internal sealed class WorkerRecorder(int expectedCalls)
{
    private readonly List<long> _okTicks = new(expectedCalls);
    private List<long>? _errorTicks;
    private Dictionary<(StatusCode, string), long>? _errors;

    public IReadOnlyList<long> OkTicks => _okTicks;

    public IReadOnlyList<long> ErrorTicks => (IReadOnlyList<long>?)_errorTicks ?? [];

    public IReadOnlyDictionary<(StatusCode Code, string Message), long> Errors =>
        (IReadOnlyDictionary<(StatusCode, string), long>?)_errors ?? new Dictionary<(StatusCode, string), long>();

    public void RecordOk(long elapsedTicks) => _okTicks.Add(elapsedTicks);

    public void RecordError(long elapsedTicks, StatusCode code, string message)
    {
        (_errorTicks ??= []).Add(elapsedTicks);
        _errors ??= [];
        var key = (code, message);
        _errors[key] = _errors.GetValueOrDefault(key) + 1;
    }
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

    public static double TicksToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>The status name as ghz prints it (the gRPC code's name: OK, Unavailable, DeadlineExceeded, ...).</summary>
    public static string StatusName(StatusCode code) => Enum.IsDefined(code) ? code.ToString() : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Merges what the workers recorded.</summary>
    public static BenchReport Build(
        IReadOnlyList<WorkerRecorder> workers,
        TimeSpan total,
        bool countErrors,
        string method,
        string server,
        int concurrency,
        int connections,
        int connectionsOpened,
        long warmup)
    {
        ArgumentNullException.ThrowIfNull(workers);
        var ok = workers.Sum(w => (long)w.OkTicks.Count);
        var failed = workers.Sum(w => (long)w.ErrorTicks.Count);

        var kept = new double[ok + (countErrors ? failed : 0)];
        var n = 0;
        foreach (var worker in workers)
        {
            foreach (var t in worker.OkTicks)
            {
                kept[n++] = TicksToMs(t);
            }

            if (countErrors)
            {
                foreach (var t in worker.ErrorTicks)
                {
                    kept[n++] = TicksToMs(t);
                }
            }
        }

        Array.Sort(kept);

        var errors = new Dictionary<(StatusCode Code, string Message), long>();
        foreach (var worker in workers)
        {
            foreach (var (key, count) in worker.Errors)
            {
                errors[key] = errors.GetValueOrDefault(key) + count;
            }
        }

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
            Latency = LatencySummary.FromSorted(kept),
            CountErrors = countErrors,
            StatusCodes = statusCodes,
            Errors = topErrors.Take(TopErrors).ToList(),
            OtherErrorKinds = Math.Max(0, topErrors.Count - TopErrors),
        };
    }
}
