using TextSearch.Search;
using TextSearch.Server.Hosting;

// `TextSearch.Server healthcheck [URL]` asks a running server's grpc.health.v1 service and exits 0 when it is
// SERVING: container health checks need nothing else in the image.
if (args.Length > 0 && args[0] == "healthcheck")
{
    return await HealthProbe.RunAsync(args.Length > 1 ? args[1] : "http://127.0.0.1:50051").ConfigureAwait(false);
}

WebApplication app;
try
{
    app = TextSearchServer.Build(args);
}
catch (IndexUnusableException ex)
{
    // One line that names the index and says what to do; no stack trace.
    await Console.Error.WriteLineAsync("textsearch: " + ex.Message).ConfigureAwait(false);
    return 1;
}

await app.RunAsync().ConfigureAwait(false);
return 0;
