using Google.Rpc;
using Grpc.Core;

namespace TextSearch.Client;

/// <summary>Reads the rich error details the server sends (google.rpc.Status in the grpc-status-details-bin trailer).</summary>
public static class RpcExceptionExtensions
{
    /// <summary>
    /// The request fields an INVALID_ARGUMENT is about, as the server names them (<c>query</c>, <c>page_size</c>,
    /// <c>document.published_at</c>…), each with its description; empty when the error names no field.
    /// </summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> FieldViolations(this RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        try
        {
            return exception.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations is { Count: > 0 } violations ? [.. violations] : [];
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            // A peer that is not this server may send details that do not parse: they name no field.
            return [];
        }
    }
}
