using Grpc.Core;
using TextSearch.V1;

namespace TextSearch.Client.Tests;

/// <summary>Every call carries a deadline on the wire: the call's own, or the client's default.</summary>
public sealed class DeadlineTests
{
    private static TextSearchClient Client(FakeServer server, Action<TextSearchClientOptions>? configure = null)
    {
        var options = new TextSearchClientOptions { Address = server.Address, ApiKey = "k-123" };
        configure?.Invoke(options);
        return TextSearchClient.Create(options);
    }

    /// <summary>
    /// The deadline the server saw is <paramref name="timeout"/> after a moment of the call: between
    /// <paramref name="before"/> it and now, give or take the wire's rounding. The bounds follow the call, however long
    /// it took.
    /// </summary>
    private static void AssertDeadline(DateTime seen, DateTime before, TimeSpan timeout) =>
        Assert.InRange(seen, before + timeout - Rounding, DateTime.UtcNow + timeout + Rounding);

    /// <summary>How far the deadline may move on the wire (grpc-timeout carries a whole number of a unit).</summary>
    private static readonly TimeSpan Rounding = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task The_default_timeout_is_sent_as_the_deadline()
    {
        var search = new ScriptedSearchService();
        await using var server = await FakeServer.StartAsync(search);
        using var client = Client(server, o => o.Timeout = TimeSpan.FromSeconds(40));

        var before = DateTime.UtcNow;
        await client.SearchAsync("قسد");

        AssertDeadline(Assert.Single(search.Calls).Deadline, before, TimeSpan.FromSeconds(40));
    }

    [Fact]
    public async Task A_per_call_timeout_or_deadline_replaces_the_default()
    {
        var search = new ScriptedSearchService();
        await using var server = await FakeServer.StartAsync(search);
        using var client = Client(server);

        var before = DateTime.UtcNow;
        await client.SearchAsync("قسد", new SearchOptions { Timeout = TimeSpan.FromSeconds(7) });
        AssertDeadline(Assert.Single(search.Calls).Deadline, before, TimeSpan.FromSeconds(7));

        // A deadline goes on the wire as the time left: the server's is the same moment, moved by the time in transit.
        var sent = DateTime.UtcNow;
        var explicitDeadline = sent.AddSeconds(90);
        await client.SearchAsync("قسد", new SearchOptions { Deadline = explicitDeadline });
        Assert.InRange(search.Calls.ToArray()[1].Deadline, explicitDeadline - Rounding, explicitDeadline + (DateTime.UtcNow - sent) + Rounding);
    }

    [Fact]
    public async Task A_zero_timeout_sends_no_deadline()
    {
        var search = new ScriptedSearchService();
        await using var server = await FakeServer.StartAsync(search);
        using var client = Client(server, o => o.Timeout = TimeSpan.Zero);

        await client.SearchAsync("قسد");

        Assert.Equal(DateTime.MaxValue, Assert.Single(search.Calls).Deadline);
    }

    [Fact]
    public async Task An_expired_deadline_is_deadline_exceeded_and_the_server_sees_the_cancellation()
    {
        var search = new ScriptedSearchService();
        await using var server = await FakeServer.StartAsync(search);
        using var client = Client(server);

        // One call first: on a loaded machine a fresh server's first dispatch can take longer than the deadline below,
        // and a call the client gives up on before the server has started it never reaches the service at all. The
        // deadline is a few seconds for the same reason (a busy machine can stall a dispatch for more than a moment);
        // the service's delay, a minute, is what it expires on.
        await client.SearchAsync("قسد");
        search.Delay = TimeSpan.FromMinutes(1);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.SearchAsync("قسد", new SearchOptions { Timeout = TimeSpan.FromSeconds(5) }));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(await search.CancellationSeen.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, search.Calls.Count); // DEADLINE_EXCEEDED is not retried
    }

    [Fact]
    public async Task Cancelling_the_token_cancels_the_call_on_the_server()
    {
        var search = new ScriptedSearchService { Delay = TimeSpan.FromMinutes(1) };
        await using var server = await FakeServer.StartAsync(search);
        using var client = Client(server);
        using var cts = new CancellationTokenSource();

        var call = client.SearchAsync("قسد", cancellationToken: cts.Token);
        await search.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        Assert.Equal(StatusCode.Cancelled, (await Assert.ThrowsAsync<RpcException>(() => call)).StatusCode);
        Assert.True(await search.CancellationSeen.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Headers_carry_the_key_and_extra_metadata_and_index_batches_carry_their_deadline()
    {
        var search = new ScriptedSearchService();
        var documents = new ScriptedDocumentService();
        await using var server = await FakeServer.StartAsync(
            s => s.AddSingletonServices(search, documents),
            app => app.MapServices<ScriptedSearchService, ScriptedDocumentService>());
        using var client = Client(server, o => o.IndexBatchTimeout = TimeSpan.FromSeconds(50));

        await client.SearchAsync("قسد", new SearchOptions { Headers = new Metadata { { "x-custom", "v1" } } });
        var before = DateTime.UtcNow;
        await client.IndexAsync(new[] { new Document { Id = "a" } }.ToAsyncEnumerable());

        var seen = Assert.Single(search.Calls);
        Assert.Equal("Bearer k-123", seen.Authorization);
        Assert.Equal("v1", seen.Custom);
        var bulk = Assert.Single(documents.Calls);
        Assert.Equal("Bearer k-123", bulk.Authorization);
        AssertDeadline(bulk.Deadline, before, TimeSpan.FromSeconds(50));
    }

    [Fact]
    public async Task The_x_api_key_header_can_be_chosen()
    {
        var search = new ScriptedSearchService();
        await using var server = await FakeServer.StartAsync(search);
        using var client = Client(server, o => o.ApiKeyHeader = ApiKeyHeader.XApiKey);

        await client.SearchAsync("قسد");

        var seen = Assert.Single(search.Calls);
        Assert.Equal("k-123", seen.ApiKey);
        Assert.Null(seen.Authorization);
    }
}
