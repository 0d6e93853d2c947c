using Grpc.Core;
using TextSearch.V1;

namespace TextSearch.Client.Tests;

/// <summary>The API key reaches a server configured with read and write keys, in either header, also over h2c.</summary>
public sealed class AuthTests
{
    private const string ReadKey = "client-read-key-4c1d9e";
    private const string WriteKey = "client-write-key-8b2f0a";

    private static Task<ConfiguredServer> StartAsync() => ConfiguredServer.StartAsync(
        ["--TextSearch:Auth:ReadKeys:0", ReadKey, "--TextSearch:Auth:WriteKeys:0", WriteKey]);

    private static TextSearchClient Client(ConfiguredServer server, string? key, ApiKeyHeader header = ApiKeyHeader.AuthorizationBearer) =>
        TextSearchClient.Create(new TextSearchClientOptions { Address = server.Address, ApiKey = key, ApiKeyHeader = header });

    [Fact]
    public async Task Keys_are_sent_on_every_call_in_either_header()
    {
        await using var server = await StartAsync();
        using var none = Client(server, null);
        using var reader = Client(server, ReadKey);
        using var writer = Client(server, WriteKey, ApiKeyHeader.XApiKey);

        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => none.SearchAsync("كتاب"))).StatusCode);

        var id = $"auth-{Guid.NewGuid():N}";
        Assert.Equal(StatusCode.PermissionDenied,
            (await Assert.ThrowsAsync<RpcException>(() => reader.UpsertAsync(new Document { Id = id, Title = "الكتاب", Body = "نص" }))).StatusCode);

        await writer.UpsertAsync(new Document { Id = id, Title = "الكتاب", Body = "نص الكتاب" });
        var indexed = await writer.IndexAsync(new[] { new Document { Id = id + "-2", Title = "الكتاب", Body = "نص آخر" } }.ToAsyncEnumerable());
        Assert.Equal(1, indexed.Upserted);

        Assert.Equal(2, (await reader.SearchAsync("الكتاب")).TotalHits);
        Assert.Equal("الكتاب", (await writer.GetAsync(id)).Title); // DocumentService needs a write key, even to read
        Assert.Equal("الكتاب", (await reader.NormalizeAsync("الكتاب")).Normalized);
    }
}
