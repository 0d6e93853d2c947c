using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using TextSearch.Analysis;
using TextSearch.Search.Elasticsearch.Client;
using TextSearch.Search.Elasticsearch.Tests.Support;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>
/// The retry policy (Polly, on a <see cref="TimeProvider"/>: fake time here, so nothing really waits): backoff on
/// 429/502/503/504 and connection errors, Retry-After, fail-over between nodes, timeouts, the caller's cancellation,
/// and a cluster that is not there, all through the official client.
/// </summary>
public sealed class TransportTests
{
    private const string Count = """{"count":7,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""";

    private readonly FakeTimeProvider _time = new();
    private readonly LogRecorder _log = new();

    /// <summary>A backend on the fake clock; its request timeout is one no call reaches unless the test sets it.</summary>
    private ElasticsearchBackend Backend(HttpMessageHandler handler, int maxRetries = 2, TimeSpan? requestTimeout = null) =>
        Fakes.Backend(handler, Fakes.Options(maxRetries, requestTimeout), time: _time, logger: _log);

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Retryable_statuses_are_retried_with_growing_backoff_waited_on_the_time_provider(int status)
    {
        var counts = 0;
        var handler = Fakes.Cluster(request => request.Method == "POST" && ++counts <= 3
            ? FakeHandler.Json(status, """{"error":{"type":"x","reason":"busy"},"status":""" + status + "}")
            : FakeHandler.Json(200, Count));
        await using var backend = Backend(handler, maxRetries: 3);

        long count = 0;
        var waited = await Fakes.Pump(_time, async () => count = await backend.CountAsync(default));

        Assert.Equal(7, count);
        Assert.Equal(4, handler.Requests.Count(r => r.Method == "POST"));
        var delays = _log.RetryDelays;
        Assert.Equal(3, delays.Count);
        Assert.InRange(delays[0], TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(50));
        Assert.InRange(delays[1], TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));
        Assert.InRange(delays[2], TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));
        Assert.True(waited >= delays[0] + delays[1] + delays[2], $"the delays were waited on the time provider ({waited})");
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        var first = true;
        var handler = Fakes.Cluster(_ =>
        {
            if (!first)
            {
                return FakeHandler.Json(200, Count);
            }

            first = false;
            return FakeHandler.Json(429, ResponseContractTests.Rejected, ("Retry-After", "3"));
        });
        await using var backend = Backend(handler);
        var waited = await Fakes.Pump(_time, () => backend.CountAsync(default));
        Assert.Equal([TimeSpan.FromSeconds(3)], _log.RetryDelays);
        Assert.True(waited >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Exhausted_retries_give_the_error_of_the_last_answer()
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(429, ResponseContractTests.Rejected));
        await using var backend = Backend(handler);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => Fakes.Pump(_time, () => backend.CountAsync(default)));
        Assert.Equal(ErrorKind.ResourceExhausted, ex.Kind);
        Assert.Contains("es_rejected_execution_exception", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, handler.Requests.Count(r => r.Method == "POST"));
        Assert.Equal(2, _log.RetryDelays.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(500)]
    public async Task Other_statuses_are_not_retried(int status)
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(status, """{"error":{"type":"x","reason":"no"},"status":""" + status + "}"));
        await using var backend = Backend(handler);
        await Assert.ThrowsAsync<TextSearchException>(() => backend.CountAsync(default));
        Assert.Single(handler.Requests, r => r.Method == "POST");
        Assert.Empty(_log.RetryDelays);
    }

    [Fact]
    public async Task Connection_errors_are_retried_then_succeed()
    {
        var failures = 0;
        var handler = new FakeHandler((_, _) => failures++ < 2 ? throw FakeHandler.ConnectionRefused() : FakeHandler.Json(200, string.Empty));
        await using var backend = Backend(handler, maxRetries: 3);
        await Fakes.Pump(_time, () => backend.EnsureIndexAsync(default));
        Assert.Equal(4, handler.Requests.Count); // HEAD refused twice, HEAD, GET _mapping
        Assert.Equal(2, _log.RetryDelays.Count);
    }

    [Fact]
    public async Task Connection_errors_past_the_retries_are_unavailable()
    {
        var handler = new FakeHandler((_, _) => throw FakeHandler.ConnectionRefused());
        await using var backend = Backend(handler);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => Fakes.Pump(_time, () => backend.GetAsync("x", default)));
        Assert.Equal(ErrorKind.Unavailable, ex.Kind);
        Assert.Contains("cannot reach Elasticsearch at http://localhost:9200/", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(BackendHealth.NotServing, await backend.CheckHealthAsync(default));
        Assert.Equal(4, handler.Requests.Count); // the probe: one attempt, no retry
    }

    [Fact]
    public async Task A_cluster_that_comes_back_is_picked_up()
    {
        var up = false;
        var handler = new FakeHandler((request, _) => !up
            ? throw FakeHandler.ConnectionRefused()
            : FakeHandler.Json(200, request.PathAndQuery.EndsWith("/_mapping", StringComparison.Ordinal) ? Fakes.CurrentMapping
                : request.Method == "GET" ? """{"cluster_name":"c","status":"green","timed_out":false}""" : string.Empty));
        await using var backend = Backend(handler);
        Assert.Equal(BackendHealth.NotServing, await backend.CheckHealthAsync(default));
        up = true;
        Assert.Equal(BackendHealth.Serving, await backend.CheckHealthAsync(default));
    }

    // Fail-over is the client's own (a static node pool: a node that does not answer is marked dead and the same call
    // moves on to the next one); the retry policy comes on top of it, when no node answered.
    [Fact]
    public async Task Requests_fail_over_to_the_next_node()
    {
        var handler = new FakeHandler((request, _) => request.PathAndQuery.StartsWith("/a/", StringComparison.Ordinal)
            ? throw FakeHandler.ConnectionRefused()
            : FakeHandler.Json(200, request.Method == "HEAD" ? string.Empty : request.Method == "GET" ? Fakes.CurrentMapping : Count));
        var options = Fakes.Options();
        options.Url = "http://localhost:9200/a/, http://localhost:9201/b";
        await using var backend = Fakes.Backend(handler, options, time: _time, logger: _log);
        long count = 0;
        await Fakes.Pump(_time, async () => count = await backend.CountAsync(default));
        Assert.Equal(7, count);
        Assert.Equal("/a/textsearch", handler.Requests[0].PathAndQuery);
        Assert.All(handler.Requests.Skip(1), r => Assert.StartsWith("/b/textsearch", r.PathAndQuery, StringComparison.Ordinal));
        Assert.Equal(4, handler.Requests.Count); // HEAD on a (refused), HEAD and GET _mapping on b, POST _count on b: the dead node is left alone
        Assert.Empty(_log.RetryDelays);
    }

    [Fact]
    public async Task A_cluster_that_never_answers_times_out_instead_of_hanging()
    {
        var handler = new HangingHandler();
        await using var backend = Backend(handler, requestTimeout: TimeSpan.FromSeconds(30));
        var ex = await Assert.ThrowsAsync<TextSearchException>(() =>
            Fakes.Pump(_time, () => backend.CountAsync(default), TimeSpan.FromSeconds(1), from: () => handler.Calls >= 1));
        Assert.Equal(ErrorKind.DeadlineExceeded, ex.Kind);
        Assert.Contains("did not answer within 30 s", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Calls); // a timeout is not retried

        // The probe's own short timeout (3 s), not the 30 s of ordinary requests: the log names it, and at least that
        // much fake time passed. The clock is moved on in real time, so it may overshoot by some steps while the
        // timed-out probe unwinds on a busy machine; the upper bound only has to tell 3 s from 30 s.
        var health = BackendHealth.Serving;
        var waited = await Fakes.Pump(
            _time, async () => health = await backend.CheckHealthAsync(default), TimeSpan.FromMilliseconds(100), from: () => handler.Calls >= 2);
        Assert.Equal(BackendHealth.NotServing, health);
        Assert.Equal([30_000d, 3_000d], _log.Entries.Where(e => e.Values.ContainsKey("TimeoutMs")).Select(e => (double)e.Values["TimeoutMs"]!));
        Assert.InRange(waited, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_bulk_that_is_never_answered_times_out_as_deadline_exceeded()
    {
        // The client reports a bulk request cancelled by our timeout as an UnexpectedTransportException, not as an
        // answer it could not read: it must still be DEADLINE_EXCEEDED, not UNAVAILABLE "not understood".
        using var handler = new HangingHandler("/_bulk", Fakes.Cluster(_ => null));
        await using var backend = Backend(handler, requestTimeout: TimeSpan.FromSeconds(10));
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => Fakes.Pump(
            _time, () => backend.UpsertAsync([new Document { Id = "a", Title = "عنوان", Body = "نص" }], default), TimeSpan.FromSeconds(1), from: () => handler.Calls >= 1));
        Assert.Equal(ErrorKind.DeadlineExceeded, ex.Kind);
        Assert.Contains("did not answer within 10 s", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Calls); // a timeout is not retried
    }

    [Fact]
    public async Task A_bulk_answer_that_stalls_times_out_as_deadline_exceeded()
    {
        // The headers come, the body never finishes: the timeout fires while the client reads the answer.
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = Fakes.Cluster(request => request.PathAndQuery.Contains("/_bulk", StringComparison.Ordinal) ? StallingAnswer(stalled) : null);
        await using var backend = Backend(cluster, requestTimeout: TimeSpan.FromSeconds(10));
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => Fakes.Pump(
            _time, () => backend.UpsertAsync([new Document { Id = "a", Title = "عنوان", Body = "نص" }], default), TimeSpan.FromSeconds(1), from: () => stalled.Task.IsCompleted));
        Assert.Equal(ErrorKind.DeadlineExceeded, ex.Kind);
        Assert.Contains("did not answer within 10 s", ex.Message, StringComparison.Ordinal);
    }

    private static HttpResponseMessage StallingAnswer(TaskCompletionSource stalled)
    {
        var response = FakeHandler.Json(200, "{}");
        var headers = response.Content.Headers;
        response.Content = new StreamContent(new StallingStream(stalled));
        foreach (var header in headers)
        {
            response.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return response;
    }

    /// <summary>A response body that yields its first bytes, then waits until the reader gives up (saying so in <paramref name="stalled"/>).</summary>
    private sealed class StallingStream(TaskCompletionSource stalled) : Stream
    {
        private bool _started;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_started)
            {
                _started = true;
                buffer.Span[0] = (byte)'{';
                return 1;
            }

            stalled.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task The_callers_cancellation_of_a_bulk_stays_a_cancellation()
    {
        using var handler = new HangingHandler("/_bulk", Fakes.Cluster(_ => null));
        await using var backend = Fakes.Backend(handler, logger: _log);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => backend.UpsertAsync([new Document { Id = "a", Body = "نص" }], cts.Token));
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        await using var backend = Fakes.Backend(new HangingHandler(), logger: _log);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        // The handler never answers: only the caller's cancellation can end the call.
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => backend.CountAsync(cts.Token));
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Empty(_log.RetryDelays);
    }

    [Fact]
    public async Task An_unreachable_cluster_is_unavailable_after_short_retries_and_not_serving()
    {
        // A real closed port (connection refused at once), on the real clock. "Within a second" follows from the retry
        // delays, which are checked here rather than a stopwatch (this machine is shared and noisy).
        var port = ClosedPort();
        var options = new ElasticsearchOptions { Url = $"http://127.0.0.1:{port}", ConnectTimeout = TimeSpan.FromSeconds(2) };
        await using var backend = new ElasticsearchBackend(
            options, new RankingOptions(), TextAnalyzer.Default, TestSupport.Synonyms, _log, handler: null, time: null);

        var search = await Assert.ThrowsAsync<TextSearchException>(() => backend.SearchAsync(TestSupport.Parser.Parse("هجين"), 10, null, default));
        Assert.Equal(ErrorKind.Unavailable, search.Kind);
        var delays = _log.RetryDelays;
        Assert.Equal(options.MaxRetries, delays.Count);
        Assert.True(delays.Aggregate(TimeSpan.Zero, (sum, d) => sum + d) <= TimeSpan.FromMilliseconds(350), string.Join(", ", delays));

        var upsert = await Assert.ThrowsAsync<TextSearchException>(() => backend.UpsertAsync([new Document { Id = "a" }], default));
        Assert.Equal(ErrorKind.Unavailable, upsert.Kind);

        // The health probe does not retry: one refused connection is NOT_SERVING.
        var before = _log.RetryDelays.Count;
        Assert.Equal(BackendHealth.NotServing, await backend.CheckHealthAsync(default));
        Assert.Equal(before, _log.RetryDelays.Count);
    }

    [Fact]
    public async Task A_connect_timeout_is_a_connection_error_retried_then_unavailable()
    {
        // What SocketsHttpHandler throws when ConnectTimeout passes: a cancellation neither the caller nor our request
        // timeout asked for.
        var handler = new FakeHandler((_, _) => throw new TaskCanceledException(
            "The connection attempt timed out.", new TimeoutException("A connection could not be established within 300 milliseconds.")));
        await using var backend = Backend(handler);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => Fakes.Pump(_time, () => backend.CountAsync(default)));
        Assert.Equal(ErrorKind.Unavailable, ex.Kind);
        Assert.Contains("cannot reach Elasticsearch at http://localhost:9200/ (A connection could not be established", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(2, _log.RetryDelays.Count);
    }

    [Fact]
    public void Backoff_doubles_from_50_ms_up_to_2_s_with_jitter()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(50), EsCluster.Backoff(0, null, 1));
        Assert.Equal(TimeSpan.FromMilliseconds(25), EsCluster.Backoff(0, null, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(200), EsCluster.Backoff(2, null, 1));
        Assert.Equal(TimeSpan.FromSeconds(2), EsCluster.Backoff(9, null, 1));
        Assert.Equal(TimeSpan.FromSeconds(10), EsCluster.Backoff(0, TimeSpan.FromMinutes(5), 1));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Never answers the requests whose path contains <paramref name="path"/> (by default every request); the others
    /// go to <paramref name="others"/>.
    /// </summary>
    private sealed class HangingHandler(string path = "/", HttpMessageHandler? others = null) : DelegatingHandler(others ?? FakeHandler.Always(500))
    {
        private int _calls;

        /// <summary>The requests left hanging.</summary>
        public int Calls => _calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.RequestUri!.AbsolutePath.Contains(path, StringComparison.Ordinal))
            {
                return await base.SendAsync(request, cancellationToken);
            }

            Interlocked.Increment(ref _calls);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
