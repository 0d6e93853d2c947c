using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using TextSearch.Cli.Bench;

namespace TextSearch.Cli.Tests.Unit;

public sealed class BenchStatisticsTests
{
    /// <summary>Stopwatch ticks for a latency in microseconds.</summary>
    private static long Ticks(double microseconds) => (long)Math.Round(microseconds * Stopwatch.Frequency / 1_000_000.0);

    private static long Ms(double milliseconds) => Ticks(milliseconds * 1000);

    /// <summary>1 ms, 2 ms, ... 100 ms: above 2,048 µs HdrHistogram keeps 3 significant digits, not the exact value.</summary>
    private static BenchRecorder OneToHundredMs()
    {
        var recorder = new BenchRecorder();
        for (var i = 1; i <= 100; i++)
        {
            recorder.RecordOk(Ms(i));
        }

        return recorder;
    }

    /// <summary>Within HdrHistogram's precision: 3 significant digits, i.e. 0.1 %.</summary>
    private static void Near(double expected, double actual) => Assert.InRange(actual, expected * 0.999, expected * 1.001);

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
    public void Percentiles_are_the_value_at_that_rank(double percent, double expectedMs)
    {
        var recorder = OneToHundredMs();
        var summary = LatencySummary.From(recorder.Ok)!;

        Near(expectedMs * 1000, recorder.Ok.GetValueAtPercentile(percent));
        if (LatencySummary.StandardPercentiles.Contains(percent))
        {
            Assert.Equal(recorder.Ok.GetValueAtPercentile(percent) / 1000.0, summary.Percentile(percent));
        }
    }

    [Fact]
    public void Percentiles_of_few_values_are_values_that_occurred()
    {
        // Below 2,048 µs every microsecond has a bucket of its own, so these are exact.
        var recorder = new BenchRecorder();
        foreach (var us in new[] { 100, 200, 300, 1999 })
        {
            recorder.RecordOk(Ticks(us));
        }

        var summary = LatencySummary.From(recorder.Ok)!;

        Assert.Equal([0.1, 0.1, 0.2, 0.3, 1.999, 1.999, 1.999], summary.Percentiles.Select(p => p.Ms));
    }

    [Fact]
    public void Percentiles_at_exact_boundaries_do_not_round_up()
    {
        // 29 % of 100 is rank 29 even though 0.29 * 100 is 28.999999999999996 in binary.
        var microseconds = OneToHundredMs().Ok;

        Near(29_000, microseconds.GetValueAtPercentile(29));
        Near(57_000, microseconds.GetValueAtPercentile(57));
    }

    [Fact]
    public void Summary_has_count_fastest_slowest_average_and_the_ghz_percentiles()
    {
        var summary = LatencySummary.From(OneToHundredMs().Ok)!;

        Assert.Equal(100, summary.Count);
        Near(1, summary.FastestMs);
        Near(100, summary.SlowestMs);
        Near(50.5, summary.AverageMs);
        Assert.Equal([10.0, 25, 50, 75, 90, 95, 99], summary.Percentiles.Select(p => p.Percent));
        Assert.True(summary.FastestMs <= summary.Percentile(10) && summary.Percentile(99) <= summary.SlowestMs);
        Assert.Null(LatencySummary.From(new BenchRecorder().Ok));
    }

    [Fact]
    public void Memory_stays_the_same_however_many_latencies_are_recorded()
    {
        var recorder = new BenchRecorder();
        for (var i = 0; i < 10; i++)
        {
            recorder.RecordOk(Ticks(1000));
        }

        var afterTen = recorder.EstimatedFootprintInBytes;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5_000_000; i++)
        {
            // 1 µs to 1 s, spread over every bucket the histogram has up there.
            recorder.RecordOk(Ticks(1 + (i % 1_000_000)));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(afterTen, recorder.EstimatedFootprintInBytes);
        Assert.InRange(afterTen, 1, 1 << 20);
        // The old recorder kept every tick: 5,000,000 longs are 40 MB. Recording allocates nothing.
        Assert.InRange(allocated, 0, 64 * 1024);
        var summary = LatencySummary.From(recorder.Ok)!;
        Assert.Equal(5_000_010, summary.Count);
        Near(500, summary.Percentile(50));
        Near(1000, summary.SlowestMs);
    }

    [Fact]
    public void Latencies_are_whole_microseconds_from_zero_to_a_day()
    {
        Assert.Equal(1500, BenchRecorder.Microseconds(Stopwatch.Frequency * 3 / 2000));
        Assert.Equal(1_000_000, BenchRecorder.Microseconds(Stopwatch.Frequency));
        Assert.Equal(0, BenchRecorder.Microseconds(-5));
        Assert.Equal(BenchRecorder.HighestMicroseconds, BenchRecorder.Microseconds(Stopwatch.Frequency * 2 * 86_400));

        var recorder = new BenchRecorder();
        recorder.RecordOk(-5);
        recorder.RecordOk(Stopwatch.Frequency * 2 * 86_400);
        var summary = LatencySummary.From(recorder.Ok)!;
        Assert.Equal(0, summary.FastestMs);
        Near(86_400_000, summary.SlowestMs);
    }

    [Fact]
    public void Histogram_has_ten_equal_bars_from_fastest_to_slowest_holding_every_value()
    {
        var summary = LatencySummary.From(OneToHundredMs().Ok)!;
        var histogram = summary.Histogram;

        Assert.Equal(10, histogram.Count);
        Assert.Equal(100, histogram.Sum(b => b.Count));
        Assert.All(histogram, b => Assert.Equal(10, b.Count));
        Assert.Equal(summary.SlowestMs, histogram[^1].UpperMs);
        Near(10.9, histogram[0].UpperMs);
        Assert.True(histogram.Zip(histogram.Skip(1)).All(p => p.First.UpperMs < p.Second.UpperMs));
    }

    [Fact]
    public void Histogram_puts_each_value_in_the_bar_whose_range_holds_it()
    {
        // Range 0..10, bars of 1: 0 and 1 in the first (0, 1] (plus the fastest), 1.5 twice in (1, 2], 10 in the last.
        var histogram = LatencySummary.BuildHistogram([(0, 1), (1, 1), (1.5, 2), (10, 1)], 0, 10, 10);

        Assert.Equal([2L, 2, 0, 0, 0, 0, 0, 0, 0, 1], histogram.Select(b => b.Count));
    }

    [Fact]
    public void Histogram_of_equal_values_is_one_bar()
    {
        var histogram = LatencySummary.BuildHistogram([(3.0, 3)], 3, 3, 10);

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
    public void Report_counts_statuses_and_errors_from_every_worker()
    {
        var recorder = new BenchRecorder();
        Parallel.For(0, 2, worker =>
        {
            if (worker == 0)
            {
                recorder.RecordOk(Ms(1));
                recorder.RecordOk(Ms(3));
                recorder.RecordError(Ms(50), StatusCode.Unavailable, "connection refused");
            }
            else
            {
                recorder.RecordOk(Ms(2));
                recorder.RecordError(Ms(60), StatusCode.Unavailable, "connection refused");
                recorder.RecordError(Ms(70), StatusCode.DeadlineExceeded, "deadline");
            }
        });

        var report = Build(recorder, countErrors: false);

        Assert.Equal(6, report.Count);
        Assert.Equal(3, report.OkCount);
        Assert.False(report.AllOk);
        Assert.Equal([(StatusCode.OK, 3L), (StatusCode.Unavailable, 2L), (StatusCode.DeadlineExceeded, 1L)], report.StatusCodes);
        Assert.Equal(
            [new ErrorCount(StatusCode.Unavailable, "connection refused", 2), new ErrorCount(StatusCode.DeadlineExceeded, "deadline", 1)],
            report.Errors);
        Assert.Equal(3, report.Latency!.Count);
        Near(1, report.Latency.FastestMs);
        Near(3, report.Latency.SlowestMs);
        Near(2, report.Latency.AverageMs);
        Assert.Equal(6, report.RequestsPerSecond, 9);

        var all = Build(recorder, countErrors: true);
        Assert.Equal(6, all.Latency!.Count);
        Near(70, all.Latency.SlowestMs);
        Assert.Equal(3, recorder.Ok.TotalCount);
    }

    [Fact]
    public void Report_without_any_ok_call_has_no_latency_and_only_error_statuses()
    {
        var recorder = new BenchRecorder();
        recorder.RecordError(10, StatusCode.Unavailable, "down");

        var report = Build(recorder, countErrors: false);

        Assert.Null(report.Latency);
        Assert.Equal([(StatusCode.Unavailable, 1L)], report.StatusCodes);
        Assert.Empty(Build(new BenchRecorder(), countErrors: false).StatusCodes);
    }

    [Fact]
    public void Report_lists_the_most_frequent_errors_and_counts_the_rest()
    {
        var recorder = new BenchRecorder();
        for (var kind = 0; kind < 8; kind++)
        {
            for (var i = 0; i <= kind; i++)
            {
                recorder.RecordError(1, StatusCode.Internal, $"error {kind}");
            }
        }

        var report = Build(recorder, countErrors: false);

        Assert.Equal(["error 7", "error 6", "error 5", "error 4", "error 3"], report.Errors.Select(e => e.Message));
        Assert.Equal(3, report.OtherErrorKinds);
        Assert.Equal([(StatusCode.Internal, 36L)], report.StatusCodes);
    }

    [Fact]
    public void Error_messages_past_the_limit_are_counted_together_per_status()
    {
        var recorder = new BenchRecorder();
        for (var i = 0; i < BenchRecorder.MaxErrorKinds + 500; i++)
        {
            recorder.RecordError(1, i % 2 == 0 ? StatusCode.Internal : StatusCode.Unavailable, $"document {i} failed");
        }

        recorder.RecordError(1, StatusCode.Internal, "document 0 failed");

        Assert.Equal(BenchRecorder.MaxErrorKinds + 2, recorder.Errors.Count);
        Assert.Equal(2, recorder.Errors[(StatusCode.Internal, "document 0 failed")]);
        Assert.Equal(250, recorder.Errors[(StatusCode.Internal, BenchRecorder.OtherMessages)]);
        Assert.Equal(250, recorder.Errors[(StatusCode.Unavailable, BenchRecorder.OtherMessages)]);
        var report = Build(recorder, countErrors: false);
        Assert.Equal([(StatusCode.Internal, 751L), (StatusCode.Unavailable, 750L)], report.StatusCodes);
        Assert.Equal(BenchRecorder.MaxErrorKinds + 501, report.Count);
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
        // 10 µs steps below 2,048 µs: exact in the histogram, so the printed figures are exact too.
        var recorder = new BenchRecorder();
        for (var i = 1; i <= 99; i++)
        {
            recorder.RecordOk(Ticks(i * 20));
        }

        recorder.RecordError(Ticks(100), StatusCode.Unavailable, "server gone");

        var text = BenchFormatter.Human(Build(recorder, countErrors: false)).ReplaceLineEndings("\n");

        Assert.Contains("Summary:\n", text, StringComparison.Ordinal);
        Assert.Matches(@"\n  Count:\s+100\n", text);
        Assert.Matches(@"\n  Total:\s+1\.00 s\n", text);
        Assert.Matches(@"\n  Slowest:\s+1\.98 ms\n", text);
        Assert.Matches(@"\n  Fastest:\s+0\.02 ms\n", text);
        Assert.Matches(@"\n  Average:\s+1\.00 ms\n", text);
        Assert.Matches(@"\n  Requests/sec:\s+100\.00\n", text);
        Assert.Contains("Response time histogram:", text, StringComparison.Ordinal);
        Assert.Contains("  0.216 [10] |∎∎∎∎", text, StringComparison.Ordinal);
        Assert.Contains("  50 % in 1.00 ms", text, StringComparison.Ordinal);
        Assert.Contains("  99 % in 1.96 ms", text, StringComparison.Ordinal);
        Assert.Matches(@"\[OK\]\s+99 responses", text);
        Assert.Matches(@"\[Unavailable\]\s+1 response\n", text);
        Assert.Matches(@"Error distribution:\n  \[1\]\s+Unavailable: server gone\n", text);
        Assert.Contains("latencies are those of the 99 OK calls", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_report_has_the_documented_fields()
    {
        var recorder = new BenchRecorder();
        for (var i = 1; i <= 100; i++)
        {
            recorder.RecordOk(Ticks(i * 10));
        }

        recorder.RecordError(1, StatusCode.Unavailable, "قسد: gone");

        using var json = JsonDocument.Parse(BenchFormatter.Json(Build(recorder, countErrors: false)));
        var root = json.RootElement;

        // Microseconds below 2,048 are exact in the histogram: these are the exact figures.
        var expected = new Dictionary<string, double>
        {
            ["count"] = 101,
            ["ok"] = 100,
            ["total_ms"] = 1000,
            ["rps"] = 101,
            ["average_ms"] = 0.505,
            ["fastest_ms"] = 0.01,
            ["slowest_ms"] = 1,
            ["p10_ms"] = 0.1,
            ["p25_ms"] = 0.25,
            ["p50_ms"] = 0.5,
            ["p75_ms"] = 0.75,
            ["p90_ms"] = 0.9,
            ["p95_ms"] = 0.95,
            ["p99_ms"] = 0.99,
        };
        Assert.Equal(expected, expected.Keys.ToDictionary(name => name, name => root.GetProperty(name).GetDouble()));
        Assert.Equal(100, root.GetProperty("status_codes").GetProperty("OK").GetInt64());
        Assert.Equal(1, root.GetProperty("status_codes").GetProperty("Unavailable").GetInt64());
        var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.Equal("Unavailable", error.GetProperty("code").GetString());
        Assert.Equal("قسد: gone", error.GetProperty("message").GetString());
        Assert.Equal(10, root.GetProperty("histogram").GetArrayLength());
        Assert.Equal(100, root.GetProperty("histogram").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()));
        Assert.False(root.GetProperty("cancelled").GetBoolean());
    }

    [Fact]
    public void Json_latencies_are_null_when_no_call_succeeded()
    {
        var recorder = new BenchRecorder();
        recorder.RecordError(1, StatusCode.Unavailable, "down");

        using var json = JsonDocument.Parse(BenchFormatter.Json(Build(recorder, countErrors: false)));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("p50_ms").ValueKind);
        Assert.Equal(0, json.RootElement.GetProperty("ok").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("status_codes").GetProperty("Unavailable").GetInt64());
    }

    private static BenchReport Build(BenchRecorder recorder, bool countErrors) =>
        BenchReport.Build(recorder, TimeSpan.FromSeconds(1), countErrors, "textsearch.v1.SearchService.Search", "http://test", 2, 1, 1, 0);
}
