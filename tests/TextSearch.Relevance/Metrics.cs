namespace TextSearch.Relevance;

/// <summary>Ranking metrics with one relevant document per question.</summary>
public sealed class Metrics
{
    private readonly List<int> _ranks = [];
    private readonly List<double> _latenciesMs = [];

    public int Count => _ranks.Count;

    /// <summary>Records the 1-based rank of the relevant document in the top 10, or 0 if it is not there.</summary>
    public void Add(int rank, double latencyMs)
    {
        _ranks.Add(rank);
        _latenciesMs.Add(latencyMs);
    }

    public static int RankOf(IReadOnlyList<string> ranked, string relevant)
    {
        for (var i = 0; i < ranked.Count && i < 10; i++)
        {
            if (ranked[i] == relevant)
            {
                return i + 1;
            }
        }

        return 0;
    }

    public double Mrr10 => Mean(r => r is > 0 and <= 10 ? 1.0 / r : 0);

    public double RecallAt(int k) => Mean(r => r > 0 && r <= k ? 1 : 0);

    /// <summary>nDCG@10 with one relevant document: 1/log2(rank+1), the ideal being rank 1.</summary>
    public double Ndcg10 => Mean(r => r is > 0 and <= 10 ? 1.0 / Math.Log2(r + 1) : 0);

    public double LatencyPercentile(double p)
    {
        if (_latenciesMs.Count == 0)
        {
            return 0;
        }

        var sorted = _latenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public double MeanLatencyMs => _latenciesMs.Count == 0 ? 0 : _latenciesMs.Average();

    public MetricsReport Report(string name) => new(
        name, Count, Round(Mrr10), Round(RecallAt(1)), Round(RecallAt(5)), Round(RecallAt(10)), Round(Ndcg10),
        Math.Round(LatencyPercentile(50), 2), Math.Round(LatencyPercentile(99), 2));

    private double Mean(Func<int, double> f) => _ranks.Count == 0 ? 0 : _ranks.Average(f);

    private static double Round(double v) => Math.Round(v, 4);
}

public sealed record MetricsReport(
    string Name, int Questions, double Mrr10, double RecallAt1, double RecallAt5, double RecallAt10, double Ndcg10,
    double LatencyP50Ms, double LatencyP99Ms);
