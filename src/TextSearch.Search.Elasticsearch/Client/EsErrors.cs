using System.Text;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using Elastic.Transport.Products.Elasticsearch;
using ErrorCause = Elastic.Clients.Elasticsearch.ErrorCause;

namespace TextSearch.Search.Elasticsearch.Client;

/// <summary>What an Elasticsearch error said: the HTTP status, the error type and reason, and the root cause's.</summary>
internal sealed record EsErrorInfo(int Status, string? Type, string? Reason, string? RootCauseType, string? RootCauseReason)
{
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Type ?? $"HTTP {Status}");
        if (!string.IsNullOrEmpty(Reason))
        {
            sb.Append(": ").Append(Reason);
        }

        if (RootCauseType is not null && RootCauseType != Type)
        {
            sb.Append(" (caused by ").Append(RootCauseType);
            if (!string.IsNullOrEmpty(RootCauseReason) && RootCauseReason != Reason)
            {
                sb.Append(": ").Append(RootCauseReason);
            }

            sb.Append(')');
        }

        return sb.ToString();
    }
}

/// <summary>
/// Maps Elasticsearch errors to <see cref="ErrorKind"/> (which the server maps to gRPC status codes). The error
/// type decides first, the HTTP status otherwise:
/// <list type="table">
/// <item><term>400 parsing, mapping and argument errors</term><description>InvalidArgument</description></item>
/// <item><term>401/403 security_exception</term><description>FailedPrecondition (the server's credentials or privileges are wrong)</description></item>
/// <item><term>400 media_type_header_exception</term><description>FailedPrecondition (an 8.x node refusing compatible-with=9)</description></item>
/// <item><term>404 index_not_found_exception</term><description>Unavailable (the index is recreated on the next call)</description></item>
/// <item><term>408, 504, timeouts</term><description>DeadlineExceeded</description></item>
/// <item><term>413, 429 (es_rejected_execution_exception, circuit_breaking_exception)</term><description>ResourceExhausted</description></item>
/// <item><term>409, 500, 502, 503, unavailable shards, no master, connection errors</term><description>Unavailable</description></item>
/// </list>
/// </summary>
internal static class EsErrors
{
    private static readonly HashSet<string> Unavailable = new(StringComparer.Ordinal)
    {
        "index_not_found_exception", "unavailable_shards_exception", "no_shard_available_action_exception",
        "master_not_discovered_exception", "node_not_connected_exception", "node_closed_exception",
        "node_disconnected_exception", "connect_transport_exception", "version_conflict_engine_exception",
        "shard_not_found_exception", "no_node_available_exception",
    };

    private static readonly HashSet<string> ResourceExhausted = new(StringComparer.Ordinal)
    {
        "es_rejected_execution_exception", "circuit_breaking_exception", "too_many_requests",
    };

    private static readonly HashSet<string> DeadlineExceeded = new(StringComparer.Ordinal)
    {
        "process_cluster_event_timeout_exception", "receive_timeout_transport_exception", "elasticsearch_timeout_exception",
    };

    /// <summary>What a response's error said (the client parsed it; a body that was not JSON leaves only the status).</summary>
    public static EsErrorInfo Of(ElasticsearchResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = response.ApiCallDetails.HttpStatusCode ?? 0;
        var error = response.ElasticsearchServerError?.Error;
        // The innermost caused_by says most (an 8.x node's "Accept version must be…"); else the first root_cause.
        var root = Deepest<Elastic.Transport.Products.Elasticsearch.ErrorCause>(error, e => e.CausedBy) ?? error?.RootCause?.FirstOrDefault();
        return new EsErrorInfo(status, error?.Type, error?.Reason, root?.Type, root?.Reason);
    }

    /// <summary>What a bulk item's or a shard's error said.</summary>
    public static EsErrorInfo Of(int status, ErrorCause? cause)
    {
        var root = cause?.RootCause is { Count: > 0 } roots ? roots.First() : Deepest(cause, c => c.CausedBy);
        return new EsErrorInfo(status, cause?.Type, cause?.Reason, root?.Type, root?.Reason);
    }

    public static ErrorKind KindOf(EsErrorInfo error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var type in new[] { error.Type, error.RootCauseType })
        {
            if (type is null)
            {
                continue;
            }

            if (type is "security_exception" or "media_type_header_exception")
            {
                return ErrorKind.FailedPrecondition;
            }

            if (type == "cluster_block_exception")
            {
                // Read-only index (disk flood stage: 429 since 8.x), or a cluster not yet recovered (503).
                return error.Status switch
                {
                    429 => ErrorKind.ResourceExhausted,
                    403 => ErrorKind.FailedPrecondition,
                    _ => ErrorKind.Unavailable,
                };
            }

            if (Unavailable.Contains(type))
            {
                return ErrorKind.Unavailable;
            }

            if (ResourceExhausted.Contains(type))
            {
                return ErrorKind.ResourceExhausted;
            }

            if (DeadlineExceeded.Contains(type))
            {
                return ErrorKind.DeadlineExceeded;
            }
        }

        return KindOf(error.Status);
    }

    public static ErrorKind KindOf(int status) => status switch
    {
        400 => ErrorKind.InvalidArgument,
        401 or 403 => ErrorKind.FailedPrecondition,
        404 => ErrorKind.NotFound,
        408 or 504 => ErrorKind.DeadlineExceeded,
        409 => ErrorKind.Unavailable,
        413 or 429 => ErrorKind.ResourceExhausted,
        >= 500 => ErrorKind.Unavailable,
        _ => ErrorKind.FailedPrecondition,
    };

    /// <summary>The exception for a failed request: a kind and a message that says what Elasticsearch refused and why.</summary>
    public static TextSearchException ToException(string operation, EsErrorInfo error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var kind = KindOf(error);
        var hint = kind switch
        {
            ErrorKind.FailedPrecondition when error.Status == 401 =>
                " Check TextSearch:Elasticsearch:ApiKey, or :Username and :Password.",
            ErrorKind.FailedPrecondition when error.Status == 403 && error.Type == "security_exception" =>
                " The configured user or API key lacks privileges on the index.",
            ErrorKind.FailedPrecondition when error.Type == "media_type_header_exception" =>
                " This engine needs Elasticsearch 9.x: its client asks for compatible-with=9, which an 8.x node refuses.",
            ErrorKind.Unavailable when error.Type == "index_not_found_exception" || error.RootCauseType == "index_not_found_exception" =>
                " It is created again on the next call.",
            _ => string.Empty,
        };
        return new TextSearchException(kind, $"Elasticsearch could not {operation} ({error.Status} {error}).{hint}");
    }

    /// <summary>A bulk item's failure, as the caller's failure list reports it.</summary>
    public static DocumentFailure ItemFailure(string id, ResponseItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var error = Of(item.Status, item.Error);
        return new DocumentFailure(id, KindOf(error), $"Elasticsearch did not store the document ({item.Status} {error}).");
    }

    /// <summary>True for statuses a retry may cure: 429, 502, 503, 504.</summary>
    public static bool IsRetryable(int status) => status is 429 or 502 or 503 or 504;

    // The innermost cause (not the error itself), or null.
    private static T? Deepest<T>(T? cause, Func<T, T?> causedBy)
        where T : class
    {
        var c = cause;
        for (var depth = 0; c is not null && causedBy(c) is { } next && depth < 16; depth++)
        {
            c = next;
        }

        return ReferenceEquals(c, cause) ? null : c;
    }
}
