using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using TextSearch.Server.Services;
using TextSearch.Server.Tests.Integration.Support;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>
/// Calls are admitted (key, concurrency cap) before anything reads their body, request bodies held in memory share
/// one budget, and health Watch streams have a cap of their own.
/// </summary>
public sealed class AdmissionTests
{
    private const string WriteKey = "write-key-admission-3e8a";
    private const string NormalizePath = "/textsearch.v1.NormalizationService/Normalize";
    private const string SearchPath = "/textsearch.v1.SearchService/Search";

    /// <summary>The header of a frame that declares <paramref name="length"/> bytes, and the first bytes of its message.</summary>
    private static byte[] StartOfMessage(uint length, int sent) => RawGrpc.Frame(new byte[sent], declaredLength: length);

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Without_a_key_unfinished_large_requests_are_refused_before_their_body_is_read()
    {
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:Auth:WriteKeys:0", WriteKey]);
        var budget = server.Services.GetRequiredService<RequestBodyBudget>();
        using var h2 = RawGrpc.Http2Client();
        var contents = new List<HeldContent>();
        var calls = new List<Task<HttpResponseMessage>>();
        var sockets = new List<System.Net.Sockets.TcpClient>();
        try
        {
            // Each request declares an 8 MB message (just under the limit) and sends 1 KB of it, then nothing more:
            // over gRPC, 40 streams on one connection, ...
            for (var i = 0; i < 40; i++)
            {
                var content = new HeldContent(StartOfMessage(8 * 1024 * 1024 - 64, 1024));
                contents.Add(content);
                calls.Add(h2.SendAsync(RawGrpc.GrpcRequest(server.Address, i % 2 == 0 ? NormalizePath : SearchPath, content), HttpCompletionOption.ResponseHeadersRead));
            }

            // ... and every one is answered UNAUTHENTICATED while its body is still unfinished: nothing waited for it.
            var responses = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));
            foreach (var response in responses)
            {
                var status = await RawGrpc.StatusAsync(response);
                Assert.Equal((int)StatusCode.Unauthenticated, status.Grpc);
                Assert.True(status.TrailersOnly);
                response.Dispose();
            }

            // Over gRPC-Web (HTTP/1.1), 10 connections.
            for (var i = 0; i < 10; i++)
            {
                var (socket, http, grpc) = await RawGrpc.StartHttp11Async(server.HttpAddress!, i % 2 == 0 ? NormalizePath : SearchPath, StartOfMessage(8 * 1024 * 1024 - 64, 1024));
                sockets.Add(socket);
                Assert.Equal(200, http);
                Assert.Equal((int)StatusCode.Unauthenticated, grpc);
            }

            Assert.Equal(0, budget.HeldBytes);
        }
        finally
        {
            contents.ForEach(c => c.Release());
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Unfinished_bodies_beyond_the_buffered_bytes_budget_get_resource_exhausted_and_the_budget_comes_back()
    {
        await using var server = await ConfiguredServer.StartAsync(
            ["--TextSearch:Auth:WriteKeys:0", WriteKey, "--TextSearch:Limits:MaxBufferedRequestBytes", "1048576"]);
        var budget = server.Services.GetRequiredService<RequestBodyBudget>();
        KeyValuePair<string, string>[] key = [new("x-api-key", WriteKey)];
        const uint declared = 700_000;

        // A: a 700 KB message, started and not finished (trickling, as the web server cuts off a body that stalls);
        // it holds 700 KB of the 1 MB budget.
        using var holding = RawGrpc.Http2Client();
        var held = new HeldContent(StartOfMessage(declared, 1000), trickle: TimeSpan.FromMilliseconds(250));
        using var abortHeld = new CancellationTokenSource();
        var heldCall = holding.SendAsync(RawGrpc.GrpcRequest(server.Address, NormalizePath, held, key), HttpCompletionOption.ResponseHeadersRead, abortHeld.Token);
        try
        {
            await WaitForAsync(() => budget.HeldBytes == declared + 5, "the first request to take its share of the budget");

            // B: another 700 KB message does not fit: refused at once, unread, over gRPC and over gRPC-Web.
            using var h2 = RawGrpc.Http2Client();
            var second = new HeldContent(StartOfMessage(declared, 1000));
            using (var response = await h2.SendAsync(RawGrpc.GrpcRequest(server.Address, NormalizePath, second, key), HttpCompletionOption.ResponseHeadersRead)
                .WaitAsync(TimeSpan.FromSeconds(30)))
            {
                var status = await RawGrpc.StatusAsync(response);
                Assert.Equal((int)StatusCode.ResourceExhausted, status.Grpc);
                Assert.Contains("request bytes", status.Message, StringComparison.Ordinal);
            }

            second.Release();

            // Over gRPC-Web (HTTP/1.1, which sends a whole body before it reads the answer) too.
            using var http11 = RawGrpc.Http11Client();
            var webStatus = await RawGrpc.GrpcWebAsync(
                http11, server.HttpAddress!, NormalizePath, RawGrpc.Frame(new NormalizeRequest { Text = new string('ب', 300_000) }.ToByteArray()), headers: key);
            Assert.Equal((int)StatusCode.ResourceExhausted, webStatus.Grpc);

            // A small message still fits in what is left.
            var small = await RawGrpc.GrpcAsync(h2, server.Address, NormalizePath, RawGrpc.Frame(new NormalizeRequest { Text = "مرحبا" }.ToByteArray()), key);
            Assert.Equal(0, small.Grpc);

            // A's client goes away without finishing: its share comes back, and a 700 KB message is served again.
            await abortHeld.CancelAsync();
            await WaitForAsync(() => budget.HeldBytes == 0, "the abandoned request's bytes to be given back");
            var whole = await RawGrpc.GrpcAsync(
                h2, server.Address, NormalizePath, RawGrpc.Frame(new NormalizeRequest { Text = new string('ب', 300_000) }.ToByteArray()), key);
            Assert.Equal(0, whole.Grpc);
            Assert.Equal(0, budget.HeldBytes);
        }
        finally
        {
            held.Release();
            await abortHeld.CancelAsync();
            try
            {
                (await heldCall).Dispose();
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
            {
            }
        }
    }

    [Fact]
    public async Task Open_health_and_reflection_requests_are_read_only_up_to_a_small_size()
    {
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:Auth:WriteKeys:0", WriteKey]);
        using var channel = server.Channel();

        // Health and reflection need no key; a request of theirs is refused past 16 KB, before it is held in full.
        var health = new Health.HealthClient(channel);
        var check = await Assert.ThrowsAsync<RpcException>(async () => await health.CheckAsync(new HealthCheckRequest { Service = new string('x', 100_000) }));
        Assert.Equal(StatusCode.ResourceExhausted, check.StatusCode);
        using (var watch = health.Watch(new HealthCheckRequest { Service = new string('x', 100_000) }))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await watch.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        }

        using (var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo())
        {
            try
            {
                await reflection.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { FileContainingSymbol = new string('x', 100_000) });
            }
            catch (RpcException)
            {
                // The server may refuse the call, and end it, before the client has written all of the message (the
                // point: it stops reading past 16 KB); the call's status below is what it answered.
            }

            var refused = await Assert.ThrowsAsync<RpcException>(async () => await reflection.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        }

        // Ordinary ones are answered.
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Health_watch_streams_beyond_the_cap_get_resource_exhausted_and_check_stays_open()
    {
        await using var server = await ConfiguredServer.StartAsync(["--TextSearch:Auth:WriteKeys:0", WriteKey, "--TextSearch:Limits:MaxHealthWatchers", "2"]);
        using var channel = server.Channel();
        var health = new Health.HealthClient(channel);

        var first = health.Watch(new HealthCheckRequest());
        var second = health.Watch(new HealthCheckRequest());
        try
        {
            Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));
            Assert.True(await second.ResponseStream.MoveNext(CancellationToken.None));

            using var third = health.Watch(new HealthCheckRequest());
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await third.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
            Assert.Contains("Watch", refused.Status.Detail, StringComparison.Ordinal);

            // Check is not counted, and needs no key.
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
            }
        }
        finally
        {
            first.Dispose();
        }

        // One stream closed: a new one is admitted (once the server has seen the first one go).
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var again = health.Watch(new HealthCheckRequest());
            try
            {
                Assert.True(await again.ResponseStream.MoveNext(CancellationToken.None));
                break;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }
        }

        second.Dispose();
    }
}
