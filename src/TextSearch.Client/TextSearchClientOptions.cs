namespace TextSearch.Client;

/// <summary>How the API key is sent.</summary>
public enum ApiKeyHeader
{
    /// <summary><c>authorization: Bearer &lt;key&gt;</c> (the default).</summary>
    AuthorizationBearer = 0,

    /// <summary><c>x-api-key: &lt;key&gt;</c>.</summary>
    XApiKey = 1,
}

/// <summary>
/// The settings of a <see cref="TextSearchClient"/>. Bind them from configuration (section <c>TextSearch:Client</c> by
/// convention) or set them in code; <see cref="Validate"/> lists what is wrong.
/// </summary>
public sealed class TextSearchClientOptions
{
    /// <summary>The default per-call timeout: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The server, e.g. <c>http://localhost:50051</c> (h2c) or <c>https://search.example.com</c>. Required.</summary>
    public Uri? Address { get; set; }

    /// <summary>The API key sent on every call; null or empty sends none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The header that carries <see cref="ApiKey"/>.</summary>
    public ApiKeyHeader ApiKeyHeader { get; set; } = ApiKeyHeader.AuthorizationBearer;

    /// <summary>
    /// The deadline of a unary call when the call gives none: now + this. It spans every retry attempt.
    /// <see cref="TimeSpan.Zero"/> or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> means no deadline.
    /// </summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>
    /// The deadline of each batch of <see cref="TextSearchClient.IndexAsync"/> (one BulkUpsertDocuments call and its
    /// retries). Zero or infinite means no deadline. Default 2 minutes.
    /// </summary>
    public TimeSpan IndexBatchTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts per call, the first included, for UNAVAILABLE (1 disables retries). Default 4, at most 10.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The backoff before the first retry. Default 200 ms.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest backoff. Default 5 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The factor the backoff grows by after each retry. Default 2.</summary>
    public double BackoffMultiplier { get; set; } = 2;

    /// <summary>Documents per BulkUpsertDocuments call in <see cref="TextSearchClient.IndexAsync"/>. Default 500.</summary>
    public int IndexBatchSize { get; set; } = 500;

    /// <summary>
    /// The most serialized bytes per BulkUpsertDocuments call (a batch is closed before it would exceed this; a single
    /// larger document goes alone). Default 4 MiB. The batch is kept in memory until acknowledged, for retries.
    /// </summary>
    public long IndexBatchMaxBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>True when the timeout means "no deadline".</summary>
    internal static bool IsInfinite(TimeSpan timeout) => timeout == TimeSpan.Zero || timeout == System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>Every problem with these settings, as sentences; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Address is null)
        {
            errors.Add("Address is required (e.g. http://localhost:50051).");
        }
        else if (!Address.IsAbsoluteUri || (Address.Scheme != Uri.UriSchemeHttp && Address.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"Address must be an absolute http:// or https:// URI; got '{Address}'.");
        }

        if (!string.IsNullOrEmpty(ApiKey) && ApiKey.Any(c => c < 0x21 || c > 0x7E))
        {
            errors.Add("ApiKey must be printable ASCII without spaces.");
        }

        if (!Enum.IsDefined(ApiKeyHeader))
        {
            errors.Add($"ApiKeyHeader '{ApiKeyHeader}' is not known.");
        }

        if (Timeout < TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            errors.Add("Timeout must not be negative (zero means no deadline).");
        }

        if (IndexBatchTimeout < TimeSpan.Zero && IndexBatchTimeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            errors.Add("IndexBatchTimeout must not be negative (zero means no deadline).");
        }

        if (MaxAttempts is < 1 or > 10)
        {
            errors.Add($"MaxAttempts must be between 1 and 10; got {MaxAttempts}.");
        }

        if (InitialBackoff <= TimeSpan.Zero)
        {
            errors.Add("InitialBackoff must be positive.");
        }

        if (MaxBackoff < InitialBackoff)
        {
            errors.Add("MaxBackoff must be at least InitialBackoff.");
        }

        if (!(BackoffMultiplier >= 1) || double.IsInfinity(BackoffMultiplier))
        {
            errors.Add("BackoffMultiplier must be a finite number of at least 1.");
        }

        if (IndexBatchSize < 1)
        {
            errors.Add("IndexBatchSize must be at least 1.");
        }

        if (IndexBatchMaxBytes < 1)
        {
            errors.Add("IndexBatchMaxBytes must be at least 1.");
        }

        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem, if any.</summary>
    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid TextSearchClientOptions: " + string.Join(" ", errors));
        }
    }

    /// <summary>A copy, so later changes to the source do not affect a client.</summary>
    internal TextSearchClientOptions Clone() => (TextSearchClientOptions)MemberwiseClone();
}
