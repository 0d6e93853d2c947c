using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using TextSearch.Server.Services;
using TextSearch.Server.Tests.Integration.Support;

namespace TextSearch.Server.Tests.Integration;

/// <summary>
/// Routing matches a method's path in any letter case, so every decision about a call must be made on the method it
/// was routed to, never on the path as sent: a read key must not write through <c>/textsearch.v1.documentservice/…</c>.
/// </summary>
public sealed class CaseVariantTests
{
    private const string ReadKey = "read-key-case-4b7e1d";
    private const string WriteKey = "write-key-case-9c2f5a";

    private static readonly string DocumentService = V1.DocumentService.Descriptor.FullName;

    private static Task<ConfiguredServer> StartAsync(params string[] more) => ConfiguredServer.StartAsync(
        ["--TextSearch:Auth:ReadKeys:0", ReadKey, "--TextSearch:Auth:WriteKeys:0", WriteKey, .. more]);

    /// <summary>Every TextSearch method, from the services' descriptors.</summary>
    private static List<(string Service, string Method, bool Streaming)> Methods() =>
        [.. ServiceCatalog.TextSearch.SelectMany(s => s.Methods.Select(m => (s.FullName, m.Name, m.IsClientStreaming)))];

    /// <summary>The path in its own case and in every other case a client might send.</summary>
    private static List<string> Variants(string service, string method)
    {
        static string Alternate(string s) => string.Concat(s.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)));
        return [.. new[]
        {
            (service, method),
            (service.ToLowerInvariant(), method.ToLowerInvariant()),
            (service.ToUpperInvariant(), method.ToUpperInvariant()),
            (service.ToLowerInvariant(), method),
            (service.ToUpperInvariant(), method),
            (service, method.ToLowerInvariant()),
            (service, method.ToUpperInvariant()),
            (Alternate(service), Alternate(method)),
        }.Select(v => $"/{v.Item1}/{v.Item2}").Distinct(StringComparer.Ordinal)];
    }

    private static KeyValuePair<string, string>[] Key(string? key) => key is null ? [] : [new("x-api-key", key)];

    private static Task<RawStatus> CallAsync(ConfiguredServer server, HttpClient client, string transport, string path, byte[] body, string? key) =>
        transport == "grpc"
            ? RawGrpc.GrpcAsync(client, server.Address, path, body, Key(key))
            : RawGrpc.GrpcWebAsync(client, server.HttpAddress!, path, body, headers: Key(key));

    [Theory]
    [InlineData("grpc")]
    [InlineData("grpc-web")]
    public async Task Every_case_of_every_method_gets_the_same_key_decision(string transport)
    {
        await using var server = await StartAsync();
        using var client = transport == "grpc" ? RawGrpc.Http2Client() : RawGrpc.Http11Client();
        var methods = Methods();
        Assert.Equal(10, methods.Count);
        var failures = new List<string>();
        var variantsSent = new List<string>();
        foreach (var (service, method, streaming) in methods)
        {
            // A unary call carries one empty message (every method refuses it with INVALID_ARGUMENT, so nothing is
            // written); the bulk stream carries none (it upserts nothing and answers OK).
            var body = streaming ? [] : RawGrpc.Frame([]);
            var allowed = streaming ? 0 : (int)StatusCode.InvalidArgument;
            foreach (var path in Variants(service, method))
            {
                variantsSent.Add(path);
                foreach (var (key, expected) in new (string?, int)[]
                {
                    (null, (int)StatusCode.Unauthenticated),
                    (ReadKey, service == DocumentService ? (int)StatusCode.PermissionDenied : allowed),
                    (WriteKey, allowed),
                })
                {
                    var status = await CallAsync(server, client, transport, path, body, key);
                    if (status.Grpc != expected)
                    {
                        failures.Add($"{path} with {(key is null ? "no key" : key == ReadKey ? "the read key" : "the write key")}: {status.Grpc} ({status.Message}), expected {expected}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));

        // The rejections are logged under the method's declared name, never the path as sent.
        var own = server.Logs.Lines.Where(l => l.Contains("TextSearch.Server.Services.AdmissionMiddleware", StringComparison.Ordinal)
            || l.Contains("TextSearch.Server.Services.RequestValidationMiddleware", StringComparison.Ordinal)
            || l.Contains("TextSearch.Server.Observability.CallObservabilityMiddleware", StringComparison.Ordinal)).ToList();
        Assert.Contains(own, l => l.Contains($"Rejected /{DocumentService}/UpsertDocument: read-only API key", StringComparison.Ordinal));
        var canonical = methods.Select(m => $"/{m.Service}/{m.Method}").ToHashSet(StringComparer.Ordinal);
        foreach (var path in variantsSent.Where(p => !canonical.Contains(p)))
        {
            Assert.DoesNotContain(own, l => l.Contains(path, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("grpc-web")]
    public async Task A_case_variant_call_with_invalid_utf8_is_invalid_argument(string transport)
    {
        await using var server = await StartAsync();
        using var client = transport == "grpc" ? RawGrpc.Http2Client() : RawGrpc.Http11Client();
        // SearchRequest{query: 0xFF 0xFE …}: not UTF-8.
        byte[] invalid = [0x0A, 0x05, 0xFF, 0xFE, 0xED, 0xA0, 0x80];
        foreach (var path in Variants("textsearch.v1.SearchService", "Search").Concat(Variants(DocumentService, "GetDocument")))
        {
            var status = await CallAsync(server, client, transport, path, RawGrpc.Frame(invalid), WriteKey);
            Assert.True(status.Grpc == (int)StatusCode.InvalidArgument, $"{path}: {status}");
        }
    }

    [Fact]
    public async Task Health_in_another_case_stays_open_needs_no_key_and_gets_no_default_deadline()
    {
        await using var server = await StartAsync("--TextSearch:Limits:DefaultDeadlineSeconds", "0.5");
        using var channel = GrpcChannel.ForAddress(server.Address);
        var invoker = channel.CreateCallInvoker();

        var check = new Method<HealthCheckRequest, HealthCheckResponse>(
            MethodType.Unary, "GRPC.HEALTH.V1.HEALTH", "check", Marshallers.Create<HealthCheckRequest>(r => r.ToByteArray(), HealthCheckRequest.Parser.ParseFrom),
            Marshallers.Create<HealthCheckResponse>(r => r.ToByteArray(), HealthCheckResponse.Parser.ParseFrom));
        var health = await invoker.AsyncUnaryCall(check, null, default, new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        var watch = new Method<HealthCheckRequest, HealthCheckResponse>(
            MethodType.ServerStreaming, "grpc.health.v1.health", "WATCH", check.RequestMarshaller, check.ResponseMarshaller);
        using var stream = invoker.AsyncServerStreamingCall(watch, null, default, new HealthCheckRequest());
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, stream.ResponseStream.Current.Status);

        // Well past the 0.5 s default deadline, the stream is still open: waiting for the next status only ends
        // because this test stops waiting.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var ended = await Assert.ThrowsAnyAsync<Exception>(async () => await stream.ResponseStream.MoveNext(wait.Token));
        Assert.True(
            ended is OperationCanceledException || ended is RpcException { StatusCode: StatusCode.Cancelled },
            $"the Watch stream ended by itself: {ended.GetType().Name} {(ended as RpcException)?.StatusCode}");
    }
}
