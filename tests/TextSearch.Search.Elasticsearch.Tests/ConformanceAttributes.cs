using Xunit.Abstractions;
using Xunit.Sdk;

namespace TextSearch.Search.Tests;

// The engine-conformance suite (EngineConformanceTests.cs, linked from TextSearch.Search.Tests) runs here twice: on the
// emulated cluster (EmulatedClusterTests, always), and on a live Elasticsearch cluster (ElasticsearchEngineTests), only
// when ELASTICSEARCH_URL says where one is. Without it every test of the live suite is reported as skipped, with the
// reason, and never as passed. The attributes decide per test class: a class that is an ILiveClusterSuite is skipped
// without a cluster.

/// <summary>Marks a test class whose conformance tests need a live Elasticsearch cluster.</summary>
public interface ILiveClusterSuite;

/// <summary>A conformance test: skipped in an <see cref="ILiveClusterSuite"/> without a live cluster, run otherwise.</summary>
[XunitTestCaseDiscoverer("TextSearch.Search.Tests.ConformanceFactDiscoverer", "TextSearch.Search.Elasticsearch.Tests")]
public sealed class ConformanceFactAttribute : FactAttribute;

/// <summary>A conformance theory: skipped in an <see cref="ILiveClusterSuite"/> without a live cluster, run otherwise.</summary>
[XunitTestCaseDiscoverer("TextSearch.Search.Tests.ConformanceTheoryDiscoverer", "TextSearch.Search.Elasticsearch.Tests")]
public sealed class ConformanceTheoryAttribute : TheoryAttribute;

public sealed class ConformanceFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        LiveClusterSkip.Reason(testMethod) is { } reason
            ? [new LiveClusterSkip(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class ConformanceTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        LiveClusterSkip.Reason(testMethod) is { } reason
            ? [new LiveClusterSkip(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}

/// <summary>A test case reported as skipped, with the reason.</summary>
public sealed class LiveClusterSkip : XunitTestCase
{
    private string _reason = string.Empty;

    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public LiveClusterSkip()
    {
    }

    public LiveClusterSkip(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod, string reason)
        : base(sink, display, options, testMethod) => _reason = reason;

    /// <summary>Why a test of this class cannot run here, or null when it can.</summary>
    public static string? Reason(ITestMethod testMethod) =>
        Elasticsearch.Tests.Support.LiveCluster.Url is null
        && testMethod.TestClass.Class is IReflectionTypeInfo type
        && typeof(ILiveClusterSuite).IsAssignableFrom(type.Type)
            ? Elasticsearch.Tests.Support.LiveCluster.SkipReason
            : null;

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("SkipReason", _reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        _reason = data.GetValue<string>("SkipReason");
        base.Deserialize(data);
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;
}
