using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Primitives;

namespace TextSearch.Server.Services;

/// <summary>
/// Parses each unary TextSearch request before gRPC does. gRPC decodes a request before any interceptor runs, so a
/// message it cannot decode (a string field that is not valid UTF-8, broken protobuf) would surface as UNKNOWN;
/// here it gets INVALID_ARGUMENT with the reason. Streaming requests are decoded inside the handler, where the
/// <see cref="ErrorInterceptor"/> maps the same failures.
/// </summary>
public sealed class RequestValidationMiddleware(RequestDelegate next)
{
    private const int HeaderLength = 5;

    // Every unary method of our services, by path, with its request type's parser.
    private static readonly Dictionary<string, MessageParser> Parsers =
        new[] { V1.NormalizationReflection.Descriptor, V1.SearchReflection.Descriptor, V1.DocumentsReflection.Descriptor }
            .SelectMany(file => file.Services)
            .SelectMany(service => service.Methods.Where(m => !m.IsClientStreaming).Select(m => (Path: $"/{service.FullName}/{m.Name}", m.InputType)))
            .ToDictionary(x => x.Path, x => x.InputType.Parser, StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Parsers.TryGetValue(context.Request.Path.Value ?? string.Empty, out var parser))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // Read through the body pipe (which gRPC-Web has already unwrapped, base64 included), then hand gRPC the
        // same bytes through a pipe of our own.
        var body = await ReadToEndAsync(context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false);
        context.Features.Set<IRequestBodyPipeFeature>(new BufferedBody(body));
        if (Invalid(body, parser) is { } reason)
        {
            // A trailers-only gRPC response: the status travels in the headers.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = new StringValues(((int)Grpc.Core.StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture));
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(reason);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadToEndAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        var bytes = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var segment in result.Buffer)
            {
                bytes.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return bytes.WrittenSpan.ToArray();
            }
        }
    }

    private sealed class BufferedBody(byte[] body) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = PipeReader.Create(new ReadOnlySequence<byte>(body));
    }

    /// <summary>Why the framed message cannot be decoded, or null when it can (or when gRPC should judge it).</summary>
    private static string? Invalid(ReadOnlySpan<byte> framed, MessageParser parser)
    {
        // Leave compressed, truncated or oversized frames to gRPC, which reports them precisely.
        if (framed.Length < HeaderLength || framed[0] != 0)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(framed[1..]);
        if (length != framed.Length - HeaderLength)
        {
            return null;
        }

        try
        {
            parser.ParseFrom(framed[HeaderLength..]);
            return null;
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or DecoderFallbackException or ArgumentException)
        {
            return "the request is not a valid protobuf message (string fields must be valid UTF-8): " + ex.Message;
        }
    }
}
