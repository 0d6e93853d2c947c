using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search.Elasticsearch.Client;
using TextSearch.Search.Elasticsearch.Tests.Support;
using TextSearch.Search.Tests;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>Retries with backoff, fail-over between nodes, timeouts, cancellation, and a cluster that is not there.</summary>
public sealed class TransportTests
{
    private const string Count = """{"count":7,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""";

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Retryable_statuses_are_retried_with_growing_backoff(int status)
    {
        var gets = 0;
        var handler = Fakes.Cluster(request => request.Method == "GET" && ++gets <= 3
            ? FakeHandler.Json(status, """{"error":{"type":"x","reason":"busy"},"status":""" + status + "}")
            : FakeHandler.Json(200, Count));
        var delays = new List<TimeSpan>();
        await using var backend = Fakes.Backend(handler, Fakes.Options(maxRetries: 3), delays: delays);

        Assert.Equal(7, await backend.CountAsync(default));
        Assert.Equal(4, handler.Requests.Count(r => r.Method == "GET"));
        Assert.Equal(3, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2)));
        Assert.True(delays[2] > delays[0], "backoff grows");
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
        var delays = new List<TimeSpan>();
        await using var backend = Fakes.Backend(handler, delays: delays);
        Assert.Equal(7, await backend.CountAsync(default));
        Assert.Equal([TimeSpan.FromSeconds(3)], delays);
    }

    [Fact]
    public async Task Exhausted_retries_give_the_error_of_the_last_answer()
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(429, ResponseContractTests.Rejected));
        var delays = new List<TimeSpan>();
        await using var backend = Fakes.Backend(handler, Fakes.Options(maxRetries: 2), delays: delays);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.CountAsync(default));
        Assert.Equal(ErrorKind.ResourceExhausted, ex.Kind);
        Assert.Equal(3, handler.Requests.Count(r => r.Method == "GET"));
        Assert.Equal(2, delays.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(500)]
    public async Task Other_statuses_are_not_retried(int status)
    {
        var handler = Fakes.Cluster(_ => FakeHandler.Json(status, """{"error":{"type":"x","reason":"no"},"status":""" + status + "}"));
        var delays = new List<TimeSpan>();
        await using var backend = Fakes.Backend(handler, delays: delays);
        await Assert.ThrowsAsync<TextSearchException>(() => backend.CountAsync(default));
        Assert.Single(handler.Requests, r => r.Method == "GET");
        Assert.Empty(delays);
    }

    [Fact]
    public async Task Connection_errors_are_retried_then_succeed()
    {
        var failures = 0;
        var handler = new FakeHandler((_, _) => failures++ < 2 ? throw FakeHandler.ConnectionRefused() : FakeHandler.Json(200, string.Empty));
        var delays = new List<TimeSpan>();
        await using var backend = Fakes.Backend(handler, Fakes.Options(maxRetries: 3), delays: delays);
        await backend.EnsureIndexAsync(default);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(2, delays.Count);
    }

    [Fact]
    public async Task Connection_errors_past_the_retries_are_unavailable()
    {
        var handler = new FakeHandler((_, _) => throw FakeHandler.ConnectionRefused());
        var delays = new List<TimeSpan>();
        await using var backend = Fakes.Backend(handler, Fakes.Options(maxRetries: 2), delays: delays);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.GetAsync("x", default));
        Assert.Equal(ErrorKind.Unavailable, ex.Kind);
        Assert.Contains("cannot reach Elasticsearch at http://localhost:9200/", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(BackendHealth.NotServing, await backend.CheckHealthAsync(default));
    }

    [Fact]
    public async Task Requests_fail_over_to_the_next_node()
    {
        var handler = new FakeHandler((request, _) => request.PathAndQuery.StartsWith("/a/", StringComparison.Ordinal)
            ? throw FakeHandler.ConnectionRefused()
            : FakeHandler.Json(200, Count));
        using var client = new ElasticsearchClient(
            new ElasticsearchOptions { Url = "http://localhost:9200/a/, http://localhost:9201/b" }, NullLogger.Instance, handler, (_, _) => Task.CompletedTask);
        Assert.Equal(7, await client.CountAsync("textsearch", client.Policy, default));
        Assert.Equal(7, await client.CountAsync("textsearch", client.Policy, default));
        Assert.Equal(["/a/textsearch/_count", "/b/textsearch/_count", "/a/textsearch/_count", "/b/textsearch/_count"], handler.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task A_cluster_that_never_answers_times_out_instead_of_hanging()
    {
        var handler = new HangingHandler();
        var options = Fakes.Options();
        options.RequestTimeout = TimeSpan.FromMilliseconds(200);
        await using var backend = Fakes.Backend(handler, options);
        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.SearchAsync(TestSupport.Parser.Parse("هجين"), 10, null, default));
        Assert.Equal(ErrorKind.DeadlineExceeded, ex.Kind);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(BackendHealth.NotServing, await backend.CheckHealthAsync(default));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_timeout()
    {
        await using var backend = Fakes.Backend(new HangingHandler());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => backend.CountAsync(cts.Token));
    }

    [Fact]
    public async Task An_unreachable_cluster_is_unavailable_quickly_and_not_serving()
    {
        var port = ClosedPort();
        await using var backend = new ElasticsearchBackend(
            new ElasticsearchOptions { Url = $"http://127.0.0.1:{port}", MaxRetries = 2, ConnectTimeout = TimeSpan.FromSeconds(2) },
            new RankingOptions(), TextAnalyzer.Default, TestSupport.Synonyms, NullLogger<ElasticsearchBackend>.Instance);
        var watch = Stopwatch.StartNew();

        var search = await Assert.ThrowsAsync<TextSearchException>(() => backend.SearchAsync(TestSupport.Parser.Parse("هجين"), 10, null, default));
        Assert.Equal(ErrorKind.Unavailable, search.Kind);
        var upsert = await Assert.ThrowsAsync<TextSearchException>(() => backend.UpsertAsync([new Document { Id = "a" }], default));
        Assert.Equal(ErrorKind.Unavailable, upsert.Kind);
        Assert.Equal(BackendHealth.NotServing, await backend.CheckHealthAsync(default));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_connect_timeout_is_a_connection_error_retried_then_unavailable()
    {
        // What SocketsHttpHandler throws when ConnectTimeout passes: a cancellation neither the caller nor our request
        // timeout asked for.
        var handler = new FakeHandler((_, _) => throw new TaskCanceledException(
            "The connection attempt timed out.", new TimeoutException("A connection could not be established within 300 milliseconds.")));
        var delays = new List<TimeSpan>();
        await using var backend = Fakes.Backend(handler, Fakes.Options(maxRetries: 2), delays: delays);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => backend.CountAsync(default));
        Assert.Equal(ErrorKind.Unavailable, ex.Kind);
        Assert.Contains("cannot reach Elasticsearch at http://localhost:9200/ (A connection could not be established", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(2, delays.Count);
    }

    [Fact]
    public void Backoff_doubles_from_100_ms_up_to_2_s_with_jitter()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(100), ElasticsearchClient.Backoff(0, null, 1));
        Assert.Equal(TimeSpan.FromMilliseconds(50), ElasticsearchClient.Backoff(0, null, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(400), ElasticsearchClient.Backoff(2, null, 1));
        Assert.Equal(TimeSpan.FromSeconds(2), ElasticsearchClient.Backoff(9, null, 1));
        Assert.Equal(TimeSpan.FromSeconds(10), ElasticsearchClient.Backoff(0, TimeSpan.FromMinutes(5), 1));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
