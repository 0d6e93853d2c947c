using System.Globalization;
using System.Net.Sockets;
using Grpc.Core;
using TextSearch.Client;

namespace TextSearch.Cli.Client;

/// <summary>One line for stderr per failed call: never a stack trace.</summary>
internal static class ErrorMessages
{
    public const string Prefix = "textsearch: ";

    private static readonly SocketError[] Unreachable =
    [
        SocketError.ConnectionRefused, SocketError.HostNotFound, SocketError.HostUnreachable, SocketError.NetworkUnreachable,
        SocketError.TimedOut, SocketError.TryAgain, SocketError.NoData, SocketError.AddressNotAvailable,
    ];

    public static string Describe(RpcException ex, string server, TimeSpan? deadline)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (IsUnreachable(ex.Status.DebugException ?? ex.InnerException))
        {
            return $"{Prefix}cannot reach the server at {server} (is it running?)";
        }

        if (ex.Status.DebugException is HttpRequestException http)
        {
            return $"{Prefix}cannot talk to the server at {server}: {OneLine(http.Message)}";
        }

        var message = ex.StatusCode == StatusCode.DeadlineExceeded && deadline is { } d && string.IsNullOrWhiteSpace(ex.Status.Detail)
            ? $"no answer within {d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (--timeout)"
            : ex.Status.Detail;
        // The fields the server names in its BadRequest details, e.g. "INVALID_ARGUMENT [page_token]: …".
        var fields = string.Join(", ", ex.FieldViolations().Select(v => v.Field).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal));
        return $"{Prefix}{CodeName(ex.StatusCode)}{(fields.Length > 0 ? $" [{fields}]" : string.Empty)}: {OneLine(message)}";
    }

    /// <summary>A refused or unresolvable connection, however deep it is wrapped.</summary>
    internal static bool IsUnreachable(Exception? ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket && Unreachable.Contains(socket.SocketErrorCode))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The canonical gRPC name of a status code (NOT_FOUND, INVALID_ARGUMENT, ...).</summary>
    public static string CodeName(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => ((int)code).ToString(CultureInfo.InvariantCulture),
    };

    public static string OneLine(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "(no message)" : string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
