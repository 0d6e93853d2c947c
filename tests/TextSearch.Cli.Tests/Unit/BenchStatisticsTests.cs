using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using TextSearch.Cli.Bench;

namespace TextSearch.Cli.Tests.Unit;

public sealed class BenchStatisticsTests
{
    private static readonly double[] OneToHundred = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

    [Theory]
    [InlineData(10, 10)]
    [InlineData(25, 25)]
    [InlineData(50, 50)]
    [InlineData(75, 75)]
    [InlineData(90, 90)]
    [InlineData(95, 95)]
    [InlineData(99, 99)]
    [InlineData(100, 100)]
    [InlineData(0, 1)]
    [InlineData(99.5, 100)]
    [InlineData(0.5, 1)]
    public void Percentiles_are_nearest_rank(double percent, double expected)
    {
        Assert.Equal(expected, LatencySummary.Percentile(OneToHundred, percent));
    }

    [Fact]
    public void Percentiles_of_few_values_are_values_that_occurred()
    {
        double[] four = [1, 2, 3, 40];

        Assert.Equal(1, LatencySummary.Percentile(four, 10));
        Assert.Equal(1, LatencySummary.Percentile(four, 25));
        Assert.Equal(2, LatencySummary.Percentile(four, 50));
        Assert.Equal(3, LatencySummary.Percentile(four, 75));
        Assert.Equal(40, LatencySummary.Percentile(four, 90));
        Assert.Equal(7, LatencySummary.Percentile([7.0], 99));
    }

    [Fact]
    public void Percentiles_at_exact_boundaries_do_not_round_up()
    {
        // 29 % of 100 is rank 29 even though 0.29 * 100 is 28.999999999999996 in binary.
        Assert.Equal(29, LatencySummary.Percentile(OneToHundred, 29));
        Assert.Equal(57, LatencySummary.Percentile(OneToHundred, 57));
    }

    [Fact]
    public void Percentile_of_nothing_or_out_of_range_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => LatencySummary.Percentile([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencySummary.Percentile(OneToHundred, 101));
    }

    [Fact]
    public void Summary_has_count_fastest_slowest_average_and_the_ghz_percentiles()
    {
        var summary = LatencySummary.FromSorted(OneToHundred)!;

        Assert.Equal(100, summary.Count);
        Assert.Equal(1, summary.FastestMs);
        Assert.Equal(100, summary.SlowestMs);
        Assert.Equal(50.5, summary.AverageMs, 9);
        Assert.Equal([10.0, 25, 50, 75, 90, 95, 99], summary.Percentiles.Select(p => p.Percent));
        Assert.Equal([10.0, 25, 50, 75, 90, 95, 99], summary.Percentiles.Select(p => p.Ms));
        Assert.Equal(99, summary.Percentile(99));
        Assert.Null(LatencySummary.FromSorted([]));
    }

    [Fact]
    public void Histogram_has_ten_equal_bars_from_fastest_to_slowest_holding_every_value()
    {
        var histogram = LatencySummary.FromSorted(OneToHundred)!.Histogram;

        Assert.Equal(10, histogram.Count);
        Assert.Equal(100, histogram.Sum(b => b.Count));
        Assert.All(histogram, b => Assert.Equal(10, b.Count));
        Assert.Equal(100, histogram[^1].UpperMs);
        Assert.Equal(10.9, histogram[0].UpperMs, 9);
        Assert.True(histogram.Zip(histogram.Skip(1)).All(p => p.First.UpperMs < p.Second.UpperMs));
    }

    [Fact]
    public void Histogram_puts_each_value_in_the_bar_whose_range_holds_it()
    {
        // Range 0..10, bars of 1: 0 and 1 in the first (0, 1] (plus the fastest), 1.5 in (1, 2], 10 in the last.
        var histogram = LatencySummary.BuildHistogram([0, 1, 1.5, 10], 10);

        Assert.Equal([2L, 1, 0, 0, 0, 0, 0, 0, 0, 1], histogram.Select(b => b.Count));
    }

    [Fact]
    public void Histogram_of_equal_values_is_one_bar()
    {
        var histogram = LatencySummary.BuildHistogram([3.0, 3.0, 3.0], 10);

        Assert.Equal(new HistogramBucket(3, 3), Assert.Single(histogram));
    }

    [Theory]
    [InlineData(200, 2000, 100)]
    [InlineData(1000, 250, 4000)]
    [InlineData(5, 0, 0)]
    public void Requests_per_second_is_count_over_total_time(long count, double totalMs, double expected)
    {
        Assert.Equal(expected, BenchReport.Rps(count, TimeSpan.FromMilliseconds(totalMs)), 9);
    }

    [Fact]
    public void Ticks_are_converted_with_the_stopwatch_frequency()
    {
        Assert.Equal(1000, BenchReport.TicksToMs(Stopwatch.Frequency), 9);
        Assert.Equal(1.5, BenchReport.TicksToMs(Stopwatch.Frequency * 3 / 2000), 3);
    }

    [Fact]
    public void Report_merges_workers_counts_statuses_and_errors()
    {
        var ms = Stopwatch.Frequency / 1000;
        var a = new WorkerRecorder(4);
        var b = new WorkerRecorder(4);
        a.RecordOk(1 * ms);
        a.RecordOk(3 * ms);
        b.RecordOk(2 * ms);
        a.RecordError(50 * ms, StatusCode.Unavailable, "connection refused");
        b.RecordError(60 * ms, StatusCode.Unavailable, "connection refused");
        b.RecordError(70 * ms, StatusCode.DeadlineExceeded, "deadline");

        var report = Build([a, b], countErrors: false);

        Assert.Equal(6, report.Count);
        Assert.Equal(3, report.OkCount);
        Assert.False(report.AllOk);
        Assert.Equal([(StatusCode.OK, 3L), (StatusCode.Unavailable, 2L), (StatusCode.DeadlineExceeded, 1L)], report.StatusCodes);
        Assert.Equal(
            [new ErrorCount(StatusCode.Unavailable, "connection refused", 2), new ErrorCount(StatusCode.DeadlineExceeded, "deadline", 1)],
            report.Errors);
        Assert.Equal(3, report.Latency!.Count);
        Assert.Equal(1, report.Latency.FastestMs, 6);
        Assert.Equal(3, report.Latency.SlowestMs, 6);
        Assert.Equal(2, report.Latency.AverageMs, 6);
        Assert.Equal(6, report.RequestsPerSecond, 9);

        var all = Build([a, b], countErrors: true);
        Assert.Equal(6, all.Latency!.Count);
        Assert.Equal(70, all.Latency.SlowestMs, 6);
    }

    [Fact]
    public void Report_without_any_ok_call_has_no_latency_and_only_error_statuses()
    {
        var worker = new WorkerRecorder(1);
        worker.RecordError(10, StatusCode.Unavailable, "down");

        var report = Build([worker], countErrors: false);

        Assert.Null(report.Latency);
        Assert.Equal([(StatusCode.Unavailable, 1L)], report.StatusCodes);
        Assert.Empty(Build([new WorkerRecorder(1)], countErrors: false).StatusCodes);
    }

    [Fact]
    public void Report_lists_the_most_frequent_errors_and_counts_the_rest()
    {
        var worker = new WorkerRecorder(1);
        for (var kind = 0; kind < 8; kind++)
        {
            for (var i = 0; i <= kind; i++)
            {
                worker.RecordError(1, StatusCode.Internal, $"error {kind}");
            }
        }

        var report = Build([worker], countErrors: false);

        Assert.Equal(["error 7", "error 6", "error 5", "error 4", "error 3"], report.Errors.Select(e => e.Message));
        Assert.Equal(3, report.OtherErrorKinds);
        Assert.Equal([(StatusCode.Internal, 36L)], report.StatusCodes);
    }

    [Fact]
    public void Status_names_are_the_grpc_code_names()
    {
        Assert.Equal("OK", BenchReport.StatusName(StatusCode.OK));
        Assert.Equal("Unavailable", BenchReport.StatusName(StatusCode.Unavailable));
        Assert.Equal("DeadlineExceeded", BenchReport.StatusName(StatusCode.DeadlineExceeded));
        Assert.Equal("42", BenchReport.StatusName((StatusCode)42));
    }

    [Fact]
    public void Human_report_has_the_ghz_sections()
    {
        var ms = Stopwatch.Frequency / 1000;
        var worker = new WorkerRecorder(100);
        for (var i = 1; i <= 99; i++)
        {
            worker.RecordOk(i * ms);
        }

        worker.RecordError(5 * ms, StatusCode.Unavailable, "server gone");

        var text = BenchFormatter.Human(Build([worker], countErrors: false));

        Assert.Contains("Summary:\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Matches(@"\n  Count:\s+100\n", text.ReplaceLineEndings("\n"));
        Assert.Matches(@"\n  Total:\s+1\.00 s\n", text.ReplaceLineEndings("\n"));
        Assert.Matches(@"\n  Slowest:\s+99\.00 ms\n", text.ReplaceLineEndings("\n"));
        Assert.Matches(@"\n  Fastest:\s+1\.00 ms\n", text.ReplaceLineEndings("\n"));
        Assert.Matches(@"\n  Average:\s+50\.00 ms\n", text.ReplaceLineEndings("\n"));
        Assert.Matches(@"\n  Requests/sec:\s+100\.00\n", text.ReplaceLineEndings("\n"));
        Assert.Contains("Response time histogram:", text, StringComparison.Ordinal);
        Assert.Contains("|∎∎∎∎", text, StringComparison.Ordinal);
        Assert.Contains("  50 % in 50.00 ms", text, StringComparison.Ordinal);
        Assert.Contains("  99 % in 99.00 ms", text, StringComparison.Ordinal);
        Assert.Matches(@"\[OK\]\s+99 responses", text);
        Assert.Matches(@"\[Unavailable\]\s+1 response\n", text.ReplaceLineEndings("\n"));
        Assert.Matches(@"Error distribution:\n  \[1\]\s+Unavailable: server gone\n", text.ReplaceLineEndings("\n"));
        Assert.Contains("latencies are those of the 99 OK calls", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_report_has_the_documented_fields()
    {
        var ms = Stopwatch.Frequency / 1000;
        var worker = new WorkerRecorder(100);
        for (var i = 1; i <= 100; i++)
        {
            worker.RecordOk(i * ms);
        }

        worker.RecordError(1, StatusCode.Unavailable, "قسد: gone");

        using var json = JsonDocument.Parse(BenchFormatter.Json(Build([worker], countErrors: false)));
        var root = json.RootElement;

        Assert.Equal(101, root.GetProperty("count").GetInt64());
        Assert.Equal(100, root.GetProperty("ok").GetInt64());
        Assert.Equal(1000, root.GetProperty("total_ms").GetDouble());
        Assert.Equal(101, root.GetProperty("rps").GetDouble());
        Assert.Equal(50.5, root.GetProperty("average_ms").GetDouble());
        Assert.Equal(1, root.GetProperty("fastest_ms").GetDouble());
        Assert.Equal(100, root.GetProperty("slowest_ms").GetDouble());
        Assert.Equal(50, root.GetProperty("p50_ms").GetDouble());
        Assert.Equal(90, root.GetProperty("p90_ms").GetDouble());
        Assert.Equal(95, root.GetProperty("p95_ms").GetDouble());
        Assert.Equal(99, root.GetProperty("p99_ms").GetDouble());
        Assert.Equal(10, root.GetProperty("p10_ms").GetDouble());
        Assert.Equal(100, root.GetProperty("status_codes").GetProperty("OK").GetInt64());
        Assert.Equal(1, root.GetProperty("status_codes").GetProperty("Unavailable").GetInt64());
        var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.Equal("Unavailable", error.GetProperty("code").GetString());
        Assert.Equal("قسد: gone", error.GetProperty("message").GetString());
        Assert.Equal(10, root.GetProperty("histogram").GetArrayLength());
        Assert.False(root.GetProperty("cancelled").GetBoolean());
    }

    [Fact]
    public void Json_latencies_are_null_when_no_call_succeeded()
    {
        var worker = new WorkerRecorder(1);
        worker.RecordError(1, StatusCode.Unavailable, "down");

        using var json = JsonDocument.Parse(BenchFormatter.Json(Build([worker], countErrors: false)));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("p50_ms").ValueKind);
        Assert.Equal(0, json.RootElement.GetProperty("ok").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("status_codes").GetProperty("Unavailable").GetInt64());
    }

    private static BenchReport Build(IReadOnlyList<WorkerRecorder> workers, bool countErrors) =>
        BenchReport.Build(workers, TimeSpan.FromSeconds(1), countErrors, "textsearch.v1.SearchService.Search", "http://test", 2, 1, 1, 0);
}
