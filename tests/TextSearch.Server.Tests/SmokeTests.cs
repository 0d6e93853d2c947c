using TextSearch.Server.Tests.Support;
using TextSearch.V1;

namespace TextSearch.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class SmokeTests(ServerFixture server)
{
    [Fact]
    public async Task Seeds_are_searchable_after_start()
    {
        var client = new SearchService.SearchServiceClient(server.Channel);
        var response = await client.SearchAsync(new SearchRequest { Query = "قسد" });
        Assert.Equal(5, response.TotalHits);
    }
}
