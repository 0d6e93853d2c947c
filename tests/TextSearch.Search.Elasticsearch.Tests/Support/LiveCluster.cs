namespace TextSearch.Search.Elasticsearch.Tests.Support;

/// <summary>
/// The live cluster the conformance suite runs against, from the environment: ELASTICSEARCH_URL (required),
/// ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD or ELASTICSEARCH_API_KEY, ELASTICSEARCH_CA_FINGERPRINT.
/// </summary>
internal static class LiveCluster
{
    public const string SkipReason = "ELASTICSEARCH_URL is not set: no Elasticsearch server to test against";

    public static string? Url => Environment.GetEnvironmentVariable("ELASTICSEARCH_URL") is { Length: > 0 } url ? url : null;

    /// <summary>Settings for a fresh index of a unique name (one shard, no replica), deleted after the test.</summary>
    public static ElasticsearchOptions Options(string index) => new()
    {
        Url = Url ?? throw new InvalidOperationException(SkipReason),
        Username = Variable("ELASTICSEARCH_USERNAME"),
        Password = Variable("ELASTICSEARCH_PASSWORD"),
        ApiKey = Variable("ELASTICSEARCH_API_KEY"),
        CertificateFingerprint = Variable("ELASTICSEARCH_CA_FINGERPRINT"),
        Index = index,
        Shards = 1,
        Replicas = 0,
    };

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
