using Grpc.Core;
using TextSearch.V1;

namespace TextSearch.Client.Tests;

/// <summary>UNAVAILABLE is retried with backoff (unary calls by the channel, IndexAsync batch by batch); nothing else is.</summary>
public sealed class RetryTests
{
    private static TextSearchClient Client(FakeServer server, int maxAttempts = 4) => TextSearchClient.Create(new TextSearchClientOptions
    {
        Address = server.Address,
        MaxAttempts = maxAttempts,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
    });

    private static Document Doc(string id) => new() { Id = id, Title = "t", Body = "b" };

    [Fact]
    public async Task Unavailable_is_retried_until_it_succeeds()
    {
        var search = new ScriptedSearchService { FailFirst = 2 };
        await using var server = await FakeServer.StartAsync(search);
        using var client = Client(server);

        var response = await client.SearchAsync("قسد");

        Assert.Equal("قسد", response.Hits[0].Title);
        Assert.Equal(3, search.Calls.Count);
    }

    [Fact]
    public async Task Retries_stop_at_MaxAttempts_and_the_last_status_surfaces()
    {
        var search = new ScriptedSearchService { FailFirst = 100 };
        await using var server = await FakeServer.StartAsync(search);
        using var client = Client(server, maxAttempts: 3);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.SearchAsync("قسد"));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal("scripted failure #3", ex.Status.Detail);
        Assert.Equal(3, search.Calls.Count);
    }

    [Fact]
    public async Task MaxAttempts_of_one_disables_retries()
    {
        var search = new ScriptedSearchService { FailFirst = 1 };
        await using var server = await FakeServer.StartAsync(search);
        using var client = Client(server, maxAttempts: 1);

        Assert.Equal(StatusCode.Unavailable, (await Assert.ThrowsAsync<RpcException>(() => client.SearchAsync("قسد"))).StatusCode);
        Assert.Single(search.Calls);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Unauthenticated)]
    public async Task Other_codes_are_not_retried(StatusCode code)
    {
        var search = new ScriptedSearchService { FailFirst = 1, FailWith = code };
        await using var server = await FakeServer.StartAsync(search);
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.SearchAsync("قسد"));

        Assert.Equal(code, ex.StatusCode);
        Assert.Single(search.Calls);
    }

    [Fact]
    public async Task Not_found_keeps_its_status_and_is_not_retried()
    {
        var search = new ScriptedSearchService();
        await using var server = await FakeServer.StartAsync(search);
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.SnippetAsync("doc-x", "قسد"));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("document 'doc-x' does not exist.", ex.Status.Detail);
        Assert.Single(search.Calls);
    }

    [Fact]
    public async Task Index_sends_batches_and_repeats_only_the_batch_that_failed_with_unavailable()
    {
        var documents = new ScriptedDocumentService { FailCalls = { 2, 3 } };
        await using var server = await FakeServer.StartAsync(documents);
        using var client = Client(server);
        var input = new[] { "a", "b", "c", "bad", "e" }.Select(Doc);

        var result = await client.IndexAsync(input.ToAsyncEnumerable(), new IndexOptions { BatchSize = 2 });

        // Calls: [a b] ok, [c bad] unavailable twice then ok, [e] ok.
        Assert.Equal(
            ["a b", "c bad", "c bad", "c bad", "e"],
            documents.BulkCalls.Select(ids => string.Join(' ', ids)));
        Assert.Equal(5, result.Sent);
        Assert.Equal(4, result.Upserted);
        Assert.Equal(3, result.Batches);
        Assert.Equal(2, result.Retries);
        Assert.Equal(new IndexFailure("bad", "bad document", 3), Assert.Single(result.Failures));
    }

    [Fact]
    public async Task Index_gives_up_after_MaxAttempts_with_the_status_and_earlier_batches_stay_acknowledged()
    {
        var documents = new ScriptedDocumentService { FailCalls = { 2, 3, 4 } };
        await using var server = await FakeServer.StartAsync(documents);
        using var client = Client(server, maxAttempts: 3);
        var progress = new List<IndexProgress>();

        var ex = await Assert.ThrowsAsync<IndexException>(() => client.IndexAsync(
            new[] { "a", "b", "c", "d", "e" }.Select(Doc).ToAsyncEnumerable(),
            new IndexOptions { BatchSize = 2, Progress = new SyncProgress<IndexProgress>(progress.Add) }));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(4, documents.BulkCalls.Count); // [a b], then [c d] three times; [e] never sent
        Assert.Equal(2, progress.Max(p => p.Acknowledged));
        Assert.Equal(4, progress.Max(p => p.Sent));
        Assert.Equal((2L, 1, 4L), (ex.Acknowledged.Upserted, ex.Acknowledged.Batches, ex.Acknowledged.Sent));
    }

    [Fact]
    public async Task A_failed_index_keeps_the_refusals_of_the_batches_acknowledged_before_it()
    {
        var documents = new ScriptedDocumentService { FailCalls = { 2 }, FailWith = StatusCode.PermissionDenied };
        await using var server = await FakeServer.StartAsync(documents);
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<IndexException>(() => client.IndexAsync(
            new[] { "a", "bad", "c", "d" }.Select(Doc).ToAsyncEnumerable(), new IndexOptions { BatchSize = 2 }));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.IsAssignableFrom<RpcException>(ex);
        Assert.Equal(1, ex.Acknowledged.Upserted);
        Assert.Equal(new IndexFailure("bad", "bad document", 1), Assert.Single(ex.Acknowledged.Failures));
    }

    [Fact]
    public async Task Index_does_not_retry_other_codes()
    {
        var documents = new ScriptedDocumentService { FailCalls = { 1 }, FailWith = StatusCode.PermissionDenied };
        await using var server = await FakeServer.StartAsync(documents);
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<IndexException>(() => client.IndexAsync(new[] { Doc("a") }.ToAsyncEnumerable()));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(0, ex.Acknowledged.Upserted);
        Assert.Single(documents.BulkCalls);
    }

    [Fact]
    public async Task Index_closes_a_batch_before_it_exceeds_the_byte_limit()
    {
        var documents = new ScriptedDocumentService();
        await using var server = await FakeServer.StartAsync(documents);
        using var client = Client(server);
        var big = new string('ن', 400); // 800 UTF-8 bytes
        var input = new[] { "a", "b", "c" }.Select(id => new Document { Id = id, Body = big });

        var result = await client.IndexAsync(input.ToAsyncEnumerable(), new IndexOptions { BatchSize = 100, BatchMaxBytes = 1_700 });

        Assert.Equal(["a b", "c"], documents.BulkCalls.Select(ids => string.Join(' ', ids)));
        Assert.Equal(3, result.Upserted);
    }

    [Fact]
    public async Task Index_against_a_server_that_is_down_fails_with_unavailable()
    {
        using var client = TextSearchClient.Create(new TextSearchClientOptions
        {
            Address = new Uri("http://127.0.0.1:1"),
            MaxAttempts = 2,
            InitialBackoff = TimeSpan.FromMilliseconds(10),
        });

        var ex = await Assert.ThrowsAsync<IndexException>(() => client.IndexAsync(new[] { Doc("a"), Doc("b") }.ToAsyncEnumerable()));
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }
}
