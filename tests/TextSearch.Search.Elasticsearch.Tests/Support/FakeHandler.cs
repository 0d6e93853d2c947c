using System.Net;
using System.Text;

namespace TextSearch.Search.Elasticsearch.Tests.Support;

/// <summary>A request as the client sent it.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, string? ContentType, string Body, string? Authorization)
{
    public override string ToString() => $"{Method} {PathAndQuery}";
}

/// <summary>
/// A scripted Elasticsearch: records every request and answers with what the script returns for it (the request and
/// its ordinal). Throwing from the script simulates a transport failure (connection refused).
/// </summary>
internal sealed class FakeHandler(Func<RecordedRequest, int, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly object _gate = new();

    public List<RecordedRequest> Requests { get; } = [];

    /// <summary>Answers every request with the same status and JSON body.</summary>
    public static FakeHandler Always(int status, string json = "{}") => new((_, _) => Json(status, json));

    public static HttpResponseMessage Json(int status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public static HttpRequestException ConnectionRefused() =>
        new(HttpRequestError.ConnectionError, "Connection refused (localhost:9200)", new System.Net.Sockets.SocketException(111));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(
            request.Method.Method,
            request.RequestUri!.PathAndQuery,
            request.Content?.Headers.ContentType?.ToString(),
            body,
            request.Headers.Authorization?.ToString());
        int n;
        lock (_gate)
        {
            n = Requests.Count;
            Requests.Add(recorded);
        }

        var response = respond(recorded, n);
        response.RequestMessage = request;
        return response;
    }
}
