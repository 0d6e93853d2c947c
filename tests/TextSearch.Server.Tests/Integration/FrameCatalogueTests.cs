using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using TextSearch.Server.Tests.Integration.Support;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>
/// A catalogue of malformed gRPC frames, unary (Search) and streamed (BulkUpsertDocuments), over gRPC and gRPC-Web,
/// each with the exact status it gets: INVALID_ARGUMENT for a frame that cannot be read, RESOURCE_EXHAUSTED where a
/// size is the cause; never UNKNOWN or INTERNAL. After each, the server still serves.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FrameCatalogueTests(ServerFixture server)
{
    private const string Unary = "/textsearch.v1.SearchService/Search";
    private const string Stream = "/textsearch.v1.DocumentService/BulkUpsertDocuments";
    private const int InvalidArgument = (int)StatusCode.InvalidArgument;
    private const int ResourceExhausted = (int)StatusCode.ResourceExhausted;

    /// <summary>A valid request message of the method.</summary>
    private static byte[] Message(string path) => path == Unary
        ? new SearchRequest { Query = "قسد" }.ToByteArray()
        : new UpsertDocumentRequest { Document = new Document { Id = "frame-ok", Title = "عنوان", Body = "نص" } }.ToByteArray();

    /// <summary>The body and extra headers of each malformed case.</summary>
    private static (byte[] Body, KeyValuePair<string, string>[] Headers) Case(string name, string path)
    {
        var message = Message(path);
        KeyValuePair<string, string>[] gzip = [new("grpc-encoding", "gzip")];
        return name switch
        {
            "no message" => ([], []),
            "header cut short" => ([0x00, 0x00, 0x00], []),
            "message cut short" => (RawGrpc.Frame(message, declaredLength: (uint)message.Length + 10), []),
            "message cut short after a whole one" => ([.. RawGrpc.Frame(message), .. RawGrpc.Frame(message, declaredLength: (uint)message.Length + 10)], []),
            // Two copies of the message, the prefix declaring one: the other is left over (and does not start with a valid header).
            "length prefix shorter than the message" => (RawGrpc.Frame([.. message, .. message], declaredLength: (uint)message.Length), []),
            "data after the message" => ([.. RawGrpc.Frame(message), 0x0A, 0x00], []),
            "flag 0x80" => (RawGrpc.Frame(message, flag: 0x80), []),
            "flag 0x02" => (RawGrpc.Frame(message, flag: 0x02), []),
            "flag 0xFF after a whole message" => ([.. RawGrpc.Frame(message), .. RawGrpc.Frame(message, flag: 0xFF)], []),
            "compressed without grpc-encoding" => (RawGrpc.Frame(message, flag: 1), []),
            "compressed with grpc-encoding identity" => (RawGrpc.Frame(message, flag: 1), [new("grpc-encoding", "identity")]),
            "compressed but not gzip" => (RawGrpc.Frame(message, flag: 1), gzip),
            "length over 2 GB" => (RawGrpc.Frame(message, declaredLength: 0xFFFF_FFF0), []),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    public static TheoryData<string, string, string, int> Frames()
    {
        var data = new TheoryData<string, string, string, int>();
        foreach (var transport in new[] { "grpc", "grpc-web" })
        {
            // A unary call carries exactly one message: no message at all is as wrong as a cut one.
            data.Add(transport, Unary, "no message", InvalidArgument);
            foreach (var path in new[] { Unary, Stream })
            {
                foreach (var name in new[]
                {
                    "header cut short", "message cut short", "message cut short after a whole one", "length prefix shorter than the message",
                    "data after the message", "flag 0x80", "flag 0x02", "flag 0xFF after a whole message", "compressed without grpc-encoding",
                    "compressed with grpc-encoding identity", "compressed but not gzip",
                })
                {
                    data.Add(transport, path, name, InvalidArgument);
                }
            }

            // A length past what a message may be (gRPC's reader gives up above 2 GB before looking at the limit).
            data.Add(transport, Stream, "length over 2 GB", ResourceExhausted);
        }

        return data;
    }

    private Task<RawStatus> CallAsync(HttpClient client, string transport, string path, byte[] body, KeyValuePair<string, string>[] headers) =>
        transport == "grpc"
            ? RawGrpc.GrpcAsync(client, server.Address, path, body, headers)
            : RawGrpc.GrpcWebAsync(client, server.HttpAddress, path, body, headers: headers);

    private async Task StillServing()
    {
        var response = await new SearchService.SearchServiceClient(server.Channel).SearchAsync(new SearchRequest { Query = "قسد" });
        Assert.True(response.TotalHits > 0);
        var health = await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public async Task Malformed_frames_get_a_precise_status(string transport, string path, string frame, int expected)
    {
        using var client = transport == "grpc" ? RawGrpc.Http2Client() : RawGrpc.Http11Client();
        var (body, headers) = Case(frame, path);
        var status = await CallAsync(client, transport, path, body, headers);
        Assert.True(status.Grpc == expected, $"{frame} to {path} over {transport}: {status}");
        Assert.False(string.IsNullOrWhiteSpace(status.Message));
        await StillServing();
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("grpc-web")]
    public async Task Compressed_messages_are_judged_once_decompressed(string transport)
    {
        using var client = transport == "grpc" ? RawGrpc.Http2Client() : RawGrpc.Http11Client();
        KeyValuePair<string, string>[] gzip = [new("grpc-encoding", "gzip")];

        // A valid compressed message is served ...
        var ok = await CallAsync(client, transport, Unary, RawGrpc.Frame(RawGrpc.Gzip(Message(Unary)), flag: 1), gzip);
        Assert.True(ok.Grpc == 0, ok.ToString());

        // ... one whose string is not UTF-8 is refused with the reason, as it would be uncompressed ...
        var invalid = await CallAsync(client, transport, Unary, RawGrpc.Frame(RawGrpc.Gzip([0x0A, 0x05, 0xFF, 0xFE, 0xED, 0xA0, 0x80]), flag: 1), gzip);
        Assert.True(invalid.Grpc == InvalidArgument, invalid.ToString());
        Assert.Contains("UTF-8", invalid.Message, StringComparison.Ordinal);

        // ... and one that decompresses to more than the 8 MB limit is refused for its size.
        var bomb = await CallAsync(
            client, transport, "/textsearch.v1.NormalizationService/Normalize",
            RawGrpc.Frame(RawGrpc.Gzip(new NormalizeRequest { Text = new string('a', 9 * 1024 * 1024) }.ToByteArray()), flag: 1), gzip);
        Assert.True(bomb.Grpc == ResourceExhausted, bomb.ToString());
        await StillServing();
    }
}
