using TextSearch.Analysis;
using TextSearch.Search;

namespace TextSearch.Server.Hosting;

/// <summary>The TextSearch configuration section.</summary>
public sealed class TextSearchOptions
{
    public const string Section = "TextSearch";

    /// <summary>The gRPC (HTTP/2) address(es) when no --urls is given.</summary>
    public string GrpcUrl { get; set; } = "http://localhost:50051";

    /// <summary>
    /// The HTTP/1.1 side: the JSON API, gRPC-Web, the web search page, /metrics and /healthz. Several addresses are
    /// separated by ';'; empty (or "none") switches it off. gRPC (h2c) stays on --urls.
    /// </summary>
    public string HttpUrl { get; set; } = string.Empty;

    /// <summary>
    /// Host names the HTTP side answers (DNS-rebinding protection); "*" is any. Empty: only localhost, 127.0.0.1 and
    /// [::1] when every HttpUrl is a loopback address, any otherwise.
    /// </summary>
    public List<string> HttpAllowedHosts { get; set; } = [];

    /// <summary>Origins allowed to call the HTTP side from other sites' pages (CORS, for gRPC-Web and the JSON API); empty allows none.</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>Lucene (the embedded default) or Elasticsearch (settings under TextSearch:Elasticsearch).</summary>
    public string Engine { get; set; } = "Lucene";

    /// <summary>The embedded index folder; relative paths are relative to the working directory.</summary>
    public string IndexPath { get; set; } = "data/index";

    /// <summary>Seed articles indexed at start-up; empty skips them.</summary>
    public string SeedsPath { get; set; } = "seeds";

    /// <summary>The synonyms file; empty uses the one that ships with the server.</summary>
    public string SynonymsPath { get; set; } = string.Empty;

    public static bool IsLucene(string? engine) => string.IsNullOrEmpty(engine) || string.Equals(engine, "Lucene", StringComparison.OrdinalIgnoreCase);

    public static bool IsElasticsearch(string? engine) => string.Equals(engine, "Elasticsearch", StringComparison.OrdinalIgnoreCase);

    /// <summary>Ranking (TextSearch:Ranking:*).</summary>
    public RankingOptions Ranking { get; set; } = new();

    /// <summary>Index and query analysis (TextSearch:Analysis:*). Changing it needs a reindex.</summary>
    public AnalysisSettings Analysis { get; set; } = new();

    /// <summary>Message size, concurrency, deadline and query-time limits (TextSearch:Limits:*).</summary>
    public LimitsOptions Limits { get; set; } = new();

    /// <summary>Optional API keys (TextSearch:Auth:*).</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>TLS (TextSearch:Tls:*); off when no certificate is configured.</summary>
    public TlsOptions Tls { get; set; } = new();
}

/// <summary>The analysis choices that are configurable; everything else is the core's default.</summary>
public sealed class AnalysisSettings
{
    public bool HamzaCarriers { get; set; }

    public bool TehMarbuta { get; set; } = true;

    public bool AlefMaksura { get; set; } = true;

    public bool Stem { get; set; } = true;

    public bool QuestionWordsAreStopwords { get; set; } = true;

    public AnalyzerOptions ToAnalyzerOptions()
    {
        var rules = NormalizationRules.Default;
        rules = HamzaCarriers ? rules | NormalizationRules.HamzaCarriers : rules & ~NormalizationRules.HamzaCarriers;
        rules = TehMarbuta ? rules : rules & ~NormalizationRules.TehMarbuta;
        rules = AlefMaksura ? rules : rules & ~NormalizationRules.AlefMaksura;
        return new AnalyzerOptions { Rules = rules, Stem = Stem, QuestionWordsAreStopwords = QuestionWordsAreStopwords };
    }
}
