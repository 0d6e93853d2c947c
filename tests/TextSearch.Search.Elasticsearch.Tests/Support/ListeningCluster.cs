using System.Net;
using System.Net.Http.Headers;

namespace TextSearch.Search.Elasticsearch.Tests.Support;

/// <summary>
/// A fake cluster (any HttpMessageHandler, e.g. <see cref="FakeElasticsearch"/>) served over real HTTP on
/// 127.0.0.1:<see cref="Port"/>, for tests of the whole server. Requests are handed over as they arrive (headers,
/// compressed bodies and all); answers go back with their status, headers and body.
/// </summary>
internal sealed class ListeningCluster : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpMessageInvoker _cluster;
    private readonly Task _serving;

    public ListeningCluster(int port, HttpMessageHandler cluster)
    {
        Port = port;
        _cluster = new HttpMessageInvoker(cluster, disposeHandler: false);
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving;
        _listener.Close();
        _cluster.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), context.Request.Url);
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (body.Length > 0 || context.Request.HttpMethod is "POST" or "PUT")
            {
                request.Content = new ByteArrayContent(body.ToArray());
                if (context.Request.ContentType is { } type)
                {
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
                }

                if (context.Request.Headers["Content-Encoding"] is { } encoding)
                {
                    request.Content.Headers.ContentEncoding.Add(encoding);
                }
            }

            foreach (var name in new[] { "Accept", "Authorization" })
            {
                if (context.Request.Headers[name] is { } value)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var response = await _cluster.SendAsync(request, CancellationToken.None);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers)
            {
                context.Response.AddHeader(header.Key, string.Join(",", header.Value));
            }

            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            var bytes = await response.Content.ReadAsByteArrayAsync();
            if (context.Request.HttpMethod != "HEAD")
            {
                await context.Response.OutputStream.WriteAsync(bytes);
            }

            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The listener stopped, or the client went away.
        }
    }
}
