namespace TextSearch.Server.Hosting;

/// <summary>Says at start-up where each side of the server listens.</summary>
internal static partial class StartupLog
{
    public static void Listening(IServiceProvider services)
    {
        var listeners = services.GetRequiredService<Listeners>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("TextSearch.Server");
        LogGrpc(logger, string.Join(", ", listeners.Grpc));
        if (listeners.Http.Count > 0)
        {
            var http = listeners.Http[0];
            LogHttp(logger, string.Join(", ", listeners.Http), http, new Uri(http, "v1/search?query=…"), new Uri(http, "metrics"));
        }
        else
        {
            LogNoHttp(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "gRPC (HTTP/2) on {Addresses}")]
    private static partial void LogGrpc(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP/1.1 (JSON API, gRPC-Web, web page, metrics) on {Addresses}: search page {Page}, JSON {Json}, Prometheus {Metrics}")]
    private static partial void LogHttp(ILogger logger, string addresses, Uri page, Uri json, Uri metrics);

    [LoggerMessage(Level = LogLevel.Information, Message = "The HTTP/1.1 side is off (TextSearch:HttpUrl is empty)")]
    private static partial void LogNoHttp(ILogger logger);
}
