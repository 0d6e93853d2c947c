using System.Net;
using System.Text;
using Grpc.Core;
using TextSearch.Server.Tests.Integration.Support;

namespace TextSearch.Server.Tests.Integration;

/// <summary>gRPC-Web text (base64) that is not base64: INVALID_ARGUMENT as a gRPC-Web answer, one short log line, no stack trace.</summary>
public sealed class GrpcWebTextTests
{
    [Theory]
    [InlineData("/textsearch.v1.SearchService/Search", "!!!notbase64")]
    [InlineData("/textsearch.v1.SearchService/Search", "AA")]
    [InlineData("/textsearch.v1.DocumentService/BulkUpsertDocuments", "!!!notbase64")]
    [InlineData("/textsearch.v1.DocumentService/BulkUpsertDocuments", "AA")]
    public async Task Grpc_web_text_that_is_not_base64_is_invalid_argument_and_logged_once_without_a_stack_trace(string path, string body)
    {
        await using var server = await ConfiguredServer.StartAsync([]);
        using var client = RawGrpc.Http11Client();
        var start = server.Logs.Lines.Count;
        for (var i = 0; i < 3; i++)
        {
            using var request = RawGrpc.GrpcWebRequest(server.HttpAddress!, path, new ByteArrayContent(Encoding.ASCII.GetBytes(body)), text: true);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("application/grpc-web-text", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            var status = await RawGrpc.StatusAsync(response);
            Assert.True(status.Grpc == (int)StatusCode.InvalidArgument, status.ToString());
            Assert.Contains("base64", status.Message, StringComparison.Ordinal);
        }

        // The server log has one warning per call, a line each, and no exception or stack trace.
        var lines = server.Logs.Lines.Skip(start).ToList();
        var loud = lines.Where(l => l.StartsWith("Warning ", StringComparison.Ordinal) || l.StartsWith("Error ", StringComparison.Ordinal)
            || l.StartsWith("Critical ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, loud.Count);
        Assert.All(loud, l => Assert.StartsWith("Warning ", l, StringComparison.Ordinal));
        Assert.All(loud, l => Assert.True(l.Length < 400, l));
        Assert.DoesNotContain(lines, l => l.Contains("   at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
    }
}
