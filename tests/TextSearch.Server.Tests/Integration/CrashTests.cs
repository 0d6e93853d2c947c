using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>An acknowledged upsert survives a crash of the process (SIGKILL, no shutdown code).</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task Acknowledged_upserts_survive_sigkill()
    {
        var index = Path.Combine(Path.GetTempPath(), "textsearch-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var acknowledged = new List<string>();
            await using (var server = await ServerProcess.StartAsync(index))
            {
                var documents = new DocumentService.DocumentServiceClient(server.Channel);
                for (var i = 0; i < 20; i++)
                {
                    var id = $"crash-{i}";
                    await documents.UpsertDocumentAsync(new UpsertDocumentRequest
                    {
                        Document = new Document { Id = id, Title = "قبل الانهيار", Body = $"وثيقة محفوظة رقم {i}" },
                    });
                    acknowledged.Add(id);
                }

                server.Kill();
            }

            await using var restarted = await ServerProcess.StartAsync(index);
            var docs = new DocumentService.DocumentServiceClient(restarted.Channel);
            foreach (var id in acknowledged)
            {
                Assert.Equal(id, (await docs.GetDocumentAsync(new GetDocumentRequest { Id = id })).Id);
            }

            var search = new SearchService.SearchServiceClient(restarted.Channel);
            Assert.Equal(acknowledged.Count, (await search.SearchAsync(new SearchRequest { Query = "الانهيار", PageSize = 100 })).TotalHits);
        }
        finally
        {
            if (Directory.Exists(index))
            {
                Directory.Delete(index, recursive: true);
            }
        }
    }
}
