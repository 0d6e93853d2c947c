namespace TextSearch.Search.Tests;

// The engine-conformance suite (EngineConformanceTests.cs) is compiled into each engine's test project. Each project
// defines these two attributes: here, for the embedded engine, the tests always run; an engine that needs a server
// defines them to skip, with the reason shown, when the server is not configured.

/// <summary>A conformance test that always runs on the embedded engine.</summary>
public sealed class ConformanceFactAttribute : FactAttribute;

/// <summary>A conformance theory that always runs on the embedded engine.</summary>
public sealed class ConformanceTheoryAttribute : TheoryAttribute;
