using Grpc.Core;
using Grpc.Net.Client;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>Every error code each RPC can give for bad input, and the server keeps serving afterwards.</summary>
[Collection(ServerCollection.Name)]
public sealed class ErrorTests(ServerFixture server)
{
    private SearchService.SearchServiceClient Search => new(server.Channel);

    private DocumentService.DocumentServiceClient Documents => new(server.Channel);

    private NormalizationService.NormalizationServiceClient Normalization => new(server.Channel);

    private static async Task<RpcException> Fails<T>(Func<AsyncUnaryCall<T>> call, StatusCode expected)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await call());
        Assert.Equal(expected, ex.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(ex.Status.Detail));
        return ex;
    }

    public static TheoryData<string, string> InvalidSearches => new()
    {
        { "empty query", "" },
        { "blank query", "   " },
        { "query over 1,024 characters", new string('ب', 1025) },
        { "query with over 64 terms", string.Join(' ', Enumerable.Repeat("كلمة", 65)) },
    };

    [Theory]
    [MemberData(nameof(InvalidSearches))]
    public async Task Invalid_queries_are_invalid_argument(string why, string query)
    {
        _ = why; // the case's name, for the test list
        var ex = await Fails(() => Search.SearchAsync(new SearchRequest { Query = query }), StatusCode.InvalidArgument);
        Assert.Equal("query", Assert.Single(ex.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(int.MaxValue)]
    public async Task Page_size_out_of_range_is_invalid_argument(int pageSize)
    {
        var ex = await Fails(() => Search.SearchAsync(new SearchRequest { Query = "سوريا", PageSize = pageSize }), StatusCode.InvalidArgument);
        Assert.Contains("page size", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("page_size", Assert.Single(ex.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ـ٭")]
    public async Task Malformed_page_token_is_invalid_argument(string token)
    {
        var ex = await Fails(() => Search.SearchAsync(new SearchRequest { Query = "سوريا", PageToken = token }), StatusCode.InvalidArgument);
        Assert.Contains("page token", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("page_token", Assert.Single(ex.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task Page_token_from_another_query_is_invalid_argument()
    {
        var first = await Search.SearchAsync(new SearchRequest { Query = "سوريا", PageSize = 1 });
        await Fails(() => Search.SearchAsync(new SearchRequest { Query = "داعش", PageToken = first.NextPageToken }), StatusCode.InvalidArgument);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(11, 0)]
    [InlineData(0, 5)]
    [InlineData(0, 5000)]
    public async Task Snippet_limits_are_invalid_argument(int maxSnippets, int fragmentChars)
    {
        await Fails(() => Search.SearchAsync(new SearchRequest { Query = "سوريا", MaxSnippets = maxSnippets, FragmentChars = fragmentChars }), StatusCode.InvalidArgument);
        await Fails(() => Search.SnippetAsync(new SnippetRequest { DocumentId = "003_46747d5c7beb1e50", Query = "سوريا", MaxSnippets = maxSnippets, FragmentChars = fragmentChars }), StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task Unknown_offset_encoding_is_invalid_argument() =>
        await Fails(() => Search.SearchAsync(new SearchRequest { Query = "سوريا", OffsetEncoding = (OffsetEncoding)42 }), StatusCode.InvalidArgument);

    [Fact]
    public async Task Snippet_errors()
    {
        await Fails(() => Search.SnippetAsync(new SnippetRequest { DocumentId = "", Query = "سوريا" }), StatusCode.InvalidArgument);
        await Fails(() => Search.SnippetAsync(new SnippetRequest { DocumentId = "no-such-doc", Query = "سوريا" }), StatusCode.NotFound);
        await Fails(() => Search.SnippetAsync(new SnippetRequest { DocumentId = "003_46747d5c7beb1e50", Query = "" }), StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task Document_errors()
    {
        await Fails(() => Documents.UpsertDocumentAsync(new UpsertDocumentRequest()), StatusCode.InvalidArgument);
        await Fails(() => Documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = "" } }), StatusCode.InvalidArgument);
        await Fails(() => Documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = new string('x', 257) } }), StatusCode.InvalidArgument);
        await Fails(() => Documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = "bad\u0001id" } }), StatusCode.InvalidArgument);
        await Fails(() => Documents.GetDocumentAsync(new GetDocumentRequest { Id = "" }), StatusCode.InvalidArgument);
        await Fails(() => Documents.GetDocumentAsync(new GetDocumentRequest { Id = "no-such-doc" }), StatusCode.NotFound);
        await Fails(() => Documents.DeleteDocumentAsync(new DeleteDocumentRequest { Id = "" }), StatusCode.InvalidArgument);
        await Fails(() => Documents.DeleteDocumentAsync(new DeleteDocumentRequest { Id = "no-such-doc" }), StatusCode.NotFound);
    }

    [Fact]
    public async Task Normalization_errors()
    {
        await Fails(() => Normalization.NormalizeAsync(new NormalizeRequest { Text = "" }), StatusCode.InvalidArgument);
        await Fails(() => Normalization.AnalyzeAsync(new AnalyzeRequest { Text = "" }), StatusCode.InvalidArgument);
        await Fails(() => Normalization.AnalyzeAsync(new AnalyzeRequest { Text = new string('ب', 200_001) }), StatusCode.InvalidArgument);
        await Fails(() => Normalization.NormalizeAsync(new NormalizeRequest { Text = "x", OffsetEncoding = (OffsetEncoding)7 }), StatusCode.InvalidArgument);
    }

    [Theory]
    [InlineData("\"غير مغلق", "غير مغلق")] // an unclosed quote: its words
    [InlineData("-", null)]                 // nothing left to search: no hits
    [InlineData("!!!", null)]
    [InlineData("😀", null)]
    [InlineData("\"\"", null)]
    [InlineData("-\"", null)]
    public async Task Odd_queries_are_not_errors(string query, string? sameAs)
    {
        var response = await Search.SearchAsync(new SearchRequest { Query = query, PageSize = 100 });
        var expected = sameAs is null ? [] : (await Search.SearchAsync(new SearchRequest { Query = sameAs, PageSize = 100 })).Hits.Select(h => h.Id).ToList();
        Assert.Equal(expected, response.Hits.Select(h => h.Id));
        Assert.Equal(expected.Count, response.TotalHits);
    }

    [Fact]
    public async Task Deadlines_are_honoured()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Search.SearchAsync(new SearchRequest { Query = "سوريا" }, deadline: DateTime.UtcNow.AddMilliseconds(-1)));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Search.SearchAsync(new SearchRequest { Query = "سوريا" }, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public async Task Server_keeps_serving_after_errors()
    {
        for (var i = 0; i < 5; i++)
        {
            await Fails(() => Search.SearchAsync(new SearchRequest { Query = "" }), StatusCode.InvalidArgument);
        }

        Assert.Equal(5, (await Search.SearchAsync(new SearchRequest { Query = "قسد" })).TotalHits);
    }
}

/// <summary>INVALID_ARGUMENT carries google.rpc.BadRequest details naming the field, over gRPC and JSON.</summary>
[Collection(ServerCollection.Name)]
public sealed class FieldViolationTests(ServerFixture server)
{
    public static TheoryData<string, Func<GrpcChannel, Task>> Calls => new()
    {
        { "query", c => new SearchService.SearchServiceClient(c).SearchAsync(new SearchRequest { Query = new string('ب', 1025) }).ResponseAsync },
        { "page_size", c => new SearchService.SearchServiceClient(c).SearchAsync(new SearchRequest { Query = "قسد", PageSize = 101 }).ResponseAsync },
        { "page_token", c => new SearchService.SearchServiceClient(c).SearchAsync(new SearchRequest { Query = "قسد", PageToken = "forged" }).ResponseAsync },
        { "offset_encoding", c => new SearchService.SearchServiceClient(c).SearchAsync(new SearchRequest { Query = "قسد", OffsetEncoding = (OffsetEncoding)9 }).ResponseAsync },
        { "document_id", c => new SearchService.SearchServiceClient(c).SnippetAsync(new SnippetRequest { Query = "قسد" }).ResponseAsync },
        { "document.published_at", c => new DocumentService.DocumentServiceClient(c).UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = "fv", PublishedAt = new Google.Protobuf.WellKnownTypes.Timestamp { Nanos = -1 } } }).ResponseAsync },
        { "document.id", c => new DocumentService.DocumentServiceClient(c).UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document() }).ResponseAsync },
        { "text", c => new NormalizationService.NormalizationServiceClient(c).NormalizeAsync(new NormalizeRequest()).ResponseAsync },
        { "facets", c => new SearchService.SearchServiceClient(c).SearchAsync(new SearchRequest { Query = "قسد", Facets = { "author" } }).ResponseAsync },
        { "facet_size", c => new SearchService.SearchServiceClient(c).SearchAsync(new SearchRequest { Query = "قسد", Facets = { "source" }, FacetSize = 101 }).ResponseAsync },
        { "sort", c => new SearchService.SearchServiceClient(c).SearchAsync(new SearchRequest { Query = "قسد", Sort = (SortOrder)9 }).ResponseAsync },
        { "filter.sources", c => new SearchService.SearchServiceClient(c).SearchAsync(new SearchRequest { Query = "قسد", Filter = new SearchFilter { Sources = { " " } } }).ResponseAsync },
        {
            "filter.published_after",
            c => new SearchService.SearchServiceClient(c).SearchAsync(new SearchRequest
            {
                Query = "قسد",
                Filter = new SearchFilter { PublishedAfter = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 2_000_000_000 }, PublishedBefore = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 1_000_000_000 } },
            }).ResponseAsync
        },
        { "filter.published_before", c => new SearchService.SearchServiceClient(c).SearchAsync(new SearchRequest { Filter = new SearchFilter { PublishedBefore = new Google.Protobuf.WellKnownTypes.Timestamp { Nanos = -5 } } }).ResponseAsync },
        { "prefix", c => new SearchService.SearchServiceClient(c).SuggestAsync(new SuggestRequest()).ResponseAsync },
        { "size", c => new SearchService.SearchServiceClient(c).SuggestAsync(new SuggestRequest { Prefix = "ال", Size = 51 }).ResponseAsync },
        { "page_size", c => new SearchService.SearchServiceClient(c).RelatedAsync(new RelatedRequest { DocumentId = "x", PageSize = 101 }).ResponseAsync },
        { "document_id", c => new SearchService.SearchServiceClient(c).RelatedAsync(new RelatedRequest()).ResponseAsync },
    };

    [Fact]
    public async Task A_page_token_used_with_another_sort_is_invalid()
    {
        var search = new SearchService.SearchServiceClient(server.Channel);
        var first = await search.SearchAsync(new SearchRequest { Query = "سوريا", PageSize = 1, Sort = SortOrder.Newest });
        Assert.NotEmpty(first.NextPageToken);
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await search.SearchAsync(new SearchRequest { Query = "سوريا", PageSize = 1, PageToken = first.NextPageToken }));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("page_token", Assert.Single(ex.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task Related_of_a_document_that_does_not_exist_is_not_found()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await new SearchService.SearchServiceClient(server.Channel).RelatedAsync(new RelatedRequest { DocumentId = "no-such-document" }));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Facets_suggestions_and_related_articles_over_json()
    {
        using var http = new HttpClient { BaseAddress = server.HttpAddress };
        var listing = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri("v1/search?facets=source&facets=published_at&page_size=1&sort=SORT_ORDER_NEWEST", UriKind.Relative))).RootElement;
        var facets = listing.GetProperty("facets").EnumerateArray().ToList();
        Assert.Equal(["source", "published_at"], facets.Select(f => f.GetProperty("field").GetString()));
        Assert.NotNull(listing.GetProperty("hits")[0].GetProperty("publishedAt").GetString()); // the newest first: a dated one

        var source = facets[0].GetProperty("values")[0];
        var filtered = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(
            "v1/search?filter.sources=" + Uri.EscapeDataString(source.GetProperty("value").GetString()!), UriKind.Relative))).RootElement;
        Assert.Equal(source.GetProperty("count").GetInt64(), filtered.GetProperty("totalHits").GetInt64());

        var suggest = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri("v1/suggest?prefix=" + Uri.EscapeDataString("الديمو"), UriKind.Relative))).RootElement;
        Assert.Equal("الديموقراطية", suggest.GetProperty("suggestions")[0].GetProperty("text").GetString());

        var id = listing.GetProperty("hits")[0].GetProperty("id").GetString()!;
        var related = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri($"v1/documents/{Uri.EscapeDataString(id)}/related?page_size=3", UriKind.Relative))).RootElement;
        var ids = related.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()).ToList();
        Assert.NotEmpty(ids);
        Assert.DoesNotContain(id, ids);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task The_field_at_fault_is_named_in_the_details(string field, Func<GrpcChannel, Task> call)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => call(server.Channel));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var status = ex.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal(ex.Status.Detail, status.Message);
        var violation = Assert.Single(Assert.IsType<Google.Rpc.BadRequest>(status.GetDetail<Google.Rpc.BadRequest>()).FieldViolations);
        Assert.Equal(field, violation.Field);
        Assert.Equal(ex.Status.Detail, violation.Description);
    }

    [Fact]
    public async Task A_json_error_carries_the_same_details()
    {
        using var http = new HttpClient { BaseAddress = server.HttpAddress };
        using var response = await http.GetAsync(new Uri("v1/search?query=قسد&page_size=101", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var detail = Assert.Single(json.GetProperty("details").EnumerateArray().ToList());
        Assert.Equal("type.googleapis.com/google.rpc.BadRequest", detail.GetProperty("@type").GetString());
        Assert.Equal("page_size", detail.GetProperty("fieldViolations")[0].GetProperty("field").GetString());
    }
}
