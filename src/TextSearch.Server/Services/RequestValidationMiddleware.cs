using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Net.Compression;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace TextSearch.Server.Services;

/// <summary>
/// Reads and judges the request message of every unary TextSearch method (and of health Check and Watch) before gRPC
/// does, and hands gRPC the same message from memory. gRPC decodes a request before any interceptor runs, and
/// answers a frame it cannot read (a wrong length, a flag byte other than 0 or 1, a compressed message without
/// grpc-encoding or that does not decompress) or a message it cannot decode (a string that is not valid UTF-8) with
/// UNKNOWN or INTERNAL; here each gets INVALID_ARGUMENT with the reason, and a message over the size limit
/// RESOURCE_EXHAUSTED, as trailers-only responses. Runs after <see cref="AdmissionMiddleware"/>, so only admitted
/// calls are read, and reads at most the declared size of one message, taken first from the shared
/// <see cref="RequestBodyBudget"/>. Streamed requests are read by gRPC inside the handler, where
/// <see cref="RequestStreamInterceptor"/> maps the same frame errors. Rejections are logged as
/// "Rejected {Method}: {Reason}" with a fixed reason.
/// </summary>
public sealed partial class RequestValidationMiddleware
{
    private const int HeaderLength = 5;
    private const string NotBase64 = "the gRPC-Web text body is not valid base64.";

    /// <summary>The largest health request read: a HealthCheckRequest is one service name.</summary>
    internal const int ExemptMaxMessageBytes = 16 * 1024;

    // Every method with a single request message: ours, and health Check and Watch (reflection is a duplex stream).
    private static readonly Dictionary<string, MessageParser> Parsers =
        ServiceCatalog.TextSearch.Concat(Grpc.Health.V1.HealthReflection.Descriptor.Services)
            .SelectMany(service => service.Methods.Where(m => !m.IsClientStreaming).Select(m => (Path: $"/{service.FullName}/{m.Name}", m.InputType)))
            .ToDictionary(x => x.Path, x => x.InputType.Parser, StringComparer.Ordinal);

    private readonly RequestDelegate _next;
    private readonly RequestBodyBudget _budget;
    private readonly ILogger<RequestValidationMiddleware> _logger;
    private readonly long _maxMessage;
    private readonly IReadOnlyList<ICompressionProvider> _compression;

    public RequestValidationMiddleware(
        RequestDelegate next, RequestBodyBudget budget, IOptions<GrpcServiceOptions> grpcOptions, ILogger<RequestValidationMiddleware> logger)
    {
        ArgumentNullException.ThrowIfNull(grpcOptions);
        _next = next;
        _budget = budget;
        _logger = logger;
        // The limit gRPC itself applies (TextSearch:Limits:MaxReceiveMessageBytes, or gRPC's default when that is 0).
        _maxMessage = grpcOptions.Value.MaxReceiveMessageSize ?? long.MaxValue;
        _compression = [.. grpcOptions.Value.CompressionProviders];
    }

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var call = CallTarget.Of(context);
        if (call is null || call.Transport == CallTransport.Json)
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        if (call.Transport == CallTransport.GrpcWebText)
        {
            // gRPC-Web's base64 reader throws InvalidOperationException on bad input, which gRPC reports as a failure
            // of the server; make it a frame error.
            context.Features.Set<IRequestBodyPipeFeature>(new Base64Guard(context.Request.BodyReader));
        }

        if (!Parsers.TryGetValue(call.Method.FullName, out var parser)
            || !CallTarget.IsContentType(context.Request.ContentType, "application/grpc"))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        var read = new FrameRead(call.IsExempt ? null : _budget);
        try
        {
            Rejection? rejection;
            try
            {
                rejection = await ReadAsync(context, call.IsExempt ? Math.Min(_maxMessage, ExemptMaxMessageBytes) : _maxMessage, read).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                rejection = new(StatusCode.ResourceExhausted, "the request is larger than the server accepts: " + ex.Message, "request over the web server's body size limit");
            }
            catch (InvalidDataException)
            {
                rejection = new(StatusCode.InvalidArgument, NotBase64, "gRPC-Web text body not valid base64");
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException && context.RequestAborted.IsCancellationRequested)
            {
                // The client went away while sending: nobody to answer.
                return;
            }

            if (rejection is null && !read.Compressed && Undecodable(read.Message, parser) is { } reason)
            {
                rejection = new(StatusCode.InvalidArgument, reason, "request message not valid protobuf");
            }

            if (rejection is not null)
            {
                LogRejected(_logger, call.Method.FullName, rejection.Reason);
                await CallResponses.RefuseAsync(context, call, rejection.Code, rejection.Message).ConfigureAwait(false);
                return;
            }

            context.Features.Set<IRequestBodyPipeFeature>(new BufferedBody(read.Frame!));
            await _next(context).ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened (the call answered, refused, or the client gone), its bytes are given back.
            read.Dispose();
        }
    }

    /// <summary>
    /// Reads one framed message into <paramref name="read"/>: the 5-byte header first, judged before the message is
    /// read (flag, encoding, declared size, room in the budget), then exactly the declared bytes and the end of the
    /// body. Returns why the request is refused, or null when <see cref="FrameRead.Frame"/> holds the frame (uncompressed,
    /// unless its encoding is one the server does not support, which gRPC then refuses).
    /// </summary>
    private async Task<Rejection?> ReadAsync(HttpContext context, long maxMessage, FrameRead read)
    {
        var reader = context.Request.BodyReader;
        var cancellationToken = context.RequestAborted;
        var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        while (result.Buffer.Length < HeaderLength && !result.IsCompleted)
        {
            ThrowIfCanceled(result);
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }

        if (result.Buffer.Length < HeaderLength)
        {
            var empty = result.Buffer.IsEmpty;
            reader.AdvanceTo(result.Buffer.End);
            return empty
                ? new(StatusCode.InvalidArgument, "the request has no message: a unary call sends exactly one.", "no request message")
                : new(StatusCode.InvalidArgument, "Incomplete message: the request ends inside the 5-byte message header.", "incomplete message header");
        }

        var (flag, declared) = Header(result.Buffer);
        if (flag > 1)
        {
            reader.AdvanceTo(result.Buffer.End);
            return new(StatusCode.InvalidArgument, $"the message header's flag byte is 0x{flag:X2}; it must be 0 (uncompressed) or 1 (compressed).", "invalid message flag");
        }

        if (declared > maxMessage)
        {
            reader.AdvanceTo(result.Buffer.End);
            return new(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size ({declared} > {maxMessage} bytes).", "message over the size limit");
        }

        ICompressionProvider? decompressor = null;
        if (flag == 1)
        {
            var encoding = context.Request.Headers["grpc-encoding"].ToString();
            if (encoding.Length == 0 || encoding == "identity")
            {
                reader.AdvanceTo(result.Buffer.End);
                return new(StatusCode.InvalidArgument, "the message is marked compressed but the request's grpc-encoding names no compression.", "compressed message without grpc-encoding");
            }

            // An encoding the server does not support is left to gRPC, which answers UNIMPLEMENTED with the
            // supported ones, as the protocol asks: the frame goes to it as it is.
            decompressor = _compression.FirstOrDefault(p => p.EncodingName == encoding);
        }

        var rejection = await ReadFrameAsync(reader, result, declared, read, cancellationToken).ConfigureAwait(false);
        return rejection ?? (decompressor is null ? null : Decompress(decompressor, maxMessage, read));
    }

    /// <summary>Reads the frame whose header is at the start of <paramref name="result"/>, and the end of the body.</summary>
    private static async Task<Rejection?> ReadFrameAsync(PipeReader reader, ReadResult result, uint declared, FrameRead read, CancellationToken cancellationToken)
    {
        var size = HeaderLength + (long)declared;
        if (!read.Take(size))
        {
            reader.AdvanceTo(result.Buffer.Start);
            return BudgetExhausted(read);
        }

        var frame = new byte[size];
        long copied = 0;
        while (true)
        {
            ThrowIfCanceled(result);
            var buffer = result.Buffer;
            if (buffer.Length > size - copied)
            {
                reader.AdvanceTo(buffer.End);
                return new(StatusCode.InvalidArgument, $"the request has data after its message (the message header declares {declared} bytes).", "data after the message");
            }

            buffer.CopyTo(frame.AsSpan((int)copied));
            copied += buffer.Length;
            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                if (copied < size)
                {
                    return new(StatusCode.InvalidArgument, $"Incomplete message: the message header declares {declared} bytes and {copied - HeaderLength} arrived.", "incomplete message");
                }

                read.SetFrame(frame);
                return null;
            }

            result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Decompresses the message in <paramref name="read"/> into an uncompressed frame, within the size limit and the budget.</summary>
    private static Rejection? Decompress(ICompressionProvider provider, long maxMessage, FrameRead read)
    {
        using var output = new MemoryStream();
        output.Write(stackalloc byte[HeaderLength]);
        var chunk = new byte[64 * 1024];
        try
        {
            using var input = provider.CreateDecompressionStream(new MemoryStream(read.Frame!, HeaderLength, read.Frame!.Length - HeaderLength, writable: false));
            int n;
            while ((n = input.Read(chunk)) > 0)
            {
                if (output.Length - HeaderLength + n > maxMessage)
                {
                    return new(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size once decompressed (over {maxMessage} bytes).", "decompressed message over the size limit");
                }

                if (!read.Take(n))
                {
                    return BudgetExhausted(read);
                }

                output.Write(chunk, 0, n);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return new(StatusCode.InvalidArgument, $"the compressed message is not valid {provider.EncodingName}.", "compressed message does not decompress");
        }

        var frame = output.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(frame.Length - HeaderLength));
        read.SetFrame(frame);
        return null;
    }

    private static Rejection BudgetExhausted(FrameRead read) => new(
        StatusCode.ResourceExhausted,
        $"the server is holding as many request bytes as it may ({read.Budget!.MaxBytes}); retry with backoff.",
        "buffered request bytes at their limit");

    private static (byte Flag, uint Length) Header(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        return (header[0], BinaryPrimitives.ReadUInt32BigEndian(header[1..]));
    }

    private static void ThrowIfCanceled(ReadResult result)
    {
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("the request body read was canceled.");
        }
    }

    /// <summary>Why the message cannot be decoded, or null when it can.</summary>
    private static string? Undecodable(ReadOnlySpan<byte> message, MessageParser parser)
    {
        try
        {
            parser.ParseFrom(message);
            return null;
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or DecoderFallbackException or ArgumentException)
        {
            return "the request is not a valid protobuf message (string fields must be valid UTF-8): " + ex.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Method}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string method, string reason);

    /// <summary>A refusal: the status and message the client gets, and a fixed reason for the log.</summary>
    private sealed record Rejection(StatusCode Code, string Message, string Reason);

    /// <summary>The frame being read and the bytes it holds of the budget (none for health requests, which are small and open).</summary>
    private sealed class FrameRead(RequestBodyBudget? budget) : IDisposable
    {
        private long _taken;

        public RequestBodyBudget? Budget { get; } = budget;

        /// <summary>The whole frame (header and message), once read.</summary>
        public byte[]? Frame { get; private set; }

        /// <summary>The frame is still compressed (an encoding the server does not support; gRPC answers it).</summary>
        public bool Compressed => Frame is { Length: > 0 } frame && frame[0] == 1;

        public ReadOnlySpan<byte> Message => Frame is { } frame ? frame.AsSpan(HeaderLength) : [];

        public bool Take(long bytes)
        {
            if (Budget is not null && !Budget.TryTake(bytes))
            {
                return false;
            }

            _taken += bytes;
            return true;
        }

        public void SetFrame(byte[] frame) => Frame = frame;

        public void Dispose()
        {
            Budget?.Return(_taken);
            _taken = 0;
        }
    }

    private sealed class BufferedBody(ReadOnlyMemory<byte> body) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = PipeReader.Create(new ReadOnlySequence<byte>(body));
    }

    /// <summary>Turns the gRPC-Web base64 reader's InvalidOperationException on bad input into a frame error.</summary>
    private sealed class Base64Guard(PipeReader inner) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = new GuardedReader(inner);

        private sealed class GuardedReader(PipeReader inner) : PipeReader
        {
            public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
            {
                try
                {
                    return await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    throw new InvalidDataException(NotBase64, ex);
                }
            }

            public override bool TryRead(out ReadResult result)
            {
                try
                {
                    return inner.TryRead(out result);
                }
                catch (InvalidOperationException ex)
                {
                    throw new InvalidDataException(NotBase64, ex);
                }
            }

            public override void AdvanceTo(SequencePosition consumed)
            {
                try
                {
                    inner.AdvanceTo(consumed);
                }
                catch (InvalidOperationException ex)
                {
                    throw new InvalidDataException(NotBase64, ex);
                }
            }

            public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
            {
                try
                {
                    inner.AdvanceTo(consumed, examined);
                }
                catch (InvalidOperationException ex)
                {
                    throw new InvalidDataException(NotBase64, ex);
                }
            }

            public override void CancelPendingRead() => inner.CancelPendingRead();

            public override void Complete(Exception? exception = null) => inner.Complete(exception);
        }
    }
}
