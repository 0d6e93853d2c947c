using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Serialization;
using Elastic.Transport;
using Elastic.Transport.Products.Elasticsearch;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace TextSearch.Search.Elasticsearch.Client;

/// <summary>
/// The official client (<see cref="ElasticsearchClient"/>), configured from our options, and the one retry policy of
/// the engine around it:
/// <list type="bullet">
/// <item>the client's own configuration carries the nodes (a single-node or static pool, no sniffing, no pings), the API
/// key or basic authentication, the CA fingerprint (the client's check) or the CA file (ours,
/// <see cref="CertificateValidation"/>, stricter than the client's <c>AuthorityIsRoot</c>), request compression, and
/// a source serializer that writes Arabic as it is;</item>
/// <item>the client retries nothing (MaximumRetries 0): on one node it never retries 429 or 503, and it reports the
/// caller's cancellation as an invalid response. A Polly pipeline does instead: per attempt a timeout
/// (<see cref="ElasticsearchOptions.RequestTimeout"/>, then DEADLINE_EXCEEDED), and around it retries with backoff and
/// jitter on connection errors and 429/502/503/504 (<c>Retry-After</c> honoured), and on bulk items refused for the
/// same reasons. Both wait on the <see cref="TimeProvider"/> given, so tests need not wait;</item>
/// <item>health probes go through a pipeline with a short timeout and no retries.</item>
/// </list>
/// The client's own timeout is a backstop above ours, so ours always fires first.
/// </summary>
internal sealed partial class EsCluster : IDisposable
{
    private static readonly TimeSpan BaseBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Backstop = TimeSpan.FromMinutes(1);

    private readonly ElasticsearchClientSettings _settings;
    private readonly ILogger _logger;

    /// <param name="options">Nodes, credentials, TLS, timeouts and retries.</param>
    /// <param name="logger">Retries and timeouts are logged (never credentials).</param>
    /// <param name="time">What backoff and timeouts wait on.</param>
    /// <param name="handler">
    /// Given the client's own HTTP handler (a SocketsHttpHandler), the handler to use instead (tests put a fake cluster
    /// here, under the client's HttpRequestInvoker, so the real client and transport run); null keeps the client's.
    /// </param>
    public EsCluster(ElasticsearchOptions options, ILogger logger, TimeProvider time, Func<HttpMessageHandler, HttpMessageHandler>? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        var nodes = options.Nodes;
        NodePool pool = nodes.Count == 1 ? new SingleNodePool(nodes[0]) : new StaticNodePool(nodes, randomize: false);
        var invoker = new HttpRequestInvoker((inner, _) =>
        {
            if (inner is SocketsHttpHandler sockets)
            {
                sockets.ConnectTimeout = options.ConnectTimeout;
            }

            return handler?.Invoke(inner) ?? inner;
        });
        _settings = new ElasticsearchClientSettings(pool, invoker, (_, settings) => new DefaultSourceSerializer(settings, json =>
        {
            json.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        }));
        _settings.MaximumRetries(0)
            .DisablePing()
            .EnableHttpCompression()
            .RequestTimeout(options.RequestTimeout + Backstop)
            .ResponseHeadersToParse(new HeadersList("Retry-After"));
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            _settings.Authentication(new ApiKey(options.ApiKey));
        }
        else if (!string.IsNullOrEmpty(options.Username))
        {
            _settings.Authentication(new BasicAuthentication(options.Username, options.Password ?? string.Empty));
        }

        if (!string.IsNullOrEmpty(options.CertificateFingerprint))
        {
            _settings.CertificateFingerprint(ElasticsearchOptions.NormalizeFingerprint(options.CertificateFingerprint)!);
        }
        else if (CertificateValidation.FromFile(options.CaCertificatePath) is { } ca)
        {
            _settings.ServerCertificateValidationCallback((_, certificate, chain, errors) => ca.Validate(certificate as X509Certificate2, chain, errors));
        }

        Client = new ElasticsearchClient(_settings);
        var retries = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            retries.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is RetryableException || args.Outcome.Result is IRetryableOutcome { ShouldRetry: true }),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    Backoff(args.AttemptNumber, (args.Outcome.Exception as RetryableException)?.RetryAfter, Random.Shared.NextDouble())),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception?.Message ?? (args.Outcome.Result as IRetryableOutcome)?.Reason ?? "refused";
                    LogRetry(_logger, args.Context.OperationKey, reason, args.AttemptNumber + 1, options.MaxRetries, args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        RequestTimeout = options.RequestTimeout;
        Ordinary = retries.AddTimeout(options.RequestTimeout).Build();
        ProbeTimeout = options.RequestTimeout < TimeSpan.FromSeconds(3) ? options.RequestTimeout : TimeSpan.FromSeconds(3);
        Probe = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(ProbeTimeout).Build();
    }

    public ElasticsearchClient Client { get; }

    /// <summary>The client's configuration (for tests: TLS settings).</summary>
    internal ITransportConfiguration Configuration => _settings;

    /// <summary>Ordinary calls: retries with backoff around a per-attempt timeout.</summary>
    public ResiliencePipeline Ordinary { get; }

    /// <summary>Health probes: a short timeout, no retries, so a probe never hangs.</summary>
    public ResiliencePipeline Probe { get; }

    public TimeSpan RequestTimeout { get; }

    public TimeSpan ProbeTimeout { get; }

    /// <summary>
    /// Runs <paramref name="attempt"/> through <paramref name="pipeline"/>. Throws <see cref="TextSearchException"/>
    /// (DeadlineExceeded when an attempt timed out, the last error's kind when the retries ran out, Unavailable when the
    /// answer was not understood), and OperationCanceledException when the caller cancelled.
    /// </summary>
    public async Task<T> RunAsync<T>(string operation, ResiliencePipeline pipeline, Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await pipeline.ExecuteAsync(static (ctx, attempt) => Attempt(attempt, ctx.CancellationToken), context, attempt).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            var timeout = ReferenceEquals(pipeline, Probe) ? ProbeTimeout : RequestTimeout;
            LogTimedOut(_logger, operation, timeout.TotalMilliseconds);
            throw new TextSearchException(
                ErrorKind.DeadlineExceeded,
                $"Elasticsearch did not answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({operation}).",
                ex);
        }
        catch (RetryableException ex)
        {
            throw ex.Error;
        }
        catch (UnsupportedProductException ex)
        {
            throw new TextSearchException(ErrorKind.FailedPrecondition, $"the server at {Describe(_settings)} is not Elasticsearch ({ex.Message}).", ex);
        }
        catch (TransportException ex)
        {
            var status = ex.ApiCallDetails?.HttpStatusCode is { } code ? $"HTTP {code}, " : string.Empty;
            throw new TextSearchException(ErrorKind.Unavailable, $"Elasticsearch could not {operation}: its response was not understood ({status}{ex.Message}).", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// One attempt. A cancellation the client met while sending the request or reading the answer (our timeout or the
    /// caller's) comes out of it as an <see cref="UnexpectedTransportException"/>; it leaves as the cancellation it is,
    /// so the timeout becomes DEADLINE_EXCEEDED and the caller's stays a cancellation, not "not understood".
    /// </summary>
    private static async ValueTask<T> Attempt<T>(Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await attempt(cancellationToken).ConfigureAwait(false);
        }
        catch (TransportException ex) when (cancellationToken.IsCancellationRequested && IsCancellation(ex))
        {
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }

        static bool IsCancellation(Exception? ex)
        {
            for (; ex is not null; ex = ex.InnerException)
            {
                if (ex is OperationCanceledException)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Sends one request with <paramref name="call"/> and <see cref="Check"/>s the answer, through <paramref name="pipeline"/>.</summary>
    public Task<T> CallAsync<T>(string operation, ResiliencePipeline pipeline, Func<ElasticsearchClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : ElasticsearchResponse =>
        RunAsync(operation, pipeline, async token => Check(operation, await call(Client, token).ConfigureAwait(false), token), cancellationToken);

    /// <summary>
    /// What one attempt's answer means: the caller's cancellation or our timeout (the client reports both as an invalid
    /// response) become an OperationCanceledException; no answer at all (connection refused, DNS, connect timeout) and
    /// 429/502/503/504 a <see cref="RetryableException"/>; a TLS failure is Unavailable at once. Any other answer is
    /// returned for the caller to read.
    /// </summary>
    public static T Check<T>(string operation, T response, CancellationToken cancellationToken)
        where T : ElasticsearchResponse
    {
        ArgumentNullException.ThrowIfNull(response);
        cancellationToken.ThrowIfCancellationRequested();
        var details = response.ApiCallDetails;
        if (details.HttpStatusCode is not { } status)
        {
            var node = details.Uri is { } uri ? new Uri(uri.GetLeftPart(UriPartial.Authority) + "/") : null;
            var cause = details.OriginalException;
            if (cause is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } or System.Security.Authentication.AuthenticationException)
            {
                // An untrusted certificate or a fingerprint mismatch: retrying cannot help.
                throw new TextSearchException(ErrorKind.Unavailable, $"cannot talk to Elasticsearch at {node} ({Describe(cause)}).", cause);
            }

            throw new RetryableException(
                new TextSearchException(ErrorKind.Unavailable, $"cannot reach Elasticsearch at {node} ({Describe(cause)}).", cause), null);
        }

        if (EsErrors.IsRetryable(status))
        {
            var retryAfter = details.TryGetHeader("Retry-After", out var values)
                && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                    ? TimeSpan.FromSeconds(seconds)
                    : (TimeSpan?)null;
            throw new RetryableException(EsErrors.ToException(operation, EsErrors.Of(response)), retryAfter);
        }

        return response;
    }

    /// <summary>
    /// Exponential backoff with jitter (50 ms, 100 ms, 200 ms… up to 2 s, each 50-100 %: three retries take at most
    /// 350 ms, so an unreachable cluster answers UNAVAILABLE within a second), or Retry-After (up to 10 s).
    /// </summary>
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

    public void Dispose() => ((IDisposable)_settings).Dispose();

    private static string Describe(Exception? ex) =>
        ex is null ? "no answer" : ex.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) ? inner.Message : ex.Message;

    private static string Describe(ElasticsearchClientSettings settings) =>
        string.Join(", ", ((ITransportConfiguration)settings).NodePool.Nodes.Select(n => n.Uri));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch could not {Operation} ({Reason}); retry {Attempt} of {MaxRetries} in {DelayMs:F0} ms")]
    private static partial void LogRetry(ILogger logger, string? operation, string reason, int attempt, int maxRetries, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch did not answer within {TimeoutMs:F0} ms ({Operation})")]
    private static partial void LogTimedOut(ILogger logger, string operation, double timeoutMs);
}

/// <summary>A failure a retry may cure; when the retries run out, <see cref="Error"/> is what the caller gets.</summary>
internal sealed class RetryableException(TextSearchException error, TimeSpan? retryAfter) : Exception(error.Message, error)
{
    public TextSearchException Error { get; } = error;

    /// <summary>How long the cluster asked us to wait (its Retry-After header).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>An attempt that succeeded in part (a bulk request some of whose items were refused for now).</summary>
internal interface IRetryableOutcome
{
    bool ShouldRetry { get; }

    string Reason { get; }
}
