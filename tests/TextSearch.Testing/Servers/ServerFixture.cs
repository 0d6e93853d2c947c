using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TextSearch.Server.Hosting;

namespace TextSearch.Testing;

/// <summary>
/// A real TextSearch server in-process: Kestrel on 127.0.0.1 with an ephemeral port (h2c), a fresh index in a
/// temporary folder, and the repository's seeds indexed at start, exactly as `dotnet run` does.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string IndexPath { get; } = Path.Combine(Path.GetTempPath(), "textsearch-tests", Guid.NewGuid().ToString("N"));

    public Uri Address { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>The HTTP/1.1 side: JSON API, gRPC-Web, web page, /metrics.</summary>
    public Uri HttpAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>The repository's seeds folder.</summary>
    public static string SeedsPath => FindUp("seeds");

    public async Task InitializeAsync()
    {
        _app = TextSearchServer.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--TextSearch:HttpUrl", "http://127.0.0.1:0",
            "--TextSearch:IndexPath", IndexPath,
            "--TextSearch:SeedsPath", SeedsPath,
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await _app.StartAsync().ConfigureAwait(false);
        var listeners = _app.Services.GetRequiredService<Listeners>();
        Address = listeners.Grpc[0];
        HttpAddress = listeners.Http[0];
        Channel = GrpcChannel.ForAddress(Address);
    }

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(IndexPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string FindUp(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, name);
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "TextSearch.sln")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"'{name}' not found above {AppContext.BaseDirectory}");
    }
}
