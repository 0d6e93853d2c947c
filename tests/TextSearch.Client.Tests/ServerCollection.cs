namespace TextSearch.Testing;

/// <summary>The tests that share one in-process server with the seeds (<see cref="ServerFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
