using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search.Elasticsearch.Tests.Support;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>
/// The engine-conformance suite on a live Elasticsearch cluster (ELASTICSEARCH_URL): each test gets a fresh index of
/// a unique name, deleted afterwards. Without ELASTICSEARCH_URL every test here is reported as skipped.
/// </summary>
public sealed class ElasticsearchEngineTests : EngineConformanceTests, IConditionalSuite
{
    /// <summary>Without a live cluster every test here is reported skipped, with this reason.</summary>
    public static string? SkipReason => LiveCluster.Url is null ? LiveCluster.SkipReason : null;

    private ElasticsearchBackend? _backend;

    protected override Task<ISearchBackend> CreateBackendAsync()
    {
        _backend = new ElasticsearchBackend(
            LiveCluster.Options($"textsearch-test-{Guid.NewGuid():N}"),
            new RankingOptions(),
            TextAnalyzer.Default,
            TestSupport.Synonyms,
            NullLogger<ElasticsearchBackend>.Instance);
        return Task.FromResult<ISearchBackend>(_backend);
    }

    public override async Task DisposeAsync()
    {
        if (_backend is not null)
        {
            await _backend.DropIndexAsync(default);
        }

        await base.DisposeAsync();
    }
}
