using Grpc.Core;
using Grpc.Health.V1;
using Limits = TextSearch.Search.Limits;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>
/// A catalogue of bad input to every RPC, each with the exact status code it gets, and after each group the server
/// still serves (a successful Search and a SERVING health check).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CatalogueTests(ServerFixture server)
{
    private const string KnownId = "003_46747d5c7beb1e50";

    private SearchService.SearchServiceClient Search => new(server.Channel);

    private DocumentService.DocumentServiceClient Documents => new(server.Channel);

    private NormalizationService.NormalizationServiceClient Normalization => new(server.Channel);

    private static async Task Fails<T>(Func<AsyncUnaryCall<T>> call, StatusCode expected)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await call());
        Assert.Equal(expected, ex.StatusCode);
    }

    private async Task StillServing()
    {
        var response = await Search.SearchAsync(new SearchRequest { Query = "قسد" });
        Assert.True(response.TotalHits > 0);
        var health = await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Empty_fields_are_invalid_argument()
    {
        await Fails(() => Search.SearchAsync(new SearchRequest()), StatusCode.InvalidArgument);
        await Fails(() => Search.SnippetAsync(new SnippetRequest()), StatusCode.InvalidArgument);
        await Fails(() => Search.SnippetAsync(new SnippetRequest { DocumentId = KnownId }), StatusCode.InvalidArgument);
        await Fails(() => Documents.UpsertDocumentAsync(new UpsertDocumentRequest()), StatusCode.InvalidArgument);
        await Fails(() => Documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document() }), StatusCode.InvalidArgument);
        await Fails(() => Documents.GetDocumentAsync(new GetDocumentRequest()), StatusCode.InvalidArgument);
        await Fails(() => Documents.DeleteDocumentAsync(new DeleteDocumentRequest()), StatusCode.InvalidArgument);
        await Fails(() => Normalization.NormalizeAsync(new NormalizeRequest()), StatusCode.InvalidArgument);
        await Fails(() => Normalization.AnalyzeAsync(new AnalyzeRequest()), StatusCode.InvalidArgument);
        await StillServing();
    }

    [Fact]
    public async Task Huge_fields_are_invalid_argument()
    {
        await Fails(() => Search.SearchAsync(new SearchRequest { Query = new string('ب', Limits.MaxQueryChars + 1) }), StatusCode.InvalidArgument);
        await Fails(() => Search.SnippetAsync(new SnippetRequest { DocumentId = KnownId, Query = new string('ب', Limits.MaxQueryChars + 1) }), StatusCode.InvalidArgument);
        await Fails(
            () => Documents.UpsertDocumentAsync(new UpsertDocumentRequest
            {
                Document = new Document { Id = "cat-huge-body", Title = "كبير", Body = new string('a', Limits.MaxBodyChars + 1) },
            }),
            StatusCode.InvalidArgument);
        await Fails(
            () => Documents.UpsertDocumentAsync(new UpsertDocumentRequest
            {
                Document = new Document { Id = "cat-huge-title", Title = new string('a', Limits.MaxTitleChars + 1), Body = "نص" },
            }),
            StatusCode.InvalidArgument);
        await Fails(() => Documents.GetDocumentAsync(new GetDocumentRequest { Id = new string('x', Limits.MaxIdChars + 1) }), StatusCode.InvalidArgument);
        await Fails(() => Normalization.NormalizeAsync(new NormalizeRequest { Text = new string('a', Limits.MaxNormalizeChars + 1) }), StatusCode.InvalidArgument);
        await Fails(() => Normalization.AnalyzeAsync(new AnalyzeRequest { Text = new string('a', Limits.MaxAnalyzeChars + 1) }), StatusCode.InvalidArgument);
        await Assert.ThrowsAsync<RpcException>(async () => await Documents.GetDocumentAsync(new GetDocumentRequest { Id = "cat-huge-body" }));
        await StillServing();
    }

    [Fact]
    public async Task Ten_thousand_term_queries_are_invalid_argument()
    {
        await Fails(() => Search.SearchAsync(new SearchRequest { Query = string.Join(' ', Enumerable.Repeat("ب", 10_000)) }), StatusCode.InvalidArgument);
        await Fails(() => Search.SearchAsync(new SearchRequest { Query = string.Join(' ', Enumerable.Range(0, 10_000).Select(i => $"w{i}")) }), StatusCode.InvalidArgument);
        await Fails(() => Search.SnippetAsync(new SnippetRequest { DocumentId = KnownId, Query = string.Join(' ', Enumerable.Repeat("ب", 10_000)) }), StatusCode.InvalidArgument);
        await StillServing();
    }

    [Fact]
    public async Task Control_characters_in_a_query_are_not_errors()
    {
        var response = await Search.SearchAsync(new SearchRequest { Query = "\u0001\u0007قسد\u001F\u007F\t\n" });
        Assert.True(response.TotalHits > 0);
        Assert.NotNull(await Search.SearchAsync(new SearchRequest { Query = "\u0000\u0001\u0002" }));
        Assert.NotNull(await Normalization.NormalizeAsync(new NormalizeRequest { Text = "\u0000ب\u0007" }));
        await StillServing();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public async Task Extreme_page_sizes_are_invalid_argument(int pageSize)
    {
        await Fails(() => Search.SearchAsync(new SearchRequest { Query = "سوريا", PageSize = pageSize }), StatusCode.InvalidArgument);
        await StillServing();
    }

    [Fact]
    public async Task Forged_and_stale_page_tokens_are_invalid_argument()
    {
        var first = await Search.SearchAsync(new SearchRequest { Query = "سوريا", PageSize = 1 });
        Assert.NotEmpty(first.NextPageToken);

        // A real token with one byte flipped.
        var b64 = first.NextPageToken.Replace('-', '+').Replace('_', '/');
        var bytes = Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '='));
        for (var i = 0; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x20;
            var flipped = Convert.ToBase64String(copy).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            await Fails(() => Search.SearchAsync(new SearchRequest { Query = "سوريا", PageSize = 1, PageToken = flipped }), StatusCode.InvalidArgument);
        }

        // Garbage, truncations and a token from another query.
        foreach (var token in new[] { "garbage", "!!!!", "====", new string('A', 5000), first.NextPageToken[..^2], first.NextPageToken + "AA" })
        {
            await Fails(() => Search.SearchAsync(new SearchRequest { Query = "سوريا", PageSize = 1, PageToken = token }), StatusCode.InvalidArgument);
        }

        await Fails(() => Search.SearchAsync(new SearchRequest { Query = "داعش", PageSize = 1, PageToken = first.NextPageToken }), StatusCode.InvalidArgument);

        // The genuine token still works.
        Assert.NotNull(await Search.SearchAsync(new SearchRequest { Query = "سوريا", PageSize = 1, PageToken = first.NextPageToken }));
        await StillServing();
    }

    [Fact]
    public async Task Unknown_ids_are_not_found()
    {
        await Fails(() => Documents.GetDocumentAsync(new GetDocumentRequest { Id = "cat-no-such-doc" }), StatusCode.NotFound);
        await Fails(() => Documents.DeleteDocumentAsync(new DeleteDocumentRequest { Id = "cat-no-such-doc" }), StatusCode.NotFound);
        await Fails(() => Search.SnippetAsync(new SnippetRequest { DocumentId = "cat-no-such-doc", Query = "سوريا" }), StatusCode.NotFound);
        await StillServing();
    }

    [Fact]
    public async Task Lone_surrogates_are_not_server_errors()
    {
        // The client's UTF-8 encoder replaces a lone surrogate with U+FFFD before it reaches the wire: the server
        // sees a valid (if odd) string, and treats it as any other text.
        Assert.NotNull(await Search.SearchAsync(new SearchRequest { Query = "\uD800قسد" }));
        Assert.NotNull(await Search.SearchAsync(new SearchRequest { Query = "قسد\uDC00" }));
        var normalized = await Normalization.NormalizeAsync(new NormalizeRequest { Text = "ب\uD800" });
        Assert.Equal("ب\uFFFD", normalized.Normalized);
        await StillServing();
    }

    public static TheoryData<string, string, byte[]> InvalidUtf8Calls => new()
    {
        // field 1 (string), length 4: 0xFF 0xFE are never valid UTF-8, then a lone (CESU) surrogate's bytes.
        { "/textsearch.v1.SearchService/Search", "query", [0x0A, 0x05, 0xFF, 0xFE, 0xED, 0xA0, 0x80] },
        { "/textsearch.v1.NormalizationService/Normalize", "text", [0x0A, 0x03, 0xC3, 0x28, 0xFF] },
        { "/textsearch.v1.DocumentService/GetDocument", "id", [0x0A, 0x02, 0xC0, 0xAF] },
    };

    /// <summary>
    /// Raw bytes that are not valid UTF-8 in a string field. Protobuf requires valid UTF-8 in strings; the server
    /// must answer with a status that is not UNKNOWN or INTERNAL (INVALID_ARGUMENT is the right one).
    /// (RequestValidationMiddleware decodes unary requests before gRPC does, which would otherwise answer UNKNOWN.)
    /// </summary>
    [Theory]
    [MemberData(nameof(InvalidUtf8Calls))]
    public async Task Invalid_utf8_is_not_a_server_error(string method, string field, byte[] payload)
    {
        Assert.NotNull(field);
        var marshaller = Marshallers.Create(static (byte[] b) => b, static b => b);
        var name = method.Split('/');
        var call = new Method<byte[], byte[]>(MethodType.Unary, name[1], name[2], marshaller, marshaller);
        StatusCode code;
        try
        {
            await server.Channel.CreateCallInvoker().AsyncUnaryCall(call, null, default, payload);
            code = StatusCode.OK;
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
        }

        Assert.Equal(StatusCode.InvalidArgument, code);
        await StillServing();
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_bulk_stream_is_invalid_argument()
    {
        var marshaller = Marshallers.Create(static (byte[] b) => b, static b => b);
        var method = new Method<byte[], byte[]>(MethodType.ClientStreaming, "textsearch.v1.DocumentService", "BulkUpsertDocuments", marshaller, marshaller);
        using var call = server.Channel.CreateCallInvoker().AsyncClientStreamingCall(method, null, default);
        // UpsertDocumentRequest{document: Document{id: <0xC0 0xAF>}}: field 1 (message, 4 bytes) holding field 1 (string, 2 bytes).
        await call.RequestStream.WriteAsync([0x0A, 0x04, 0x0A, 0x02, 0xC0, 0xAF]);
        await call.RequestStream.CompleteAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        await StillServing();
    }

    [Fact]
    public async Task Duplicate_ids_in_one_bulk_stream_the_later_wins_and_both_count()
    {
        using var call = Documents.BulkUpsertDocuments();
        await call.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "cat-dup", Title = "الأول", Body = "النسخة الأولى" } });
        await call.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "cat-dup", Title = "الثاني", Body = "النسخة الثانية" } });
        await call.RequestStream.CompleteAsync();
        var response = await call;
        Assert.Equal(2, response.Upserted);
        Assert.Empty(response.Failures);
        var stored = await Documents.GetDocumentAsync(new GetDocumentRequest { Id = "cat-dup" });
        Assert.Equal("النسخة الثانية", stored.Body);
        Assert.Equal("الثاني", stored.Title);
        await StillServing();
    }

    /// <summary>
    /// A client that cancels a bulk stream after sending some documents. Those documents were never acknowledged,
    /// so they may or may not be stored (the test asserts neither); the server keeps serving.
    /// </summary>
    [Fact]
    public async Task A_client_that_disconnects_mid_stream_leaves_the_server_serving()
    {
        for (var round = 0; round < 5; round++)
        {
            using var cts = new CancellationTokenSource();
            using var call = Documents.BulkUpsertDocuments(cancellationToken: cts.Token);
            for (var i = 0; i < 50; i++)
            {
                await call.RequestStream.WriteAsync(new UpsertDocumentRequest
                {
                    Document = new Document { Id = $"cat-cut-{round}-{i}", Title = "غير مؤكد", Body = $"وثيقة لم تؤكد {i}" },
                });
            }

            await cts.CancelAsync();
            var ex = await Assert.ThrowsAsync<RpcException>(async () => await call);
            Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        }

        await StillServing();

        // And a complete bulk stream after the cut ones is acknowledged as usual.
        using var good = Documents.BulkUpsertDocuments();
        await good.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "cat-after-cut", Title = "مؤكد", Body = "وثيقة مؤكدة" } });
        await good.RequestStream.CompleteAsync();
        Assert.Equal(1, (await good).Upserted);
        Assert.Equal("cat-after-cut", (await Documents.GetDocumentAsync(new GetDocumentRequest { Id = "cat-after-cut" })).Id);
        await StillServing();
    }
}
