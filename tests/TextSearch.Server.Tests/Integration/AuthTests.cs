using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>TextSearch:Auth: read and write API keys; health and reflection stay open; keys never reach the log.</summary>
public sealed class AuthTests
{
    private const string ReadKey = "read-key-7f3a9c1e5b";
    private const string WriteKey = "write-key-2d8e6b0a4c";
    private const string UnknownKey = "bogus-key-9a1b2c3d4e";

    private static Task<ConfiguredServer> StartAsync() => ConfiguredServer.StartAsync(
        ["--TextSearch:Auth:ReadKeys:0", ReadKey, "--TextSearch:Auth:WriteKeys:0", WriteKey]);

    private static Metadata Bearer(string key) => new() { { "authorization", $"Bearer {key}" } };

    private static Metadata ApiKey(string key) => new() { { "x-api-key", key } };

    [Fact]
    public async Task Missing_and_unknown_keys_are_unauthenticated_and_never_logged()
    {
        await using var server = await StartAsync();
        using var channel = server.Channel();
        var search = new SearchService.SearchServiceClient(channel);
        var documents = new DocumentService.DocumentServiceClient(channel);

        var none = await Assert.ThrowsAsync<RpcException>(async () => await search.SearchAsync(new SearchRequest { Query = "كتاب" }));
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await search.SearchAsync(new SearchRequest { Query = "كتاب" }, Bearer(UnknownKey)));
        Assert.Equal(StatusCode.Unauthenticated, unknown.StatusCode);
        var unknownHeader = await Assert.ThrowsAsync<RpcException>(async () =>
            await documents.GetDocumentAsync(new GetDocumentRequest { Id = "x" }, ApiKey(UnknownKey)));
        Assert.Equal(StatusCode.Unauthenticated, unknownHeader.StatusCode);
        var readOnWrite = await Assert.ThrowsAsync<RpcException>(async () =>
            await documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = "a", Title = "ت", Body = "ن" } }, Bearer(ReadKey)));
        Assert.Equal(StatusCode.PermissionDenied, readOnWrite.StatusCode);

        Assert.NotEmpty(server.Logs.Lines);
        Assert.Contains(server.Logs.Lines, l => l.Contains("unknown API key", StringComparison.Ordinal));
        foreach (var line in server.Logs.Lines)
        {
            Assert.DoesNotContain(UnknownKey, line, StringComparison.Ordinal);
            Assert.DoesNotContain(ReadKey, line, StringComparison.Ordinal);
            Assert.DoesNotContain(WriteKey, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Read_keys_read_and_write_keys_do_everything()
    {
        await using var server = await StartAsync();
        using var channel = server.Channel();
        var search = new SearchService.SearchServiceClient(channel);
        var documents = new DocumentService.DocumentServiceClient(channel);
        var normalize = new NormalizationService.NormalizationServiceClient(channel);

        Assert.Equal("مرحبا", (await normalize.NormalizeAsync(new NormalizeRequest { Text = "مرحبا" }, Bearer(ReadKey))).Normalized);
        await normalize.AnalyzeAsync(new AnalyzeRequest { Text = "مرحبا" }, ApiKey(ReadKey));

        await documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = "auth-1", Title = "الكتاب", Body = "نص الكتاب" } }, Bearer(WriteKey));
        Assert.Equal("auth-1", (await documents.GetDocumentAsync(new GetDocumentRequest { Id = "auth-1" }, ApiKey(WriteKey))).Id);

        Assert.Equal(1, (await search.SearchAsync(new SearchRequest { Query = "الكتاب" }, ApiKey(ReadKey))).TotalHits);
        Assert.Equal(1, (await search.SearchAsync(new SearchRequest { Query = "الكتاب" }, Bearer(WriteKey))).TotalHits);
        await search.SnippetAsync(new SnippetRequest { DocumentId = "auth-1", Query = "الكتاب" }, Bearer(ReadKey));
    }

    [Fact]
    public async Task Health_and_reflection_need_no_key()
    {
        await using var server = await StartAsync();
        using var channel = server.Channel();

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        using var reflection = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains(reflection.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "textsearch.v1.SearchService");
    }

    [Fact]
    public async Task Without_keys_auth_is_off()
    {
        await using var server = await ConfiguredServer.StartAsync([]);
        using var channel = server.Channel();
        var documents = new DocumentService.DocumentServiceClient(channel);
        Assert.Equal("open-1", (await documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = "open-1", Title = "ت", Body = "ن" } })).Id);
        Assert.Equal("ن", (await documents.GetDocumentAsync(new GetDocumentRequest { Id = "open-1" })).Body);
        Assert.Equal("open-1", (await documents.DeleteDocumentAsync(new DeleteDocumentRequest { Id = "open-1" })).Id);
    }
}
