using Microsoft.Extensions.Options;
using TextSearch.Server.Hosting;

namespace TextSearch.Server.Services;

/// <summary>
/// The request bytes the server may hold at once while <see cref="RequestValidationMiddleware"/> reads and checks
/// unary request messages (<c>TextSearch:Limits:MaxBufferedRequestBytes</c>), shared by every call. A call takes the
/// size its frame header declares before it reads the message, and gives it back when the call ends, however it
/// ends (the client going away included).
/// </summary>
public sealed class RequestBodyBudget(IOptions<TextSearchOptions> options)
{
    private long _held;

    /// <summary>The budget; <see cref="long.MaxValue"/> when there is none.</summary>
    public long MaxBytes { get; } = options.Value.Limits.MaxBufferedRequestBytes > 0 ? options.Value.Limits.MaxBufferedRequestBytes : long.MaxValue;

    /// <summary>The bytes taken now.</summary>
    public long HeldBytes => Interlocked.Read(ref _held);

    /// <summary>Takes <paramref name="bytes"/> if they fit in what is left; false (and nothing taken) if not.</summary>
    public bool TryTake(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var held = Interlocked.Read(ref _held);
        while (true)
        {
            if (bytes > MaxBytes - held)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _held, held + bytes, held);
            if (seen == held)
            {
                return true;
            }

            held = seen;
        }
    }

    /// <summary>Gives back bytes taken with <see cref="TryTake"/>.</summary>
    public void Return(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Interlocked.Add(ref _held, -bytes);
    }
}
