using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace TextSearch.Server.Services;

/// <summary>
/// Keeps the web server's request body usable after a gRPC-Web text call whose base64 is bad. gRPC-Web's base64
/// reader throws in the middle of a read of the body it wraps, without handing back what it read; the web server's
/// body reader then stays "reading", fails to drain the rest of the body after the call, and logs an error with a
/// stack trace. Runs just before the gRPC-Web middleware and gives it a body reader that remembers an unfinished
/// read and finishes it when the call is over. (<see cref="RequestValidationMiddleware"/> turns the base64 reader's
/// exception into INVALID_ARGUMENT.)
/// </summary>
public sealed class GrpcWebTextMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (CallTarget.Of(context)?.Transport != CallTransport.GrpcWebText || context.Features.Get<IRequestBodyPipeFeature>() is not { } original)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var body = new ReleasingBody(original.Reader);
        context.Features.Set<IRequestBodyPipeFeature>(body);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            body.Reader.ReleasePendingRead();
            context.Features.Set(original);
        }
    }

    private sealed class ReleasingBody(PipeReader inner) : IRequestBodyPipeFeature
    {
        public ReleasingReader Reader { get; } = new(inner);

        PipeReader IRequestBodyPipeFeature.Reader => Reader;
    }

    private sealed class ReleasingReader(PipeReader inner) : PipeReader
    {
        private ReadOnlySequence<byte>? _pending;

        /// <summary>Finishes a read that nobody finished (consuming what it returned), so the body can be drained.</summary>
        public void ReleasePendingRead()
        {
            if (_pending is { } buffer)
            {
                _pending = null;
                inner.AdvanceTo(buffer.End);
            }
        }

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            _pending = result.Buffer;
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            _pending = result.Buffer;
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed)
        {
            _pending = null;
            inner.AdvanceTo(consumed);
        }

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            _pending = null;
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null)
        {
            _pending = null;
            inner.Complete(exception);
        }
    }
}
