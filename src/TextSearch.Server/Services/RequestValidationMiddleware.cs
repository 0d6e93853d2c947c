using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using TextSearch.Server.Hosting;

namespace TextSearch.Server.Services;

/// <summary>
/// Parses each unary TextSearch request before gRPC does. gRPC decodes a request before any interceptor runs, so a
/// message it cannot decode (a string field that is not valid UTF-8, broken protobuf) would surface as UNKNOWN;
/// here it gets INVALID_ARGUMENT with the reason. Streaming requests are decoded inside the handler, where the
/// <see cref="ErrorInterceptor"/> maps the same failures.
/// </summary>
public sealed class RequestValidationMiddleware(RequestDelegate next, IOptions<TextSearchOptions> options)
{
    private const int HeaderLength = 5;

    // Every unary method of our services, by path, with its request type's parser.
    private static readonly Dictionary<string, MessageParser> Parsers =
        ServiceCatalog.TextSearch
            .SelectMany(service => service.Methods.Where(m => !m.IsClientStreaming).Select(m => (Path: $"/{service.FullName}/{m.Name}", m.InputType)))
            .ToDictionary(x => x.Path, x => x.InputType.Parser, StringComparer.Ordinal);

    // The largest message gRPC would accept; 0 (no limit) leaves the bound to Kestrel's request body limit.
    private readonly long _maxMessage = options.Value.Limits.MaxReceiveMessageBytes > 0 ? options.Value.Limits.MaxReceiveMessageBytes : long.MaxValue;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Parsers.TryGetValue(context.Request.Path.Value ?? string.Empty, out var parser))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // Read through the body pipe (which gRPC-Web has already unwrapped, base64 included), never more than one
        // message of the allowed size, then hand gRPC the same bytes through a pipe of our own.
        var body = new ArrayBufferWriter<byte>();
        string? tooLarge;
        try
        {
            tooLarge = await ReadMessageAsync(context.Request.BodyReader, body, _maxMessage, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            tooLarge = "the request is larger than the server accepts: " + ex.Message;
        }

        if (tooLarge is not null)
        {
            TrailersOnly(context, Grpc.Core.StatusCode.ResourceExhausted, tooLarge);
            return;
        }

        context.Features.Set<IRequestBodyPipeFeature>(new BufferedBody(body.WrittenMemory));
        if (Invalid(body.WrittenSpan, parser) is { } reason)
        {
            TrailersOnly(context, Grpc.Core.StatusCode.InvalidArgument, reason);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>A trailers-only gRPC response: the status travels in the headers.</summary>
    private static void TrailersOnly(HttpContext context, Grpc.Core.StatusCode code, string message)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = new StringValues(((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture));
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }

    /// <summary>
    /// Reads the body into <paramref name="body"/>, stopping as soon as the frame header declares, or the bytes
    /// show, a message larger than <paramref name="maxMessage"/>; then returns why (gRPC would answer the same
    /// RESOURCE_EXHAUSTED, but only after buffering it all). Null when the whole body was read.
    /// </summary>
    private static async Task<string?> ReadMessageAsync(PipeReader reader, ArrayBufferWriter<byte> body, long maxMessage, CancellationToken cancellationToken)
    {
        var limit = maxMessage == long.MaxValue ? long.MaxValue : maxMessage + HeaderLength;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var segment in result.Buffer)
            {
                body.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (body.WrittenCount >= HeaderLength && BinaryPrimitives.ReadUInt32BigEndian(body.WrittenSpan[1..]) is var declared && declared > maxMessage)
            {
                return $"Received message exceeds the maximum configured message size ({declared} > {maxMessage} bytes).";
            }

            if (body.WrittenCount > limit)
            {
                return $"The request exceeds the maximum configured message size ({maxMessage} bytes).";
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                return null;
            }
        }
    }

    private sealed class BufferedBody(ReadOnlyMemory<byte> body) : IRequestBodyPipeFeature
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
