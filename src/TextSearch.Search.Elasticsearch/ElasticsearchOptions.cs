using System.Globalization;
using System.Text.RegularExpressions;

namespace TextSearch.Search.Elasticsearch;

/// <summary>
/// Settings of the Elasticsearch engine (config section TextSearch:Elasticsearch). Secrets (<see cref="ApiKey"/>,
/// <see cref="Password"/>) are never logged; <see cref="ToString"/> leaves them out.
/// </summary>
public sealed partial class ElasticsearchOptions
{
    public const string Section = "TextSearch:Elasticsearch";

    /// <summary>One node URL, or several separated by commas (requests rotate over them and fail over).</summary>
    public string Url { get; set; } = "http://localhost:9200";

    /// <summary>An API key, as Elasticsearch returns it in <c>encoded</c> (base64 of id:key). Sent as <c>Authorization: ApiKey …</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Basic authentication user (with <see cref="Password"/>); not together with <see cref="ApiKey"/>.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// SHA-256 fingerprint (hex, colons allowed) of the cluster's HTTP CA certificate, or of its own certificate:
    /// a certificate chain containing it is trusted even if no system CA signed it (the host name is not checked,
    /// as with Elasticsearch's own clients).
    /// </summary>
    public string? CertificateFingerprint { get; set; }

    /// <summary>A CA certificate (PEM or DER file) that signs the cluster's HTTP certificate; the host name is checked.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>The alias every request goes through. It points at the versioned index <c>{Index}-v{IndexVersion}</c>.</summary>
    public string Index { get; set; } = "textsearch";

    /// <summary>The version of the concrete index created behind the alias; a reindex creates the next one and moves the alias.</summary>
    public int IndexVersion { get; set; } = 1;

    /// <summary>Primary shards of a new index. With more than one, searches use dfs_query_then_fetch so scores use global statistics.</summary>
    public int Shards { get; set; } = 1;

    /// <summary>Replicas of a new index (0 on a single node, or the cluster stays yellow).</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>How long one request may take before it is abandoned.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening a connection may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries (with exponential backoff) on 429, 502, 503, 504 and connection errors.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The concrete index behind the alias.</summary>
    public string VersionedIndex => $"{Index}-v{IndexVersion.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The node URLs.</summary>
    public IReadOnlyList<Uri> Nodes => [.. Url.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(u => new Uri(u.EndsWith('/') ? u : u + "/", UriKind.Absolute))];

    /// <summary>What is wrong with these settings (empty when they are usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var urls = (Url ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            errors.Add($"{Section}:Url is required (one URL, or several separated by commas).");
        }

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{Section}:Url '{url}' is not an http:// or https:// URL.");
            }
            else if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                errors.Add($"{Section}:Url must not carry credentials; use {Section}:Username and :Password, or :ApiKey.");
            }
        }

        if (!string.IsNullOrEmpty(ApiKey) && !string.IsNullOrEmpty(Username))
        {
            errors.Add($"{Section}: set either ApiKey or Username/Password, not both.");
        }

        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            errors.Add($"{Section}:Username and :Password go together.");
        }

        if (!string.IsNullOrEmpty(CertificateFingerprint) && NormalizeFingerprint(CertificateFingerprint) is null)
        {
            errors.Add($"{Section}:CertificateFingerprint must be a SHA-256 fingerprint: 64 hex digits (colons allowed).");
        }

        if (!string.IsNullOrEmpty(CaCertificatePath) && !File.Exists(CaCertificatePath))
        {
            errors.Add($"{Section}:CaCertificatePath '{CaCertificatePath}' does not exist.");
        }

        if (string.IsNullOrEmpty(Index) || !IndexName().IsMatch(Index))
        {
            errors.Add($"{Section}:Index '{Index}' is not a valid index name (lowercase letters, digits, '-', '_', '.'; not starting with '-', '_', '+' or '.').");
        }

        if (IndexVersion < 1)
        {
            errors.Add($"{Section}:IndexVersion must be 1 or more.");
        }

        if (Shards < 1 || Shards > 1024)
        {
            errors.Add($"{Section}:Shards must be between 1 and 1024.");
        }

        if (Replicas < 0 || Replicas > 64)
        {
            errors.Add($"{Section}:Replicas must be between 0 and 64.");
        }

        if (RequestTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:RequestTimeout and :ConnectTimeout must be positive.");
        }

        if (MaxRetries is < 0 or > 10)
        {
            errors.Add($"{Section}:MaxRetries must be between 0 and 10.");
        }

        return errors;
    }

    /// <summary>The fingerprint as 64 uppercase hex digits, or null if it is not one.</summary>
    public static string? NormalizeFingerprint(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var hex = fingerprint.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    /// <summary>The settings without secrets, for logs.</summary>
    public override string ToString()
    {
        var auth = !string.IsNullOrEmpty(ApiKey) ? "api key" : !string.IsNullOrEmpty(Username) ? $"basic auth as '{Username}'" : "no authentication";
        var tls = !string.IsNullOrEmpty(CertificateFingerprint) ? ", CA fingerprint" : !string.IsNullOrEmpty(CaCertificatePath) ? $", CA {CaCertificatePath}" : string.Empty;
        return $"{Url} (index alias '{Index}' → '{VersionedIndex}', {auth}{tls})";
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,200}$")]
    private static partial Regex IndexName();
}
