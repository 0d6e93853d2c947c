using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Microsoft.Extensions.DependencyInjection;
using TextSearch.Server.Hosting;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>
/// The HTTP/1.1 side (TextSearch:HttpUrl): JSON transcoding of the same services, gRPC-Web, the web page and
/// /healthz; and that gRPC (h2c) stays on its own address.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HttpSideTests(ServerFixture server)
{
    private const string SeedTerm = "سوريا";

    private HttpClient Http() => new() { BaseAddress = server.HttpAddress, DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Json_search_returns_what_grpc_returns()
    {
        using var http = Http();
        using var response = await http.GetAsync(new Uri($"v1/search?query={Uri.EscapeDataString(SeedTerm)}&pageSize=3&offsetEncoding=OFFSET_ENCODING_UTF16", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(1, 1), response.Version);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await Json(response);

        var grpc = await new SearchService.SearchServiceClient(server.Channel).SearchAsync(
            new SearchRequest { Query = SeedTerm, PageSize = 3, OffsetEncoding = OffsetEncoding.Utf16 });
        Assert.NotEmpty(grpc.Hits);
        var hits = json.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(grpc.Hits.Select(h => h.Id), hits.Select(h => h.GetProperty("id").GetString()));
        Assert.Equal(grpc.Hits.Select(h => h.Title), hits.Select(h => h.GetProperty("title").GetString()));
        Assert.Equal(grpc.TotalHits, json.GetProperty("totalHits").GetInt64());
        Assert.Equal(grpc.NormalizedQuery, json.GetProperty("normalizedQuery").GetString());
        Assert.Equal(grpc.NextPageToken, json.GetProperty("nextPageToken").GetString());

        // Highlights are in UTF-16 units of the snippet text, so they index the JSON string directly.
        var first = hits[0].GetProperty("snippets")[0];
        var text = first.GetProperty("text").GetString()!;
        var marks = first.GetProperty("highlights").EnumerateArray()
            .Select(h => text[h.GetProperty("start").GetInt32()..h.GetProperty("end").GetInt32()]).ToList();
        Assert.NotEmpty(marks);
        Assert.Equal(grpc.Hits[0].Snippets[0].Highlights.Select(h => grpc.Hits[0].Snippets[0].Text[h.Start..h.End]), marks);
        Assert.All(marks, m => Assert.Contains("سوري", m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_search_pages_with_the_next_page_token_and_accepts_post()
    {
        using var http = Http();
        var first = await Json(await http.GetAsync(new Uri($"v1/search?query={Uri.EscapeDataString(SeedTerm)}&page_size=1", UriKind.Relative)));
        var token = first.GetProperty("nextPageToken").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        using var response = await http.PostAsJsonAsync(new Uri("v1/search", UriKind.Relative), new { query = SeedTerm, pageSize = 1, pageToken = token });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var second = await Json(response);
        Assert.NotEqual(
            first.GetProperty("hits")[0].GetProperty("id").GetString(),
            second.GetProperty("hits")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Json_normalize_and_analyze()
    {
        using var http = Http();
        using var response = await http.PostAsJsonAsync(new Uri("v1/normalize", UriKind.Relative), new { text = "الإقْتِصادُ ٢٠٢٤", includeOffsets = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Json(response);
        Assert.Equal("الاقتصاد 2024", json.GetProperty("normalized").GetString());
        Assert.True(json.GetProperty("changed").GetBoolean());
        Assert.NotEmpty(json.GetProperty("offsets").EnumerateArray());

        using var analyzed = await http.PostAsJsonAsync(new Uri("v1/analyze", UriKind.Relative), new { text = "والمدارس" });
        var token = (await Json(analyzed)).GetProperty("tokens")[0];
        Assert.Equal("والمدارس", token.GetProperty("text").GetString());
        Assert.Equal("مدارس", token.GetProperty("stem").GetString());
    }

    [Fact]
    public async Task Json_documents_put_get_snippets_delete()
    {
        using var http = Http();
        const string id = "http-doc-1";
        using (var put = await http.PutAsJsonAsync(new Uri($"v1/documents/{id}", UriKind.Relative), new
        {
            title = "مكتبة الإسكندرية",
            body = "افتتحت مكتبةُ الإسكندرية قاعةً جديدة للمخطوطات النادرة.",
            source = "اختبار",
            publishedAt = "2024-05-01T00:00:00Z",
        }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal(id, (await Json(put)).GetProperty("id").GetString());
        }

        var document = await Json(await http.GetAsync(new Uri($"v1/documents/{id}", UriKind.Relative)));
        Assert.Equal("مكتبة الإسكندرية", document.GetProperty("title").GetString());
        Assert.Equal("2024-05-01T00:00:00Z", document.GetProperty("publishedAt").GetString());

        var snippets = await Json(await http.GetAsync(new Uri($"v1/documents/{id}/snippets?query={Uri.EscapeDataString("المخطوطات")}&offsetEncoding=OFFSET_ENCODING_UTF16", UriKind.Relative)));
        var snippet = snippets.GetProperty("snippets")[0];
        var h = snippet.GetProperty("highlights")[0];
        // A highlight covers the whole original word, its attached prefix included.
        Assert.Equal("للمخطوطات", snippet.GetProperty("text").GetString()![h.GetProperty("start").GetInt32()..h.GetProperty("end").GetInt32()]);

        using (var delete = await http.DeleteAsync(new Uri($"v1/documents/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        using var gone = await http.GetAsync(new Uri($"v1/documents/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    public static TheoryData<string, string, string?, HttpStatusCode, int> BadRequests => new()
    {
        { "GET", "v1/search?query=", null, HttpStatusCode.BadRequest, (int)StatusCode.InvalidArgument },
        { "GET", "v1/search?query=x&pageSize=1000", null, HttpStatusCode.BadRequest, (int)StatusCode.InvalidArgument },
        { "GET", "v1/search?query=x&pageToken=garbage", null, HttpStatusCode.BadRequest, (int)StatusCode.InvalidArgument },
        { "GET", "v1/search?query=x&pageSize=abc", null, HttpStatusCode.BadRequest, (int)StatusCode.InvalidArgument },
        { "GET", "v1/documents/no-such-document", null, HttpStatusCode.NotFound, (int)StatusCode.NotFound },
        { "DELETE", "v1/documents/no-such-document", null, HttpStatusCode.NotFound, (int)StatusCode.NotFound },
        { "POST", "v1/normalize", "{\"text\": ", HttpStatusCode.BadRequest, (int)StatusCode.InvalidArgument },
        { "POST", "v1/normalize", "{\"text\": 42, \"unknownField\": true}", HttpStatusCode.BadRequest, (int)StatusCode.InvalidArgument },
        { "PUT", "v1/documents/" + new string('x', 300), "{\"title\": \"t\", \"body\": \"b\"}", HttpStatusCode.BadRequest, (int)StatusCode.InvalidArgument },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_http_requests_get_precise_statuses(string method, string path, string? body, HttpStatusCode http, int grpc)
    {
        using var client = Http();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(http, response.StatusCode);
        var json = await Json(response);
        Assert.Equal(grpc, json.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData(GrpcWebMode.GrpcWeb)]
    [InlineData(GrpcWebMode.GrpcWebText)]
    public async Task Grpc_web_over_http11(GrpcWebMode mode)
    {
        using var handler = new GrpcWebHandler(mode, new HttpClientHandler());
        using var channel = GrpcChannel.ForAddress(server.HttpAddress, new GrpcChannelOptions { HttpHandler = handler, HttpVersion = HttpVersion.Version11, HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact });
        var response = await new SearchService.SearchServiceClient(channel).SearchAsync(new SearchRequest { Query = SeedTerm, PageSize = 2 });
        Assert.NotEmpty(response.Hits);
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await new DocumentService.DocumentServiceClient(channel).GetDocumentAsync(new GetDocumentRequest { Id = "no-such-document" }));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Grpc_web_request_that_cannot_be_decoded_is_invalid_argument()
    {
        var marshaller = Marshallers.Create(static (byte[] b) => b, static b => b);
        var method = new Method<byte[], byte[]>(MethodType.Unary, "textsearch.v1.SearchService", "Search", marshaller, marshaller);
        using var handler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler());
        using var channel = GrpcChannel.ForAddress(server.HttpAddress, new GrpcChannelOptions { HttpHandler = handler, HttpVersion = HttpVersion.Version11, HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact });
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, [0x0A, 0x03, 0xC3, 0x28, 0xFF]));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }

    [Fact]
    public async Task Grpc_stays_on_its_own_address_and_the_http_side_speaks_http11()
    {
        // HTTP/1.1 to the gRPC port is refused (it speaks HTTP/2 only) ...
        using var http11ToGrpc = new HttpClient { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var refused = await http11ToGrpc.GetAsync(new Uri(server.Address, "v1/search?query=x"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("HTTP/2 only", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // ... and gRPC (h2c) to the HTTP side fails, while the HTTP side answers HTTP/1.1.
        using var channel = GrpcChannel.ForAddress(server.HttpAddress);
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await new SearchService.SearchServiceClient(channel).SearchAsync(new SearchRequest { Query = SeedTerm }, deadline: DateTime.UtcNow.AddSeconds(10)));
        // The HTTP/1.1 listener cannot speak the h2c preface: the client reports a transport failure.
        Assert.Contains(ex.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.NotEqual(server.Address.Port, server.HttpAddress.Port);
    }

    [Fact]
    public async Task Web_page_is_served_arabic_first_with_a_strict_policy()
    {
        using var http = Http();
        using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", html, StringComparison.Ordinal);
        Assert.Contains("role=\"search\"", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());

        foreach (var (path, type) in new[] { ("app.js", "text/javascript"), ("app.css", "text/css"), ("favicon.svg", "image/svg+xml") })
        {
            using var asset = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);

            using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            again.Headers.IfNoneMatch.Add(asset.Headers.ETag!);
            using var cached = await http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
        }
    }

    [Fact]
    public async Task Healthz_reports_healthy()
    {
        using var http = Http();
        using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>The HTTP side with API keys, switched off, and announced at start-up.</summary>
public sealed class HttpSideConfigurationTests
{
    [Fact]
    public async Task Json_api_needs_the_same_keys_as_grpc()
    {
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:Auth:ReadKeys:0", "read-key-0123456789", "--TextSearch:Auth:WriteKeys:0", "write-key-0123456789"]);
        using var http = new HttpClient { BaseAddress = server.HttpAddress };
        using (var anonymous = await http.GetAsync(new Uri("v1/search?query=x", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var read = new HttpRequestMessage(HttpMethod.Get, new Uri("v1/search?query=x", UriKind.Relative)))
        {
            read.Headers.Add("x-api-key", "read-key-0123456789");
            using var ok = await http.SendAsync(read);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var write = new HttpRequestMessage(HttpMethod.Delete, new Uri("v1/documents/x", UriKind.Relative)))
        {
            write.Headers.Authorization = new("Bearer", "read-key-0123456789");
            using var denied = await http.SendAsync(write);
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        // The page and the health check stay open.
        using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("read-key-0123456789", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cors_allows_only_the_configured_origins()
    {
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:CorsOrigins:0", "https://app.example"]);
        using var http = new HttpClient { BaseAddress = server.HttpAddress };

        static HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, new Uri("textsearch.v1.SearchService/Search", UriKind.Relative));
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type,x-grpc-web,x-api-key");
            return request;
        }

        using (var allowed = await http.SendAsync(Preflight("https://app.example")))
        {
            Assert.Equal("https://app.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Contains("x-api-key", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        }

        using (var other = await http.SendAsync(Preflight("https://evil.example")))
        {
            Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        }

        // An actual request from the allowed origin is answered with the origin and the exposed gRPC headers.
        using var call = new HttpRequestMessage(HttpMethod.Get, new Uri("v1/search?query=x", UriKind.Relative));
        call.Headers.Add("Origin", "https://app.example");
        using var response = await http.SendAsync(call);
        Assert.Equal("https://app.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("grpc-status", response.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_loopback_http_side_answers_only_local_host_names()
    {
        await using var server = await ConfiguredServer.StartAsync([]);
        using var http = new HttpClient();
        async Task<HttpStatusCode> Get(string host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.HttpAddress!, "v1/search?query=x"));
            request.Headers.Host = host;
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        // DNS rebinding: a page on attacker.example whose name now points at 127.0.0.1.
        Assert.Equal(HttpStatusCode.BadRequest, await Get($"attacker.example:{server.HttpAddress!.Port}"));
        Assert.Equal(HttpStatusCode.OK, await Get($"localhost:{server.HttpAddress.Port}"));
        Assert.Equal(HttpStatusCode.OK, await Get($"127.0.0.1:{server.HttpAddress.Port}"));
    }

    [Theory]
    [InlineData("search.example", "search.example", HttpStatusCode.OK)]
    [InlineData("search.example", "localhost", HttpStatusCode.BadRequest)]
    [InlineData("*", "anything.example", HttpStatusCode.OK)]
    public async Task Allowed_hosts_can_be_configured(string allowed, string host, HttpStatusCode expected)
    {
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:HttpAllowedHosts:0", allowed]);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.HttpAddress!, "healthz"));
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Addresses_are_printed_at_start_up()
    {
        await using var server = await ConfiguredServer.StartAsync([]);
        var line = Assert.Single(server.Logs.Lines, l => l.Contains("HTTP/1.1 (JSON API", StringComparison.Ordinal));
        Assert.Contains(server.HttpAddress!.ToString(), line, StringComparison.Ordinal);
        Assert.Contains(new Uri(server.HttpAddress, "metrics").ToString(), line, StringComparison.Ordinal);
        Assert.Contains(server.Logs.Lines, l => l.Contains($"gRPC (HTTP/2) on {server.Address}", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("Overriding address", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("")]
    public async Task Http_side_can_be_switched_off(string setting)
    {
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:HttpUrl", setting]);
        Assert.Null(server.HttpAddress);
        Assert.Single(server.Services.GetRequiredService<Listeners>().Grpc);
        Assert.Contains(server.Logs.Lines, l => l.Contains("HTTP/1.1 side is off", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:0")]
    [InlineData("http://127.0.0.1:0/base")]
    public async Task A_bad_http_url_fails_start_up_with_the_setting_named(string url)
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => ConfiguredServer.StartAsync(["--TextSearch:HttpUrl", url]));
        Assert.Contains("TextSearch:HttpUrl", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--urls", "http://a:1", "--x", "y" }, "http://a:1", new[] { "--x", "y" })]
    [InlineData(new[] { "--urls=http://a:1;http://b:2" }, "http://a:1;http://b:2", new string[0])]
    [InlineData(new[] { "--x", "y" }, null, new[] { "--x", "y" })]
    public void Urls_argument_is_taken_out_for_our_own_listeners(string[] args, string? urls, string[] rest)
    {
        var (remaining, taken) = Listeners.TakeUrlsArgument(args);
        Assert.Equal(urls, taken);
        Assert.Equal(rest, remaining);
    }
}
