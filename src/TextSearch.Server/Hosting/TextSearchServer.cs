using Microsoft.Extensions.Options;
using TextSearch.Analysis;
using TextSearch.Search;
using TextSearch.Search.Elasticsearch;
using TextSearch.Search.Ingestion;
using TextSearch.Search.Lucene;
using TextSearch.Search.Query;
using TextSearch.Search.Snippets;
using TextSearch.Server.Services;

namespace TextSearch.Server.Hosting;

/// <summary>Builds the server; Program.cs and the in-process integration tests both use it.</summary>
public static class TextSearchServer
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        var services = builder.Services;
        services.AddOptions<TextSearchOptions>().BindConfiguration(TextSearchOptions.Section).Validate(
            o => TextSearchOptions.IsLucene(o.Engine) || TextSearchOptions.IsElasticsearch(o.Engine),
            "TextSearch:Engine must be 'Lucene' (the default) or 'Elasticsearch'.").ValidateOnStart();

        services.AddSingleton(sp => new TextAnalyzer(sp.GetRequiredService<IOptions<TextSearchOptions>>().Value.Analysis.ToAnalyzerOptions()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TextSearchOptions>>().Value.Ranking);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TextSearchOptions>>().Value;
            var path = string.IsNullOrWhiteSpace(options.SynonymsPath)
                ? Path.Combine(AppContext.BaseDirectory, "synonyms.txt")
                : Path.GetFullPath(options.SynonymsPath);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"TextSearch:SynonymsPath '{path}' does not exist.");
            }

            return SynonymMap.Parse(File.ReadAllText(path), sp.GetRequiredService<TextAnalyzer>());
        });
        if (TextSearchOptions.IsElasticsearch(builder.Configuration[$"{TextSearchOptions.Section}:Engine"]))
        {
            services.AddElasticsearchBackend(builder.Configuration);
        }
        else
        {
            services.AddSingleton<ISearchBackend>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<TextSearchOptions>>().Value;
                return new LuceneBackend(
                    new LuceneOptions { IndexPath = Path.GetFullPath(options.IndexPath), Ranking = options.Ranking },
                    sp.GetRequiredService<TextAnalyzer>(),
                    sp.GetRequiredService<ILogger<LuceneBackend>>());
            });
        }

        services.AddSingleton<QueryParser>();
        services.AddSingleton<SnippetBuilder>();
        services.AddSingleton<SearchEngine>();
        services.AddSingleton<SeedIngestor>();
        services.AddSingleton<StartupState>();
        services.AddHostedService<SeedsHostedService>();

        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ErrorInterceptor>();
            o.EnableDetailedErrors = false;
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<EngineHealthCheck>("engine");

        var app = builder.Build();
        app.MapGrpcService<NormalizationGrpcService>();
        app.MapGrpcService<SearchGrpcService>();
        app.MapGrpcService<DocumentGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
