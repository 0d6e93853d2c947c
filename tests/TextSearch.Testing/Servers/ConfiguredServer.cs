using System.Collections.Concurrent;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TextSearch.Server.Hosting;

namespace TextSearch.Testing;

/// <summary>
/// An in-process server like <see cref="ServerFixture"/>, with extra configuration (limits, keys, TLS) and every log
/// line captured, for tests that need their own settings.
/// </summary>
public sealed class ConfiguredServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ConfiguredServer(WebApplication app, string indexPath, CapturingLoggerProvider logs)
    {
        _app = app;
        IndexPath = indexPath;
        Logs = logs;
        var listeners = app.Services.GetRequiredService<Listeners>();
        Address = listeners.Grpc[0];
        HttpAddress = listeners.Http.Count > 0 ? listeners.Http[0] : null;
    }

    public string IndexPath { get; }

    public Uri Address { get; }

    /// <summary>The HTTP/1.1 side, unless the test switched it off.</summary>
    public Uri? HttpAddress { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    public GrpcChannel Channel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress(Address, options ?? new GrpcChannelOptions());

    public static async Task<ConfiguredServer> StartAsync(IEnumerable<string> settings, string scheme = "http", string seedsPath = "")
    {
        var indexPath = Path.Combine(Path.GetTempPath(), "textsearch-tests", Guid.NewGuid().ToString("N"));
        var logs = new CapturingLoggerProvider();
        var args = new List<string>
        {
            "--urls", $"{scheme}://127.0.0.1:0",
            "--TextSearch:HttpUrl", $"{scheme}://127.0.0.1:0",
            "--TextSearch:IndexPath", indexPath,
            "--TextSearch:SeedsPath", seedsPath,
            "--Logging:LogLevel:Default", "Debug",
        };
        args.AddRange(settings);
        var app = TextSearchServer.Build([.. args], b => b.Logging.AddProvider(logs));
        await app.StartAsync();
        return new ConfiguredServer(app, indexPath, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(IndexPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Keeps every formatted log message (and exception text) in memory.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception} {state}");
        }
    }
}
