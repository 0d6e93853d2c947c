using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Grpc.Core;

namespace TextSearch.Cli.Bench;

/// <summary>The report as ghz prints it (summary, histogram, latency distribution, status codes, errors), or as JSON.</summary>
internal static class BenchFormatter
{
    private const int BarWidth = 40;
    private const char BarMark = '∎';

    public static string Human(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        var latency = report.Latency;
        var connections = report.Connections == 1 ? "1 connection" : $"{Num(report.Connections)} connections";

        sb.AppendLine();
        sb.AppendLine("Summary:");
        Row(sb, "Call:", report.Method);
        Row(sb, "Server:", report.Server);
        Row(sb, "Concurrency:", $"{Num(report.Concurrency)} workers over {connections} ({Num(report.ConnectionsOpened)} opened)");
        if (report.Warmup > 0)
        {
            Row(sb, "Warm-up:", $"{Num(report.Warmup)} calls, not counted");
        }

        if (report.UniqueIdTag is { } tag)
        {
            Row(sb, "Document ids:", $"ID-{tag}-N");
        }

        Row(sb, "Count:", Num(report.Count));
        Row(sb, "Total:", Duration(report.Total.TotalMilliseconds));
        Row(sb, "Slowest:", latency is null ? "-" : Ms(latency.SlowestMs));
        Row(sb, "Fastest:", latency is null ? "-" : Ms(latency.FastestMs));
        Row(sb, "Average:", latency is null ? "-" : Ms(latency.AverageMs));
        Row(sb, "Requests/sec:", report.RequestsPerSecond.ToString("0.00", CultureInfo.InvariantCulture));
        if (report.Cancelled)
        {
            sb.AppendLine("  (stopped by Ctrl+C: the calls made until then)");
        }

        if (!report.AllOk && !report.CountErrors)
        {
            sb.AppendLine($"  (latencies are those of the {Num(report.OkCount)} OK calls; --count-errors includes the others)");
        }

        if (latency is not null)
        {
            sb.AppendLine();
            sb.AppendLine("Response time histogram:");
            var max = latency.Histogram.Max(b => b.Count);
            var labels = latency.Histogram.Select(b => $"{b.UpperMs.ToString("0.000", CultureInfo.InvariantCulture)} [{Num(b.Count)}]").ToList();
            var width = labels.Max(l => l.Length);
            for (var i = 0; i < labels.Count; i++)
            {
                var bar = max == 0 ? 0 : (int)Math.Round((double)latency.Histogram[i].Count / max * BarWidth);
                sb.Append("  ").Append(labels[i].PadRight(width)).Append(" |").AppendLine(new string(BarMark, bar));
            }

            sb.AppendLine();
            sb.AppendLine("Latency distribution:");
            foreach (var (percent, ms) in latency.Percentiles)
            {
                sb.AppendLine($"  {percent.ToString("0", CultureInfo.InvariantCulture),2} % in {Ms(ms)}");
            }
        }

        sb.AppendLine();
        sb.AppendLine("Status code distribution:");
        if (report.StatusCodes.Count == 0)
        {
            sb.AppendLine("  (no calls)");
        }

        var codeWidth = report.StatusCodes.Select(s => BenchReport.StatusName(s.Code).Length + 2).DefaultIfEmpty(0).Max();
        foreach (var (code, count) in report.StatusCodes)
        {
            sb.AppendLine($"  {$"[{BenchReport.StatusName(code)}]".PadRight(codeWidth)}   {Num(count)} {(count == 1 ? "response" : "responses")}");
        }

        if (report.Errors.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Error distribution:");
            var countWidth = report.Errors.Max(e => Num(e.Count).Length) + 2;
            foreach (var error in report.Errors)
            {
                sb.AppendLine($"  {$"[{Num(error.Count)}]".PadRight(countWidth)}   {BenchReport.StatusName(error.Code)}: {error.Message}");
            }

            if (report.OtherErrorKinds > 0)
            {
                sb.AppendLine($"  (and {Num(report.OtherErrorKinds)} other distinct {(report.OtherErrorKinds == 1 ? "error" : "errors")})");
            }
        }

        sb.AppendLine();
        return sb.ToString();
    }

    /// <summary>
    /// One JSON object: count, total_ms, rps, average_ms, fastest_ms, slowest_ms, p10_ms … p99_ms (null when no latency
    /// was kept), histogram, status_codes {name: count}, errors [{code, message, count}], and the run's settings.
    /// </summary>
    public static string Json(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var latency = report.Latency;
            json.WriteStartObject();
            json.WriteString("call", report.Method);
            json.WriteString("server", report.Server);
            json.WriteNumber("concurrency", report.Concurrency);
            json.WriteNumber("connections", report.Connections);
            json.WriteNumber("connections_opened", report.ConnectionsOpened);
            json.WriteNumber("warmup", report.Warmup);
            json.WriteNumber("count", report.Count);
            json.WriteNumber("ok", report.OkCount);
            json.WriteNumber("total_ms", Round(report.Total.TotalMilliseconds));
            json.WriteNumber("rps", Math.Round(report.RequestsPerSecond, 2));
            json.WriteString("latency_of", report.CountErrors ? "all" : "ok");
            Number(json, "average_ms", latency?.AverageMs);
            Number(json, "fastest_ms", latency?.FastestMs);
            Number(json, "slowest_ms", latency?.SlowestMs);
            foreach (var percent in LatencySummary.StandardPercentiles)
            {
                Number(json, $"p{percent.ToString("0", CultureInfo.InvariantCulture)}_ms", latency?.Percentile(percent));
            }

            json.WriteStartArray("histogram");
            foreach (var bucket in latency?.Histogram ?? [])
            {
                json.WriteStartObject();
                json.WriteNumber("le_ms", Round(bucket.UpperMs));
                json.WriteNumber("count", bucket.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("status_codes");
            foreach (var (code, count) in report.StatusCodes)
            {
                json.WriteNumber(BenchReport.StatusName(code), count);
            }

            json.WriteEndObject();
            json.WriteStartArray("errors");
            foreach (var error in report.Errors)
            {
                json.WriteStartObject();
                json.WriteString("code", BenchReport.StatusName(error.Code));
                json.WriteString("message", error.Message);
                json.WriteNumber("count", error.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (report.UniqueIdTag is { } tag)
            {
                json.WriteString("unique_id_tag", tag);
            }

            json.WriteBoolean("cancelled", report.Cancelled);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    private static void Row(StringBuilder sb, string label, string value) => sb.Append("  ").Append(label.PadRight(15)).AppendLine(value);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    private static string Duration(double ms) =>
        ms < 1000 ? Ms(ms) : (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static double Round(double ms) => Math.Round(ms, 3);

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, Round(v));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    internal static string StatusList(IEnumerable<(StatusCode Code, long Count)> codes) =>
        string.Join(", ", codes.Select(c => $"{BenchReport.StatusName(c.Code)} {Num(c.Count)}"));
}
