using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>SIGTERM drains the calls in flight, commits the index and exits 0.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_drains_an_in_flight_bulk_stream_commits_and_exits_zero()
    {
        var index = Path.Combine(Path.GetTempPath(), "textsearch-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var server = await ServerProcess.StartAsync(index))
            {
                var documents = new DocumentService.DocumentServiceClient(server.Channel);
                await documents.UpsertDocumentAsync(new UpsertDocumentRequest
                {
                    Document = new Document { Id = "before-term", Title = "قبل الإيقاف", Body = "وثيقة مؤكدة قبل الإشارة" },
                });

                using var bulk = documents.BulkUpsertDocuments(deadline: DateTime.UtcNow.AddSeconds(60));
                for (var i = 0; i < 50; i++)
                {
                    await bulk.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = $"drain-{i}", Title = "تصريف", Body = $"وثيقة رقم {i}" } });
                }

                server.Terminate();
                await Task.Delay(500);
                for (var i = 50; i < 100; i++)
                {
                    await bulk.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = $"drain-{i}", Title = "تصريف", Body = $"وثيقة رقم {i}" } });
                }

                await bulk.RequestStream.CompleteAsync();
                var response = await bulk.ResponseAsync;
                Assert.Equal(100, response.Upserted);
                Assert.Empty(response.Failures);

                Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(40)));
            }

            await using var restarted = await ServerProcess.StartAsync(index);
            var docs = new DocumentService.DocumentServiceClient(restarted.Channel);
            Assert.Equal("before-term", (await docs.GetDocumentAsync(new GetDocumentRequest { Id = "before-term" })).Id);
            Assert.Equal("drain-99", (await docs.GetDocumentAsync(new GetDocumentRequest { Id = "drain-99" })).Id);
            var search = new SearchService.SearchServiceClient(restarted.Channel);
            Assert.Equal(100, (await search.SearchAsync(new SearchRequest { Query = "تصريف", PageSize = 100 })).TotalHits);
        }
        finally
        {
            try
            {
                Directory.Delete(index, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
