using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TextSearch.Testing;

// The engine-conformance suite (EngineConformanceTests) runs once per engine: a test class derives from it and says how
// to open its engine. A class whose engine is not always at hand (a live Elasticsearch cluster) implements
// IConditionalSuite: while its SkipReason is not null, every test of the suite is reported skipped with that reason,
// never passed.

/// <summary>A suite whose tests can only run where something they need is present.</summary>
public interface IConditionalSuite
{
    /// <summary>Why the tests cannot run here, or null when they can.</summary>
    static abstract string? SkipReason { get; }
}

/// <summary>A conformance test: run, unless its class is an <see cref="IConditionalSuite"/> that cannot run here.</summary>
[XunitTestCaseDiscoverer("TextSearch.Testing.ConformanceFactDiscoverer", "TextSearch.Testing")]
public sealed class ConformanceFactAttribute : FactAttribute;

/// <summary>A conformance theory: run, unless its class is an <see cref="IConditionalSuite"/> that cannot run here.</summary>
[XunitTestCaseDiscoverer("TextSearch.Testing.ConformanceTheoryDiscoverer", "TextSearch.Testing")]
public sealed class ConformanceTheoryAttribute : TheoryAttribute;

public sealed class ConformanceFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        SkippedConformanceTest.Reason(testMethod) is { } reason
            ? [new SkippedConformanceTest(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class ConformanceTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        SkippedConformanceTest.Reason(testMethod) is { } reason
            ? [new SkippedConformanceTest(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}

/// <summary>A test case reported as skipped, with the reason its suite gave.</summary>
public sealed class SkippedConformanceTest : XunitTestCase
{
    private string _reason = string.Empty;

    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippedConformanceTest()
    {
    }

    public SkippedConformanceTest(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod, string reason)
        : base(sink, display, options, testMethod) => _reason = reason;

    /// <summary>Why a test of this class cannot run here, or null when it can.</summary>
    public static string? Reason(ITestMethod testMethod)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        return testMethod.TestClass.Class is IReflectionTypeInfo { Type: var type } && typeof(IConditionalSuite).IsAssignableFrom(type)
            ? type.GetProperty(nameof(IConditionalSuite.SkipReason), BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string
            : null;
    }

    public override void Serialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        base.Serialize(data);
        data.AddValue("SkipReason", _reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _reason = data.GetValue<string>("SkipReason");
        base.Deserialize(data);
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;
}
