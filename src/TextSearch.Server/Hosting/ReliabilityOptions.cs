namespace TextSearch.Server.Hosting;

/// <summary>Server limits (TextSearch:Limits:*); docs/reliability.md has the table.</summary>
public sealed class LimitsOptions
{
    /// <summary>The largest gRPC message the server accepts; bigger ones get RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Calls in flight at once (health and reflection not counted); more get RESOURCE_EXHAUSTED at once.</summary>
    public int MaxConcurrentCalls { get; set; } = 256;

    /// <summary>
    /// Request bytes the server holds at once while it reads and checks unary request messages, shared by all calls;
    /// a call that would go over gets RESOURCE_EXHAUSTED before its message is read. 0 is no budget.
    /// </summary>
    public long MaxBufferedRequestBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Health Watch streams open at once; more get RESOURCE_EXHAUSTED at once. Check is not counted.</summary>
    public int MaxHealthWatchers { get; set; } = 100;

    /// <summary>The deadline applied to a call whose client sent none (gRPC, gRPC-Web and JSON); 0 applies none.</summary>
    public double DefaultDeadlineSeconds { get; set; } = 30;

    /// <summary>
    /// The deadline applied to a client-streaming call (a bulk upload) whose client sent none; 0 applies none. Ten
    /// minutes: a stream of several hundred thousand documents finishes within it, a stream left open does not hold
    /// its bulk slot for ever.
    /// </summary>
    public double DefaultBulkDeadlineSeconds { get; set; } = 600;

    /// <summary>How long one query may run in the engine before it is stopped with DEADLINE_EXCEEDED; 0 is no budget.</summary>
    public double QueryTimeBudgetMs { get; set; } = 5000;
}

/// <summary>Optional API keys (TextSearch:Auth:*). No keys configured: auth is off.</summary>
public sealed class AuthOptions
{
    /// <summary>Keys that may call SearchService and NormalizationService.</summary>
    public List<string> ReadKeys { get; set; } = [];

    /// <summary>Keys that may call everything, DocumentService included.</summary>
    public List<string> WriteKeys { get; set; } = [];
}

/// <summary>TLS (TextSearch:Tls:*): a PEM certificate and key, or a PFX with its password.</summary>
public sealed class TlsOptions
{
    public string CertificatePath { get; set; } = string.Empty;

    public string KeyPath { get; set; } = string.Empty;

    public string PfxPath { get; set; } = string.Empty;

    public string PfxPassword { get; set; } = string.Empty;

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(PfxPath);
}
