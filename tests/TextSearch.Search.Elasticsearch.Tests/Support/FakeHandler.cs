using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace TextSearch.Search.Elasticsearch.Tests.Support;

/// <summary>A request as the client sent it (the body decompressed when it was sent gzip'd).</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, string? ContentType, string Body, string? Authorization, string? Accept, bool Gzipped)
{
    public override string ToString() => $"{Method} {PathAndQuery[..(PathAndQuery.IndexOf('?') is var q and >= 0 ? q : PathAndQuery.Length)]}";
}

/// <summary>
/// A scripted Elasticsearch: records every request and answers with what the script returns for it (the request and
/// its ordinal), with the headers a real node sends (X-Elastic-Product, the versioned JSON media type). Throwing from
/// the script simulates a transport failure (connection refused).
/// </summary>
internal sealed class FakeHandler(Func<RecordedRequest, int, HttpResponseMessage> respond) : HttpMessageHandler
{
    public const string MediaType = "application/vnd.elasticsearch+json;compatible-with=9";
    private readonly Lock _gate = new();

    public List<RecordedRequest> Requests { get; } = [];

    /// <summary>Answers every request with the same status and JSON body.</summary>
    public static FakeHandler Always(int status, string json = "{}") => new((_, _) => Json(status, json));

    /// <summary>An answer as Elasticsearch 9 gives it: its product header and media type.</summary>
    public static HttpResponseMessage Json(int status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(json, Encoding.UTF8) };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(MediaType);
        response.Headers.TryAddWithoutValidation("X-Elastic-Product", "Elasticsearch");
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public static HttpRequestException ConnectionRefused() =>
        new(HttpRequestError.ConnectionError, "Connection refused (localhost:9200)", new System.Net.Sockets.SocketException(111));

    /// <summary>The request's body as text, gunzipped when the client compressed it.</summary>
    public static async Task<(string Body, bool Gzipped)> ReadBodyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return (string.Empty, false);
        }

        var bytes = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var gzipped = request.Content.Headers.ContentEncoding.Contains("gzip");
        if (gzipped)
        {
            await using var unzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            await unzip.CopyToAsync(plain, cancellationToken);
            bytes = plain.ToArray();
        }

        return (Encoding.UTF8.GetString(bytes), gzipped);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (body, gzipped) = await ReadBodyAsync(request, cancellationToken);
        var recorded = new RecordedRequest(
            request.Method.Method,
            request.RequestUri!.PathAndQuery,
            request.Content?.Headers.ContentType?.ToString(),
            body,
            request.Headers.Authorization?.ToString(),
            request.Headers.Accept.ToString(),
            gzipped);
        int n;
        lock (_gate)
        {
            n = Requests.Count;
            Requests.Add(recorded);
        }

        return Answer(request, respond(recorded, n));
    }

    /// <summary>As Elasticsearch does: the versioned media type to a client that asked for it, plain JSON otherwise.</summary>
    public static HttpResponseMessage Answer(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (!request.Headers.Accept.ToString().Contains("vnd.elasticsearch", StringComparison.Ordinal))
        {
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        }

        response.RequestMessage = request;
        return response;
    }
}

/// <summary>
/// What the client's HttpRequestInvoker gets instead of its own handler: a fake, which it must not dispose (the client
/// disposes the handlers it rotates and, at the end, all of them; the fake belongs to the test).
/// </summary>
internal sealed class Unowned(HttpMessageHandler fake) : HttpMessageHandler
{
    private readonly HttpMessageInvoker _invoker = new(fake, disposeHandler: false);

    public static Func<HttpMessageHandler, HttpMessageHandler> Wrap(HttpMessageHandler fake) => inner =>
    {
        inner.Dispose();
        return new Unowned(fake);
    };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _invoker.Dispose();
        }

        base.Dispose(disposing);
    }
}
