using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TextSearch.V1;

namespace TextSearch.Testing;

/// <summary>A small gRPC server on 127.0.0.1 (h2c, ephemeral port) hosting the given service instances.</summary>
public sealed class FakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeServer(WebApplication app)
    {
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        Address = new Uri(addresses.Addresses.First());
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a server. <paramref name="configure"/> registers services (gRPC service instances as singletons);
    /// <paramref name="map"/> maps them.
    /// </summary>
    public static async Task<FakeServer> StartAsync(Action<IServiceCollection> configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        configure(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new FakeServer(app);
    }

    /// <summary>A server with one search service instance.</summary>
    public static Task<FakeServer> StartAsync<TService>(TService service)
        where TService : class =>
        StartAsync(s => s.AddSingleton(service), app => app.MapGrpcService<TService>());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What a fake service saw of one call.</summary>
public sealed record SeenCall(string Method, DateTime Deadline, string? Authorization, string? ApiKey, string? Custom);

/// <summary>
/// A SearchService that fails the first <see cref="FailFirst"/> calls with <see cref="FailWith"/>, then answers with
/// one hit whose title is the query. Every call is recorded.
/// </summary>
public sealed class ScriptedSearchService : SearchService.SearchServiceBase
{
    public ConcurrentQueue<SeenCall> Calls { get; } = new();

    public int FailFirst { get; set; }

    public StatusCode FailWith { get; set; } = StatusCode.Unavailable;

    /// <summary>When set, Search waits this long (honouring cancellation) before answering.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Completed with true when a call's cancellation token fires while it waits.</summary>
    public TaskCompletionSource<bool> CancellationSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when a call starts waiting.</summary>
    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task<SearchResponse> Search(SearchRequest request, ServerCallContext context)
    {
        Record(nameof(Search), context);
        if (Calls.Count <= FailFirst)
        {
            throw new RpcException(new Status(FailWith, $"scripted failure #{Calls.Count}"));
        }

        if (Delay > TimeSpan.Zero)
        {
            Waiting.TrySetResult();
            try
            {
                await Task.Delay(Delay, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                CancellationSeen.TrySetResult(true);
                throw;
            }
        }

        return new SearchResponse
        {
            TotalHits = 1,
            Hits = { new SearchHit { Id = "h1", Title = request.Query } },
            NormalizedQuery = request.Query,
        };
    }

    public override Task<SnippetResponse> Snippet(SnippetRequest request, ServerCallContext context)
    {
        Record(nameof(Snippet), context);
        throw new RpcException(new Status(StatusCode.NotFound, $"document '{request.DocumentId}' does not exist."));
    }

    private void Record(string method, ServerCallContext context) => Calls.Enqueue(new SeenCall(
        method,
        context.Deadline,
        context.RequestHeaders.GetValue("authorization"),
        context.RequestHeaders.GetValue("x-api-key"),
        context.RequestHeaders.GetValue("x-custom")));
}

/// <summary>
/// A DocumentService whose BulkUpsertDocuments reads the whole stream, records the ids of each call, and fails the
/// calls whose 1-based number is in <see cref="FailCalls"/> with <see cref="FailWith"/> (after reading them). A
/// document with the id "bad" is reported as a failure.
/// </summary>
public sealed class ScriptedDocumentService : DocumentService.DocumentServiceBase
{
    public ConcurrentQueue<IReadOnlyList<string>> BulkCalls { get; } = new();

    public ConcurrentQueue<SeenCall> Calls { get; } = new();

    public HashSet<int> FailCalls { get; } = [];

    public StatusCode FailWith { get; set; } = StatusCode.Unavailable;

    public override async Task<BulkUpsertDocumentsResponse> BulkUpsertDocuments(IAsyncStreamReader<UpsertDocumentRequest> requestStream, ServerCallContext context)
    {
        Calls.Enqueue(new SeenCall("Bulk", context.Deadline, context.RequestHeaders.GetValue("authorization"), context.RequestHeaders.GetValue("x-api-key"), null));
        var ids = new List<string>();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            ids.Add(request.Document.Id);
        }

        BulkCalls.Enqueue(ids);
        if (FailCalls.Contains(BulkCalls.Count))
        {
            throw new RpcException(new Status(FailWith, $"scripted failure of call #{BulkCalls.Count}"));
        }

        var response = new BulkUpsertDocumentsResponse();
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == "bad")
            {
                response.Failures.Add(new BulkFailure { Id = ids[i], Reason = "bad document", Index = i });
            }
            else
            {
                response.Upserted++;
            }
        }

        return response;
    }
}

public static class FakeServerExtensions
{
    public static void AddSingletonServices(this IServiceCollection services, params object[] instances)
    {
        foreach (var instance in instances)
        {
            services.AddSingleton(instance.GetType(), instance);
        }
    }

    public static void MapServices<T1, T2>(this WebApplication app)
        where T1 : class
        where T2 : class
    {
        app.MapGrpcService<T1>();
        app.MapGrpcService<T2>();
    }
}
