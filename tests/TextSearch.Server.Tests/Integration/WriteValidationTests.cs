using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>
/// Values the domain cannot hold (timestamps out of range) are INVALID_ARGUMENT naming the field, alone or inside a
/// bulk stream; and a bulk stream that fails leaves nothing that a later commit could make visible.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WriteValidationTests(ServerFixture server)
{
    private DocumentService.DocumentServiceClient Documents => new(server.Channel);

    private SearchService.SearchServiceClient Search => new(server.Channel);

    public static TheoryData<long, int> BadTimestamps => new()
    {
        { -1_000_000_000_000, 0 },
        { 9_000_000_000_000_000, 0 },
        { 0, -5 },
        { 0, 1_000_000_000 },
        { -62_135_596_801, 0 },
        { 253_402_300_800, 0 },
    };

    [Theory]
    [MemberData(nameof(BadTimestamps))]
    public async Task An_out_of_range_published_at_is_invalid_argument_naming_the_field(long seconds, int nanos)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Documents.UpsertDocumentAsync(new UpsertDocumentRequest
        {
            Document = new Document { Id = "ts-bad", Title = "تاريخ", Body = "نص", PublishedAt = new Timestamp { Seconds = seconds, Nanos = nanos } },
        }));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("document.published_at is not a valid timestamp", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_extremes_of_the_timestamp_range_are_stored()
    {
        foreach (var (id, seconds, nanos) in new[] { ("ts-min", -62_135_596_800L, 0), ("ts-max", 253_402_300_799L, 999_999_900) })
        {
            var stamp = new Timestamp { Seconds = seconds, Nanos = nanos };
            await Documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = id, Body = "حدود", PublishedAt = stamp } });
            Assert.Equal(stamp, (await Documents.GetDocumentAsync(new GetDocumentRequest { Id = id })).PublishedAt);
        }
    }

    [Fact]
    public async Task In_a_bulk_stream_an_out_of_range_timestamp_is_one_failure_and_the_rest_is_stored()
    {
        using var call = Documents.BulkUpsertDocuments();
        for (var i = 0; i < 5; i++)
        {
            var doc = new Document { Id = $"ts-bulk-{i}", Title = "دفعة", Body = "كلمةالتواريخ" };
            doc.PublishedAt = i == 2 ? new Timestamp { Seconds = 9_000_000_000_000_000 } : Timestamp.FromDateTime(new DateTime(2017, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            await call.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = doc });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call;
        Assert.Equal(4, response.Upserted);
        var failure = Assert.Single(response.Failures);
        Assert.Equal(("ts-bulk-2", 2), (failure.Id, failure.Index));
        Assert.StartsWith("document.published_at", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(4, (await Search.SearchAsync(new SearchRequest { Query = "كلمةالتواريخ" })).TotalHits);
    }

    [Fact]
    public async Task Nothing_of_a_failed_bulk_stream_becomes_visible_with_a_later_commit()
    {
        using (var cts = new CancellationTokenSource())
        {
            // More than one batch (2,000 documents), so the first batch is indexed before the stream fails.
            using var call = Documents.BulkUpsertDocuments(cancellationToken: cts.Token);
            for (var i = 0; i < 2_300; i++)
            {
                await call.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = $"lost-{i}", Body = $"كلمةالبثالفاشل {i}" } });
            }

            await Task.Delay(500); // the first batch is being indexed
            await cts.CancelAsync();
            Assert.Equal(StatusCode.Cancelled, (await Assert.ThrowsAsync<RpcException>(async () => await call)).StatusCode);
        }

        // An unrelated write commits: nothing of the failed stream comes with it.
        await Documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = "after-failed-stream", Body = "وثيقة لاحقة" } });
        Assert.Equal(0, (await Search.SearchAsync(new SearchRequest { Query = "كلمةالبثالفاشل" })).TotalHits);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(async () => await Documents.GetDocumentAsync(new GetDocumentRequest { Id = "lost-0" }))).StatusCode);
    }
}

/// <summary>Rejections are logged by field name: text the caller sent (a metadata key, a query) never reaches the log.</summary>
public sealed class RejectionLogTests
{
    [Fact]
    public async Task A_rejected_metadata_key_is_not_echoed_into_the_log()
    {
        var key = "secret-looking-metadata-key-" + new string('k', 200); // over the 128-character limit
        const string Query = "استعلامطويلجدا";
        await using var server = await ConfiguredServer.StartAsync([]);
        using var channel = server.Channel();
        var documents = new DocumentService.DocumentServiceClient(channel);
        var doc = new Document { Id = "log-1", Body = "نص" };
        doc.Metadata[key] = "v";
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = doc }));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var search = new SearchService.SearchServiceClient(channel);
        await Assert.ThrowsAsync<RpcException>(async () => await search.SearchAsync(new SearchRequest { Query = string.Join(' ', Enumerable.Repeat(Query, 100)) }));

        Assert.Contains(server.Logs.Lines, l => l.Contains("invalid document.metadata", StringComparison.Ordinal));
        Assert.Contains(server.Logs.Lines, l => l.Contains("invalid query", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains(key[..40], StringComparison.Ordinal) || l.Contains(Query, StringComparison.Ordinal));
    }
}
