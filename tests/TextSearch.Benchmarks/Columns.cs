using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TextSearch.Benchmarks;

/// <summary>An amount processed per benchmark invocation divided by the mean time of one invocation.</summary>
public sealed class PerSecondColumn(string name, string legend, Func<BenchmarkCase, double> amountPerInvocation, double unit)
    : IColumn
{
    public string Id => nameof(PerSecondColumn) + "." + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is > 0 ? (amountPerInvocation(benchmarkCase) / (mean.Value * 1e-9) / unit).ToString("N1") : "NA";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}

/// <summary>Throughput relative to another method on the same parameters: its mean time divided by ours.</summary>
public sealed class SpeedupColumn(string baselineMethod) : IColumn
{
    public string Id => nameof(SpeedupColumn) + "." + baselineMethod;

    public string ColumnName => "vs " + baselineMethod;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Throughput relative to {baselineMethod} on the same input ({baselineMethod} mean time / this mean time)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var baseline = summary.BenchmarksCases.FirstOrDefault(b =>
            b.Descriptor.WorkloadMethod.Name == baselineMethod
            && b.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo
            && b.Job == benchmarkCase.Job);
        var ours = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var theirs = baseline is null ? null : summary[baseline]?.ResultStatistics?.Mean;
        return ours is > 0 && theirs is > 0 ? (theirs.Value / ours.Value).ToString("0.00") + "x" : "NA";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}

/// <summary>A fixed value per benchmark case.</summary>
public sealed class ValueColumn(string name, string legend, Func<BenchmarkCase, string> value) : IColumn
{
    public string Id => nameof(ValueColumn) + "." + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => -1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => value(benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => value(benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
