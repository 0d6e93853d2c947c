using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Health.V1;
using TextSearch.Server.Tests.Integration.Support;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>TextSearch:Limits: message size, concurrent calls, the default deadline and the query time budget.</summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task A_message_over_the_receive_limit_gets_resource_exhausted()
    {
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:Limits:MaxReceiveMessageBytes", "1048576"]);
        using var channel = server.Channel();
        var client = new NormalizationService.NormalizationServiceClient(channel);

        var ok = await client.NormalizeAsync(new NormalizeRequest { Text = new string('ب', 100_000) });
        Assert.NotEmpty(ok.Normalized);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.NormalizeAsync(new NormalizeRequest { Text = new string('a', 2 * 1024 * 1024) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_web_servers_own_limit_still_gets_resource_exhausted()
    {
        // 40 MB is over Kestrel's 30 MB request body limit too: the frame header's declared length is refused before
        // the body is read, with the same status as any oversized message (not a reset or UNKNOWN).
        await using var server = await ConfiguredServer.StartAsync([]);
        using var channel = server.Channel();
        var client = new NormalizationService.NormalizationServiceClient(channel);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.NormalizeAsync(new NormalizeRequest { Text = new string('a', 40 * 1024 * 1024) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("maximum configured message size", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        Assert.Equal("x", (await client.NormalizeAsync(new NormalizeRequest { Text = "x" })).Normalized);
    }

    [Fact]
    public async Task The_default_receive_limit_is_8_mb()
    {
        await using var server = await ConfiguredServer.StartAsync([]);
        using var channel = server.Channel();
        var client = new NormalizationService.NormalizationServiceClient(channel);

        // 6 MB is received (the service itself then refuses text over its own limit); 9 MB is not.
        var received = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.NormalizeAsync(new NormalizeRequest { Text = new string('a', 6 * 1024 * 1024) }));
        Assert.Equal(StatusCode.InvalidArgument, received.StatusCode);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.NormalizeAsync(new NormalizeRequest { Text = new string('a', 9 * 1024 * 1024) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Calls_beyond_the_cap_get_resource_exhausted_at_once_and_health_stays_open()
    {
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:Limits:MaxConcurrentCalls", "1"]);
        using var channel = server.Channel();
        var documents = new DocumentService.DocumentServiceClient(channel);
        var normalize = new NormalizationService.NormalizationServiceClient(channel);

        // An open bulk stream is a call in flight: it holds the only slot until it completes. A Normalize meanwhile is
        // refused, not queued (a call queued behind the stream would wait for it and end DEADLINE_EXCEEDED). The stream
        // has only sent its headers when its first document is written: until it reaches the server, a Normalize may
        // still get the slot, and a stream that arrives while one holds it is turned away and opened again.
        var held = await CallSlots.HoldTheOnlySlotAsync(documents, normalize, new Document { Id = "slow-1", Title = "عنوان", Body = "نص" });
        using (var bulk = held.Bulk)
        {
            Assert.Equal(StatusCode.ResourceExhausted, held.Refusal.StatusCode);
            Assert.Contains("concurrent calls", held.Refusal.Status.Detail, StringComparison.Ordinal);

            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

            await bulk.RequestStream.CompleteAsync();
            Assert.Equal(1, (await bulk.ResponseAsync).Upserted);
        }

        // The slot is free again.
        Assert.Equal("مرحبا", (await normalize.NormalizeAsync(new NormalizeRequest { Text = "مرحبا" })).Normalized);
    }

    [Fact]
    public async Task A_call_without_a_deadline_gets_the_default_one()
    {
        // Bulk uploads (client streaming) get their own, longer default; unary calls the ordinary one.
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:Limits:DefaultBulkDeadlineSeconds", "1"]);
        using var channel = server.Channel();
        var documents = new DocumentService.DocumentServiceClient(channel);

        var watch = Stopwatch.StartNew();
        using var bulk = documents.BulkUpsertDocuments();
        await bulk.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "late-1", Title = "عنوان", Body = "نص" } });
        var error = await Assert.ThrowsAsync<RpcException>(async () => await bulk.ResponseAsync.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"ended after {watch.Elapsed}, before the 1 s default deadline");

        // A client deadline wins over the default: this one is longer than a second and succeeds.
        using var bulk2 = documents.BulkUpsertDocuments(deadline: DateTime.UtcNow.AddSeconds(30));
        await bulk2.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "late-2", Title = "عنوان", Body = "نص" } });
        await Task.Delay(1500);
        await bulk2.RequestStream.CompleteAsync();
        Assert.Equal(1, (await bulk2.ResponseAsync).Upserted);
    }

    [Fact]
    public async Task A_bulk_upload_does_not_get_the_default_deadline_of_unary_calls()
    {
        // A corpus takes as long as it takes to send: the unary default (1 s here) does not cut a bulk stream off.
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:Limits:DefaultDeadlineSeconds", "1", "--TextSearch:Limits:DefaultBulkDeadlineSeconds", "0"]);
        using var channel = server.Channel();
        var documents = new DocumentService.DocumentServiceClient(channel);
        using var bulk = documents.BulkUpsertDocuments();
        await bulk.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "slow-1", Title = "عنوان", Body = "نص" } });
        await Task.Delay(1500);
        await bulk.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "slow-2", Title = "عنوان", Body = "نص" } });
        await bulk.RequestStream.CompleteAsync();
        Assert.Equal(2, (await bulk.ResponseAsync).Upserted);
    }

    [Fact]
    public async Task A_json_call_gets_the_default_deadline_and_deadline_exceeded_when_it_passes()
    {
        // 2 s: long enough for an ordinary search on a loaded machine, short enough to wait out.
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:Limits:DefaultDeadlineSeconds", "2"], seedsPath: ServerFixture.SeedsPath);
        using var http = new HttpClient { BaseAddress = server.HttpAddress };

        // The first search on a fresh server pays for compiling and warming what it uses, which on a busy machine can
        // take longer than 2 s: it runs first, with a deadline of its own, so that the last call below is an ordinary one.
        using (var channel = server.Channel())
        {
            var warm = await new SearchService.SearchServiceClient(channel).SearchAsync(new SearchRequest { Query = "سوريا" }, deadline: DateTime.UtcNow.AddSeconds(60));
            Assert.NotEmpty(warm.Hits);
        }

        // The body arrives well after the 2 s deadline: the search then starts on a call whose deadline has passed.
        var body = new HeldContent(Encoding.UTF8.GetBytes("{\"query\": \""), Encoding.UTF8.GetBytes("سوريا\"}"));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var send = http.PostAsync(new Uri("v1/search", UriKind.Relative), body);
        await Task.Delay(TimeSpan.FromSeconds(4));
        body.Release();
        using var response = await send;
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)StatusCode.DeadlineExceeded, json.GetProperty("code").GetInt32());

        // A call within its deadline is answered as usual.
        using var ok = await http.GetAsync(new Uri("v1/search?query=" + Uri.EscapeDataString("سوريا"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_query_past_its_time_budget_is_stopped_with_deadline_exceeded()
    {
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:Limits:QueryTimeBudgetMs", "1"]);
        using var channel = server.Channel();
        var documents = new DocumentService.DocumentServiceClient(channel);
        var words = new[] { "الكتاب", "المدرسة", "العلم", "التاريخ", "المدينة", "البحر", "الشمس", "القمر", "الطريق", "الجامعة" };
        var random = new Random(42);
        using (var bulk = documents.BulkUpsertDocuments(deadline: DateTime.UtcNow.AddMinutes(5)))
        {
            for (var i = 0; i < 20_000; i++)
            {
                var body = string.Join(' ', Enumerable.Range(0, 60).Select(_ => words[random.Next(words.Length)]));
                await bulk.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = $"big-{i}", Title = words[i % words.Length], Body = body } });
            }

            await bulk.RequestStream.CompleteAsync();
            Assert.Equal(20_000, (await bulk.ResponseAsync).Upserted);
        }

        var search = new SearchService.SearchServiceClient(channel);
        // The server's budget ends the search, not the client's 60 s deadline: the status says which.
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await search.SearchAsync(new SearchRequest { Query = string.Join(' ', words), PageSize = 10 }, deadline: DateTime.UtcNow.AddSeconds(60)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("time budget", error.Status.Detail, StringComparison.Ordinal);
    }
}
