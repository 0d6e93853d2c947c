using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace TextSearch.Server.Tests.Integration.Support;

/// <summary>The status of a raw call: the HTTP status, and the gRPC status and message (null when the answer had none).</summary>
public sealed record RawStatus(HttpStatusCode Http, int? Grpc, string? Message, bool TrailersOnly);

/// <summary>
/// gRPC and gRPC-Web calls written by hand: any path (in any case), any bytes as the body, so that malformed frames
/// and unfinished bodies can be sent. gRPC goes over HTTP/2 (h2c) to the gRPC address, gRPC-Web over HTTP/1.1 to the
/// HTTP side.
/// </summary>
public static class RawGrpc
{
    /// <summary>A length-prefixed message: the flag byte, the 4-byte big-endian length, the bytes.</summary>
    public static byte[] Frame(byte[] message, byte flag = 0, uint? declaredLength = null)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static HttpClient Http2Client() => new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>An HTTP/1.1 client. It sends a whole request body before it reads the answer (see <see cref="StartHttp11Async"/>).</summary>
    public static HttpClient Http11Client() => new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A gRPC request (HTTP/2) to <paramref name="address"/>.</summary>
    public static HttpRequestMessage GrpcRequest(Uri address, string path, HttpContent content, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>A gRPC-Web request (HTTP/1.1) to the HTTP side; <paramref name="text"/> for application/grpc-web-text.</summary>
    public static HttpRequestMessage GrpcWebRequest(Uri httpAddress, string path, HttpContent content, bool text = false, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var type = text ? "application/grpc-web-text" : "application/grpc-web";
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(httpAddress, path))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("accept", type);
        request.Headers.TryAddWithoutValidation("x-grpc-web", "1");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>
    /// Starts a gRPC-Web call over HTTP/1.1 on a socket of its own: the request headers and <paramref name="prefix"/>
    /// as the first chunk of a chunked body, and no more; then reads the answer's status line and headers (HttpClient
    /// cannot do this: over HTTP/1.1 it reads no answer before it has sent the whole body). The returned socket keeps
    /// the unfinished request open until it is disposed.
    /// </summary>
    public static async Task<(System.Net.Sockets.TcpClient Connection, int HttpStatus, int? GrpcStatus)> StartHttp11Async(
        Uri httpAddress, string path, byte[] prefix, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var connection = new System.Net.Sockets.TcpClient();
        await connection.ConnectAsync(httpAddress.Host, httpAddress.Port);
        var stream = connection.GetStream();
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"POST {path} HTTP/1.1\r\nHost: {httpAddress.Authority}\r\n")
            .Append("Content-Type: application/grpc-web\r\nAccept: application/grpc-web\r\nX-Grpc-Web: 1\r\nTransfer-Encoding: chunked\r\n");
        foreach (var (name, value) in headers ?? [])
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"\r\n{prefix.Length:X}\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(prefix);
        await stream.WriteAsync("\r\n"u8.ToArray());
        await stream.FlushAsync();

        // The status line and headers, up to the empty line.
        var received = new List<byte>();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!Encoding.ASCII.GetString([.. received]).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        var lines = Encoding.ASCII.GetString([.. received]).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var grpc = lines.Skip(1).Select(l => l.Split(':', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim().Equals("grpc-status", StringComparison.OrdinalIgnoreCase));
        return (connection, status, grpc is null ? null : int.Parse(grpc[1].Trim(), CultureInfo.InvariantCulture));
    }

    /// <summary>Sends a whole body and reads the status: in the headers (trailers-only), the trailers, or a gRPC-Web trailer frame.</summary>
    public static async Task<RawStatus> CallAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            return await StatusAsync(response);
        }
    }

    public static Task<RawStatus> GrpcAsync(HttpClient client, Uri address, string path, byte[] body, IEnumerable<KeyValuePair<string, string>>? headers = null) =>
        CallAsync(client, GrpcRequest(address, path, new ByteArrayContent(body), headers));

    public static Task<RawStatus> GrpcWebAsync(HttpClient client, Uri httpAddress, string path, byte[] body, bool text = false, IEnumerable<KeyValuePair<string, string>>? headers = null) =>
        CallAsync(client, GrpcWebRequest(httpAddress, path, new ByteArrayContent(text ? Encoding.ASCII.GetBytes(Convert.ToBase64String(body)) : body), text, headers));

    /// <summary>The status of a response whose body is read to its end.</summary>
    public static async Task<RawStatus> StatusAsync(HttpResponseMessage response)
    {
        if (Header(response.Headers, "grpc-status") is { } headerStatus)
        {
            return new RawStatus(response.StatusCode, int.Parse(headerStatus, CultureInfo.InvariantCulture), Unescape(Header(response.Headers, "grpc-message")), TrailersOnly: true);
        }

        var body = await response.Content.ReadAsByteArrayAsync();
        if (Header(response.TrailingHeaders, "grpc-status") is { } trailerStatus)
        {
            return new RawStatus(response.StatusCode, int.Parse(trailerStatus, CultureInfo.InvariantCulture), Unescape(Header(response.TrailingHeaders, "grpc-message")), TrailersOnly: false);
        }

        // gRPC-Web: the trailers are the last frame of the body (flag 0x80), base64 in text mode.
        if (response.Content.Headers.ContentType?.MediaType?.StartsWith("application/grpc-web-text", StringComparison.Ordinal) == true)
        {
            body = DecodeBase64Chunks(Encoding.ASCII.GetString(body));
        }

        for (var at = 0; at + 5 <= body.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(at + 1));
            if ((body[at] & 0x80) != 0)
            {
                var lines = Encoding.ASCII.GetString(body, at + 5, Math.Min(length, body.Length - at - 5))
                    .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
                    .Select(l => l.Split(':', 2))
                    .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p.Length > 1 ? p[1].Trim() : string.Empty);
                return new RawStatus(
                    response.StatusCode,
                    lines.TryGetValue("grpc-status", out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : null,
                    lines.TryGetValue("grpc-message", out var m) ? Unescape(m) : null,
                    TrailersOnly: false);
            }

            at += 5 + length;
        }

        return new RawStatus(response.StatusCode, null, null, TrailersOnly: false);
    }

    private static byte[] DecodeBase64Chunks(string text)
    {
        // Each gRPC-Web text frame may be padded on its own: decode chunk by chunk.
        var bytes = new List<byte>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && (i + 1 == text.Length || text[i + 1] != '='))
            {
                bytes.AddRange(Convert.FromBase64String(text[start..(i + 1)]));
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            bytes.AddRange(Convert.FromBase64String(text[start..]));
        }

        return [.. bytes];
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? Unescape(string? value) => value is null ? null : Uri.UnescapeDataString(value);
}

/// <summary>
/// A request body that sends <see cref="Prefix"/> at once and the rest only when <see cref="Release"/> is called (or
/// never): a client that starts a large message and does not finish it. With <paramref name="trickle"/> it sends 1 KB
/// of zeros that often meanwhile, to stay above the web server's minimum request data rate (240 bytes/s after 5 s),
/// below which the web server cuts a body off.
/// </summary>
public sealed class HeldContent(byte[] prefix, byte[]? rest = null, TimeSpan? trickle = null) : HttpContent
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _prefixSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public byte[] Prefix { get; } = prefix;

    /// <summary>Completes once the prefix has been handed to the connection.</summary>
    public Task PrefixSent => _prefixSent.Task;

    public void Release() => _release.TrySetResult();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Prefix, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        _prefixSent.TrySetResult();
        while (trickle is { } every && !_release.Task.IsCompleted)
        {
            if (await Task.WhenAny(_release.Task, Task.Delay(every, cancellationToken)) != _release.Task)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await stream.WriteAsync(new byte[1024], cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }
        }

        await _release.Task.WaitAsync(cancellationToken);
        if (rest is not null)
        {
            await stream.WriteAsync(rest, cancellationToken);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
