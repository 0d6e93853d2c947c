using System.Diagnostics;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TextSearch.Server.Hosting;
using TextSearch.V1;

namespace TextSearch.Relevance;

/// <summary>Indexes and searches through the gRPC API: a given server, or one started in-process on a temporary index.</summary>
public sealed class ServiceRunner : IAsyncDisposable
{
    private readonly WebApplication? _app;
    private readonly string? _indexPath;
    private readonly GrpcChannel _channel;

    private ServiceRunner(GrpcChannel channel, WebApplication? app, string? indexPath)
    {
        _channel = channel;
        _app = app;
        _indexPath = indexPath;
    }

    public static async Task<ServiceRunner> StartAsync(string? server, IReadOnlyList<string> settings)
    {
        if (server is not null)
        {
            return new ServiceRunner(GrpcChannel.ForAddress(server), null, null);
        }

        var index = Path.Combine(Path.GetTempPath(), "textsearch-eval", Guid.NewGuid().ToString("N"));
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0", "--TextSearch:HttpUrl", "none", "--TextSearch:IndexPath", index, "--TextSearch:SeedsPath", "",
            "--Logging:LogLevel:Default", "Warning",
        };
        foreach (var setting in settings)
        {
            var eq = setting.IndexOf('=', StringComparison.Ordinal);
            args.Add("--" + setting[..eq]);
            args.Add(setting[(eq + 1)..]);
        }

        var app = TextSearchServer.Build([.. args]);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetService(typeof(IServer)) is IServer s ? s.Features.Get<IServerAddressesFeature>()!.Addresses.First() : throw new InvalidOperationException();
        return new ServiceRunner(GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 << 20 }), app, index);
    }

    public async Task<(int Upserted, int Failed, TimeSpan Elapsed)> IndexAsync(IReadOnlyList<EvalDocument> documents)
    {
        var client = new DocumentService.DocumentServiceClient(_channel);
        var progress = new Progress("Indexing via gRPC", documents.Count);
        var watch = Stopwatch.StartNew();
        using var call = client.BulkUpsertDocuments();
        var sent = 0;
        foreach (var doc in documents)
        {
            await call.RequestStream.WriteAsync(new UpsertDocumentRequest
            {
                Document = new Document { Id = doc.Id, Title = doc.Title, Body = doc.Body },
            }).ConfigureAwait(false);
            if (++sent % 500 == 0)
            {
                progress.Report(sent);
            }
        }

        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        var response = await call;
        progress.Report(documents.Count);
        return (response.Upserted, response.Failures.Count, watch.Elapsed);
    }

    public async Task<IReadOnlyList<string>> SearchAsync(string question)
    {
        var client = new SearchService.SearchServiceClient(_channel);
        var response = await client.SearchAsync(new SearchRequest { Query = question, PageSize = 10 }).ConfigureAwait(false);
        return [.. response.Hits.Select(h => h.Id)];
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        if (_indexPath is not null && Directory.Exists(_indexPath))
        {
            Directory.Delete(_indexPath, recursive: true);
        }
    }
}
