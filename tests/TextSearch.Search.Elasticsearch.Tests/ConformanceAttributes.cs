namespace TextSearch.Search.Tests;

// The engine-conformance suite (EngineConformanceTests.cs, linked from TextSearch.Search.Tests) runs here against a
// live Elasticsearch cluster, and only when ELASTICSEARCH_URL says where one is. Without it every conformance test
// is reported as skipped, with the reason, and never as passed.

/// <summary>A conformance test that needs a live Elasticsearch cluster.</summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute()
    {
        if (Elasticsearch.Tests.Support.LiveCluster.Url is null)
        {
            Skip = Elasticsearch.Tests.Support.LiveCluster.SkipReason;
        }
    }
}

/// <summary>A conformance theory that needs a live Elasticsearch cluster.</summary>
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute()
    {
        if (Elasticsearch.Tests.Support.LiveCluster.Url is null)
        {
            Skip = Elasticsearch.Tests.Support.LiveCluster.SkipReason;
        }
    }
}
