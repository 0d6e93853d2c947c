using TextSearch.Server.Hosting;

var app = TextSearchServer.Build(args);
await app.RunAsync().ConfigureAwait(false);
