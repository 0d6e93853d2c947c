using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using TextSearch.Search;

namespace TextSearch.Server.Observability;

/// <summary>
/// The server's instruments, on the <see cref="MeterName"/> meter: calls and their latency per RPC and status code,
/// documents in the index, and documents written through the API (for the ingestion rate).
/// </summary>
public sealed class TextSearchMetrics
{
    /// <summary>The name of the server's <see cref="Meter"/>.</summary>
    public const string MeterName = "TextSearch";

    /// <summary>Latency buckets, in seconds: sub-millisecond normalization up to the 30 s default deadline.</summary>
    internal static readonly double[] DurationBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _ingested;
    private readonly IServiceProvider _services;
    private readonly Lock _countGate = new();
    private Task<long>? _count;
    private long? _lastCount;
    private string _backendName = string.Empty;

    public TextSearchMetrics(IMeterFactory meterFactory, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _services = services;
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>(
            "textsearch.rpc.calls", "{call}", "gRPC calls answered, by service, method and status code.");
        _duration = meter.CreateHistogram(
            "textsearch.rpc.duration", "s", "Time from receiving a gRPC call to its status, by service, method and status code.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _ingested = meter.CreateCounter<long>(
            "textsearch.documents.ingested", "{document}", "Documents written through the API, by operation (upsert, delete) and outcome (ok, failed).");
        meter.CreateObservableGauge(
            "textsearch.index.documents", ObserveDocuments, "{document}", "Documents in the index (read when metrics are collected).");
    }

    /// <summary>Records one answered call.</summary>
    public void RecordCall(string service, string method, string transport, StatusCode code, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "rpc.service", service },
            { "rpc.method", method },
            { "rpc.transport", transport },
            { "grpc.status", StatusNames.Of(code) },
        };
        _calls.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>Records documents written through the API.</summary>
    public void RecordIngested(string operation, bool ok, long documents)
    {
        if (documents > 0)
        {
            _ingested.Add(documents, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", ok ? "ok" : "failed"));
        }
    }

    /// <summary>
    /// The document count, asked of the backend at each collection. The embedded engine answers at once (its reader's
    /// count); a remote one (Elasticsearch) answers later, and the last answer is reported meanwhile.
    /// </summary>
    private IEnumerable<Measurement<long>> ObserveDocuments()
    {
        lock (_countGate)
        {
            if (_count is null || _count.IsCompleted)
            {
                Harvest();
                _count = StartCount();
                Harvest();
            }

            return _lastCount is { } count
                ? [new Measurement<long>(count, new KeyValuePair<string, object?>("textsearch.backend", _backendName))]
                : [];
        }
    }

    private Task<long>? StartCount()
    {
        try
        {
            if (_services.GetService(typeof(ISearchBackend)) is not ISearchBackend backend)
            {
                return null;
            }

            _backendName = backend.Name;
            return backend.CountAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or TextSearchException or InvalidOperationException)
        {
            // Shutting down, or the engine is unavailable: report the last known count.
            return null;
        }
    }

    private void Harvest()
    {
        if (_count is null || !_count.IsCompleted)
        {
            return;
        }

        if (_count.IsCompletedSuccessfully)
        {
            _lastCount = _count.Result;
        }
        else
        {
            _ = _count.Exception; // observed: a failed count keeps the last known value
        }

        _count = null;
    }
}

/// <summary>The canonical gRPC status code names (OK, INVALID_ARGUMENT, …).</summary>
public static class StatusNames
{
    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    public static string Of(StatusCode code) => (int)code >= 0 && (int)code < Names.Length ? Names[(int)code] : "UNKNOWN";
}
