using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TextSearch.Server.Hosting;
using TextSearch.V1;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>
/// The real server, in-process (Kestrel on 127.0.0.1, h2c), configured for Elasticsearch at a closed port: it starts,
/// its health says NOT_SERVING, and calls fail with UNAVAILABLE (never INTERNAL or UNKNOWN) well before their deadline
/// (a call that waited for it would end DEADLINE_EXCEEDED); a cluster that comes up at that address later is picked up
/// without a restart. No test here times anything: how soon UNAVAILABLE comes is the retry policy's, checked on fake
/// time in TransportTests.
/// </summary>
public sealed class ServerTests : IAsyncLifetime
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);
    private WebApplication? _app;
    private GrpcChannel? _channel;

    public async Task InitializeAsync()
    {
        _app = Start(
            "--TextSearch:Engine", "Elasticsearch",
            "--TextSearch:Elasticsearch:Url", "http://127.0.0.1:1",
            "--TextSearch:Elasticsearch:Password", "not-logged",
            "--TextSearch:Elasticsearch:Username", "elastic");
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        _channel = GrpcChannel.ForAddress(addresses.Addresses.First());

        // The channel connected and the call path warm.
        await new NormalizationService.NormalizationServiceClient(_channel).NormalizeAsync(new NormalizeRequest { Text = "نص" }, deadline: DateTime.UtcNow.AddSeconds(10));
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await _app.DisposeAsync();
        }
    }

    private static WebApplication Start(params string[] args) => TextSearchServer.Build(
    [
        "--urls", "http://127.0.0.1:0",
        "--TextSearch:HttpUrl", "none",
        "--TextSearch:SeedsPath", Path.Combine(AppContext.BaseDirectory, "seeds"),
        "--Logging:LogLevel:Default", "Warning",
        .. args,
    ]);

    [Fact]
    public async Task Engine_is_elasticsearch_and_health_is_not_serving()
    {
        Assert.Equal("elasticsearch", _app!.Services.GetRequiredService<ISearchBackend>().Name);
        var health = await new Health.HealthClient(_channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + CallDeadline);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
    }

    [Fact]
    public async Task Search_fails_with_unavailable_within_its_deadline()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => new SearchService.SearchServiceClient(_channel)
            .SearchAsync(new SearchRequest { Query = "داعش" }, deadline: DateTime.UtcNow + CallDeadline).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains("cannot reach Elasticsearch at http://127.0.0.1:1/", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_calls_fail_with_unavailable()
    {
        var documents = new DocumentService.DocumentServiceClient(_channel);
        var upsert = await Assert.ThrowsAsync<RpcException>(() => documents.UpsertDocumentAsync(
            new UpsertDocumentRequest { Document = new V1.Document { Id = "x", Title = "عنوان", Body = "نص" } },
            deadline: DateTime.UtcNow + CallDeadline).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, upsert.StatusCode);
        Assert.Contains("cannot reach Elasticsearch", upsert.Status.Detail, StringComparison.Ordinal);
        var get = await Assert.ThrowsAsync<RpcException>(() => documents.GetDocumentAsync(
            new GetDocumentRequest { Id = "x" }, deadline: DateTime.UtcNow + CallDeadline).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, get.StatusCode);
        Assert.DoesNotContain("not-logged", get.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_that_need_no_engine_still_work()
    {
        var response = await new NormalizationService.NormalizationServiceClient(_channel)
            .NormalizeAsync(new NormalizeRequest { Text = "ٱلرَّحْمَٰنِ" }, deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal("الرحمن", response.Normalized);
    }

    [Fact]
    public async Task Wrong_credentials_leave_the_server_up_not_serving_with_the_reason()
    {
        // A real HTTP endpoint that refuses the credentials the way Elasticsearch does.
        var port = FreePort();
        using var listener = new System.Net.HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var seen = new List<string>();
        var serve = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (System.Net.HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                lock (seen)
                {
                    seen.Add($"{context.Request.HttpMethod} {context.Request.RawUrl} {context.Request.Headers["Authorization"]}");
                }

                context.Response.StatusCode = 401;
                context.Response.ContentType = "application/json";
                if (context.Request.HttpMethod != "HEAD")
                {
                    await context.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(ResponseContractTests.Unauthenticated));
                }

                context.Response.Close();
            }
        });

        await using var app = Start(
            "--TextSearch:Engine", "Elasticsearch",
            "--TextSearch:Elasticsearch:Url", $"http://127.0.0.1:{port}",
            "--TextSearch:Elasticsearch:Username", "elastic",
            "--TextSearch:Elasticsearch:Password", "wrong");
        // The server starts anyway: health stays NOT_SERVING and calls say why, until the credentials are fixed.
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(app.Services.GetRequiredService<TextSearch.Server.Hosting.StartupState>().Ready);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => app.Services.GetRequiredService<SearchEngine>()
            .SearchAsync(new SearchRequestModel("داعش"), default).WaitAsync(TimeSpan.FromSeconds(30)));
        await app.StopAsync();
        listener.Stop();
        await serve;

        Assert.Equal(ErrorKind.FailedPrecondition, ex.Kind);
        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Check TextSearch:Elasticsearch:ApiKey, or :Username and :Password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HEAD /textsearch Basic ZWxhc3RpYzp3cm9uZw==", seen);
    }

    [Fact]
    public async Task A_cluster_that_comes_back_is_picked_up_without_a_restart()
    {
        var port = Support.ListeningCluster.FreePort();
        await using var app = Start("--TextSearch:Engine", "Elasticsearch", "--TextSearch:Elasticsearch:Url", $"http://127.0.0.1:{port}");
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var channel = GrpcChannel.ForAddress(address);
        var health = new Health.HealthClient(channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);

        using var fake = new Support.FakeElasticsearch();
        await using (new Support.ListeningCluster(port, fake))
        {
            // The seeds are retried in the background; health follows the cluster.
            var watch = Stopwatch.StartNew();
            while ((await health.CheckAsync(new HealthCheckRequest())).Status != HealthCheckResponse.Types.ServingStatus.Serving)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "still not serving 30 s after the cluster came up");
                await Task.Delay(200);
            }

            var result = await new SearchService.SearchServiceClient(channel).SearchAsync(new SearchRequest { Query = "داعش" }, deadline: DateTime.UtcNow + CallDeadline);
            Assert.Equal(5, result.TotalHits);
        }

        await app.StopAsync();
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }

    [Theory]
    [InlineData("--TextSearch:Engine", "Solr", "TextSearch:Engine must be 'Lucene' (the default) or 'Elasticsearch'")]
    [InlineData("--TextSearch:Elasticsearch:Url", "not a url", "is not an http:// or https:// URL")]
    public async Task Bad_configuration_stops_the_start_with_the_reason(string key, string value, string message)
    {
        await using var app = Start("--TextSearch:Engine", "Elasticsearch", key, value);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
