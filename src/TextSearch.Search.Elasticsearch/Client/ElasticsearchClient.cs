using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace TextSearch.Search.Elasticsearch.Client;

/// <summary>A response as received: status and body.</summary>
internal sealed record EsResponse(int Status, byte[] Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>How a request is sent: per-attempt timeout and retries.</summary>
internal sealed record RequestPolicy(TimeSpan Timeout, int MaxRetries);

/// <summary>
/// A small typed Elasticsearch REST client on <see cref="HttpClient"/>: the handful of APIs the engine needs
/// (index and alias creation, _bulk, _search, get, delete, _count, _cluster/health). Requests rotate over the
/// configured nodes; connection errors and 429/502/503/504 are retried with exponential backoff (honouring
/// Retry-After); every error becomes a <see cref="TextSearchException"/> with a precise <see cref="ErrorKind"/>.
/// Nothing here logs or returns the credentials.
/// </summary>
internal sealed partial class ElasticsearchClient : IDisposable
{
    public const string JsonContentType = "application/json";
    public const string NdjsonContentType = "application/x-ndjson";

    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly TimeSpan BaseBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly IReadOnlyList<Uri> _nodes;
    private readonly ILogger _logger;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Action? _indexMissing;
    private int _nextNode = -1;

    /// <param name="options">Nodes, credentials, TLS, timeouts and retries.</param>
    /// <param name="logger">Retries and timeouts are logged (never credentials).</param>
    /// <param name="handler">The HTTP handler (a fake in tests); by default a SocketsHttpHandler built from the options.</param>
    /// <param name="delay">How backoff waits (tests pass one that does not).</param>
    /// <param name="indexMissing">Called when Elasticsearch says the index does not exist.</param>
    public ElasticsearchClient(
        ElasticsearchOptions options,
        ILogger logger,
        HttpMessageHandler? handler = null,
        Func<TimeSpan, CancellationToken, Task>? delay = null,
        Action? indexMissing = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _indexMissing = indexMissing;
        _nodes = options.Nodes;
        _delay = delay ?? Task.Delay;
        Policy = new RequestPolicy(options.RequestTimeout, options.MaxRetries);
        HealthPolicy = new RequestPolicy(options.RequestTimeout < TimeSpan.FromSeconds(3) ? options.RequestTimeout : TimeSpan.FromSeconds(3), 0);
        _http = new HttpClient(handler ?? CreateHandler(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonContentType));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("textsearch", "1.0"));
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", options.ApiKey);
        }
        else if (!string.IsNullOrEmpty(options.Username))
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }
    }

    /// <summary>The policy of ordinary calls: the configured timeout and retries.</summary>
    public RequestPolicy Policy { get; }

    /// <summary>The policy of health probes: a short timeout and no retries, so a probe never hangs.</summary>
    public RequestPolicy HealthPolicy { get; }

    public static HttpMessageHandler CreateHandler(ElasticsearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
        };
        var validation = CertificateValidation.From(options);
        if (validation.IsCustom)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                validation.Validate(certificate as System.Security.Cryptography.X509Certificates.X509Certificate2, chain, errors);
        }

        return handler;
    }

    // ---- Typed operations -------------------------------------------------------------------------------------

    /// <summary>HEAD /{name}: whether an index or alias of that name exists.</summary>
    public async Task<bool> ExistsAsync(string name, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Head, Escape(name), null, null, policy, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            200 => true,
            404 => false,
            _ => throw Fail("check the index", EsErrors.Parse(response.Status, response.Body)),
        };
    }

    /// <summary>PUT /{index} with settings, mappings and aliases. False when the index already exists.</summary>
    public async Task<bool> CreateIndexAsync(string index, JsonObject body, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Put, Escape(index), Serialize(body), JsonContentType, policy, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess)
        {
            return true;
        }

        var error = EsErrors.Parse(response.Status, response.Body);
        if (response.Status == 400 && error.Type == "resource_already_exists_exception")
        {
            return false;
        }

        throw Fail($"create the index '{index}'", error);
    }

    /// <summary>POST /_aliases: points <paramref name="alias"/> at <paramref name="index"/> (as its write index).</summary>
    public async Task AddAliasAsync(string index, string alias, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var body = EsRequests.AddAlias(index, alias);
        var response = await SendAsync(HttpMethod.Post, "_aliases", Serialize(body), JsonContentType, policy, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw Fail($"point the alias '{alias}' at '{index}'", EsErrors.Parse(response.Status, response.Body));
        }
    }

    /// <summary>
    /// POST /{index}/_bulk with an NDJSON body; with <paramref name="refresh"/>, ?refresh=wait_for (the documents are
    /// searchable when it returns). The caller reads each item's result.
    /// </summary>
    public async Task<BulkResponse> BulkAsync(string index, byte[] ndjson, bool refresh, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var path = $"{Escape(index)}/_bulk" + (refresh ? "?refresh=wait_for" : string.Empty);
        var response = await SendAsync(HttpMethod.Post, path, ndjson, NdjsonContentType, policy, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw Fail("store the documents", EsErrors.Parse(response.Status, response.Body));
        }

        return Deserialize(response, EsJson.Default.BulkResponse, "store the documents");
    }

    /// <summary>POST /{index}/_refresh: everything indexed so far becomes searchable.</summary>
    public async Task RefreshAsync(string index, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Post, $"{Escape(index)}/_refresh", null, null, policy, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw Fail("refresh the index", EsErrors.Parse(response.Status, response.Body));
        }
    }

    /// <summary>GET /{index}/_doc/{id}: the document's _source, or null when there is none.</summary>
    public async Task<EsDocument?> GetAsync(string index, string id, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var path = $"{Escape(index)}/_doc/{Escape(id)}?_source_includes={string.Join(',', EsFields.Original)}";
        var response = await SendAsync(HttpMethod.Get, path, null, null, policy, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && !HasError(response.Body))
        {
            return null;
        }

        if (!response.IsSuccess)
        {
            throw Fail("get the document", EsErrors.Parse(response.Status, response.Body));
        }

        var get = Deserialize(response, EsJson.Default.GetResponse, "get the document");
        return get.Found ? get.Source : null;
    }

    /// <summary>DELETE /{index}/_doc/{id}?refresh=wait_for: false when there was no such document.</summary>
    public async Task<bool> DeleteAsync(string index, string id, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var path = $"{Escape(index)}/_doc/{Escape(id)}?refresh=wait_for";
        var response = await SendAsync(HttpMethod.Delete, path, null, null, policy, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && !HasError(response.Body))
        {
            return false;
        }

        if (!response.IsSuccess)
        {
            throw Fail("delete the document", EsErrors.Parse(response.Status, response.Body));
        }

        return Deserialize(response, EsJson.Default.DeleteResponse, "delete the document").Result == "deleted";
    }

    /// <summary>POST /{index}/_search. Partial results are refused (allow_partial_search_results=false): all shards answer, or it fails.</summary>
    public async Task<SearchResponse> SearchAsync(string index, JsonObject body, bool dfs, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var path = $"{Escape(index)}/_search?allow_partial_search_results=false" + (dfs ? "&search_type=dfs_query_then_fetch" : string.Empty);
        var response = await SendAsync(HttpMethod.Post, path, Serialize(body), JsonContentType, policy, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw Fail("search", EsErrors.Parse(response.Status, response.Body));
        }

        var result = Deserialize(response, EsJson.Default.SearchResponse, "search");
        if (result.TimedOut || result.Shards is { Failed: > 0 })
        {
            var failure = result.Shards?.Failures is [var first, ..] ? first.Reason : null;
            throw Fail("search on every shard", EsErrors.FromCause(503, failure ?? new EsErrorCause { Type = "partial_results", Reason = "some shards failed or timed out" }));
        }

        return result;
    }

    /// <summary>GET /{index}/_count.</summary>
    public async Task<long> CountAsync(string index, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, $"{Escape(index)}/_count", null, null, policy, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw Fail("count the documents", EsErrors.Parse(response.Status, response.Body));
        }

        return Deserialize(response, EsJson.Default.CountResponse, "count the documents").Count;
    }

    /// <summary>GET /{index}/_settings/index.uuid: the unique id Elasticsearch gave the index behind a name or alias.</summary>
    public async Task<string> IndexUuidAsync(string index, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, $"{Escape(index)}/_settings/index.uuid", null, null, policy, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw Fail("read the index settings", EsErrors.Parse(response.Status, response.Body));
        }

        try
        {
            using var json = JsonDocument.Parse(response.Body);
            foreach (var entry in json.RootElement.EnumerateObject())
            {
                if (entry.Value.TryGetProperty("settings", out var settings) && settings.TryGetProperty("index", out var idx)
                    && idx.TryGetProperty("uuid", out var uuid) && uuid.GetString() is { Length: > 0 } value)
                {
                    return value;
                }
            }
        }
        catch (JsonException)
        {
        }

        throw new TextSearchException(ErrorKind.Unavailable, "Elasticsearch answered the index settings request without the index's uuid.");
    }

    /// <summary>GET /_cluster/health/{index}: green, yellow or red.</summary>
    public async Task<ClusterHealthResponse> HealthAsync(string index, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, $"_cluster/health/{Escape(index)}", null, null, policy, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw Fail("report its health", EsErrors.Parse(response.Status, response.Body));
        }

        return Deserialize(response, EsJson.Default.ClusterHealthResponse, "report its health");
    }

    /// <summary>DELETE /{index} (tests and tools; not used by the engine).</summary>
    public async Task DeleteIndexAsync(string index, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Delete, Escape(index), null, null, policy, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess && response.Status != 404)
        {
            throw Fail($"delete the index '{index}'", EsErrors.Parse(response.Status, response.Body));
        }
    }

    public void Dispose() => _http.Dispose();

    private TextSearchException Fail(string operation, EsErrorInfo error)
    {
        if (error.Type == "index_not_found_exception" || error.RootCauseType == "index_not_found_exception")
        {
            _indexMissing?.Invoke();
        }

        return EsErrors.ToException(operation, error);
    }

    // ---- Transport --------------------------------------------------------------------------------------------

    /// <summary>
    /// Sends a request, retrying connection errors and 429/502/503/504 up to the policy's retries with backoff.
    /// Returns the last response (any status); throws Unavailable when no node could be reached, DeadlineExceeded
    /// when an attempt timed out, and OperationCanceledException when the caller cancelled.
    /// </summary>
    public async Task<EsResponse> SendAsync(
        HttpMethod method, string relativePath, byte[]? body, string? contentType, RequestPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var node = _nodes[(int)((uint)Interlocked.Increment(ref _nextNode) % (uint)_nodes.Count)];
            using var request = new HttpRequestMessage(method, NodeUri(node, relativePath));
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? JsonContentType) { CharSet = "utf-8" };
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(policy.Timeout);
            EsResponse response;
            TimeSpan? retryAfter = null;
            Exception? connectionError = null;
            try
            {
                using var http = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var bytes = await http.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                response = new EsResponse((int)http.StatusCode, bytes);
                retryAfter = http.Headers.RetryAfter?.Delta;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && !timeout.IsCancellationRequested)
            {
                // Neither the caller nor our timeout: SocketsHttpHandler's ConnectTimeout, a connection error.
                connectionError = ex;
                response = new EsResponse(0, []);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogTimedOut(_logger, method.Method, PathOnly(relativePath), node, policy.Timeout.TotalMilliseconds);
                throw new TextSearchException(
                    ErrorKind.DeadlineExceeded,
                    $"Elasticsearch at {node} did not answer within {policy.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
            }
            catch (HttpRequestException ex) when (IsConnectionError(ex))
            {
                connectionError = ex;
                response = new EsResponse(0, []);
            }
            catch (HttpRequestException ex)
            {
                // TLS failures (untrusted certificate, fingerprint mismatch) and the like: retrying cannot help.
                throw new TextSearchException(ErrorKind.Unavailable, $"cannot talk to Elasticsearch at {node} ({Describe(ex)}).", ex);
            }

            if (connectionError is not null)
            {
                if (attempt < policy.MaxRetries)
                {
                    var delay = Backoff(attempt, null, Random.Shared.NextDouble());
                    LogRetry(_logger, method.Method, PathOnly(relativePath), node, Describe(connectionError), attempt + 1, policy.MaxRetries, delay.TotalMilliseconds);
                    await _delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw new TextSearchException(ErrorKind.Unavailable, $"cannot reach Elasticsearch at {node} ({Describe(connectionError)}).", connectionError);
            }

            if (EsErrors.IsRetryable(response.Status) && attempt < policy.MaxRetries)
            {
                var delay = Backoff(attempt, retryAfter, Random.Shared.NextDouble());
                LogRetry(_logger, method.Method, PathOnly(relativePath), node, $"HTTP {response.Status}", attempt + 1, policy.MaxRetries, delay.TotalMilliseconds);
                await _delay(delay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            return response;
        }
    }

    /// <summary>Exponential backoff with jitter (100 ms, 200 ms, 400 ms… up to 2 s, each 50-100 %), or Retry-After (up to 10 s).</summary>
    internal static TimeSpan Backoff(int attempt, TimeSpan? retryAfter, double jitter)
    {
        if (retryAfter is { } after && after > TimeSpan.Zero)
        {
            return after < MaxRetryAfter ? after : MaxRetryAfter;
        }

        var exponential = BaseBackoff * Math.Pow(2, Math.Min(attempt, 10));
        var capped = exponential < MaxBackoff ? exponential : MaxBackoff;
        return capped * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1)));
    }

    /// <summary>Serializes a JSON tree as UTF-8, non-ASCII text unescaped (the body is JSON over HTTP, never HTML).</summary>
    public static byte[] Serialize(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>Escapes one path segment (index name or document id); '.' and '..' can never act as path steps.</summary>
    public static string Escape(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var escaped = Uri.EscapeDataString(segment);
        return escaped is "." or ".." ? escaped.Replace(".", "%2E", StringComparison.Ordinal) : escaped;
    }

    private static Uri NodeUri(Uri node, string relativePath) =>
        new(node.AbsoluteUri + relativePath, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    private static string PathOnly(string relativePath)
    {
        var q = relativePath.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? relativePath : relativePath[..q];
    }

    private static bool IsConnectionError(HttpRequestException ex) => ex.HttpRequestError is
        HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ResponseEnded
        or HttpRequestError.ProxyTunnelError or HttpRequestError.Unknown;

    private static string Describe(Exception ex) =>
        ex.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) ? inner.Message : ex.Message;

    private static bool HasError(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out _);
        }
        catch (JsonException)
        {
            return true;
        }
    }

    private static T Deserialize<T>(EsResponse response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string operation)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, type)
                ?? throw new JsonException("empty response");
        }
        catch (JsonException ex)
        {
            throw new TextSearchException(ErrorKind.Unavailable, $"Elasticsearch could not {operation}: its response was not understood ({ex.Message}).", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch {Method} {Path} at {Node} failed ({Reason}); retry {Attempt} of {MaxRetries} in {DelayMs:F0} ms")]
    private static partial void LogRetry(ILogger logger, string method, string path, Uri node, string reason, int attempt, int maxRetries, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch {Method} {Path} at {Node} timed out after {TimeoutMs:F0} ms")]
    private static partial void LogTimedOut(ILogger logger, string method, string path, Uri node, double timeoutMs);
}
