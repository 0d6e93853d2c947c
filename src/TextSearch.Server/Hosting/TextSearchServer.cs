using Microsoft.Extensions.Options;
using TextSearch.Analysis;
using TextSearch.Search;
using TextSearch.Search.Elasticsearch;
using TextSearch.Search.Ingestion;
using TextSearch.Search.Lucene;
using TextSearch.Search.Query;
using TextSearch.Search.Snippets;
using TextSearch.Server.Observability;
using TextSearch.Server.Services;
using TextSearch.Server.Web;

namespace TextSearch.Server.Hosting;

/// <summary>Builds the server; Program.cs and the in-process integration tests both use it.</summary>
public static class TextSearchServer
{
    /// <summary>
    /// The embedded engine's settings: <c>TextSearch:Lucene</c> (buffers, batches, compaction, verification; see
    /// <see cref="LuceneOptions"/>), with the index path and the ranking from <c>TextSearch:IndexPath</c> and
    /// <c>TextSearch:Ranking</c>, which the other engines share.
    /// </summary>
    public static LuceneOptions LuceneOptionsFrom(IConfiguration configuration, TextSearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        const string section = $"{TextSearchOptions.Section}:Lucene";
        var lucene = configuration.GetSection(section).Get<LuceneOptions>() ?? new LuceneOptions();
        if (lucene.Problems() is { Count: > 0 } problems)
        {
            throw new OptionsValidationException(section, typeof(LuceneOptions), [.. problems.Select(p => $"{section}:{p}")]);
        }

        lucene.IndexPath = Path.GetFullPath(options.IndexPath);
        lucene.Ranking = options.Ranking;
        return lucene;
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var (hostArgs, urls) = Listeners.TakeUrlsArgument(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = hostArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        var tls = builder.Configuration.GetSection($"{TextSearchOptions.Section}:Tls").Get<TlsOptions>() ?? new TlsOptions();
        Listeners.Configure(builder, urls, tls.Enabled ? TlsCertificate.Load(tls) : null);

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
            services.AddSingleton<ISearchBackend>(sp => new LuceneBackend(
                LuceneOptionsFrom(builder.Configuration, sp.GetRequiredService<IOptions<TextSearchOptions>>().Value),
                sp.GetRequiredService<TextAnalyzer>(),
                sp.GetRequiredService<ILogger<LuceneBackend>>()));
        }

        services.AddSingleton<QueryParser>();
        services.AddSingleton<SnippetBuilder>();
        services.AddSingleton(sp =>
        {
            var budgetMs = sp.GetRequiredService<IOptions<TextSearchOptions>>().Value.Limits.QueryTimeBudgetMs;
            return new SearchEngine(sp.GetRequiredService<ISearchBackend>(), sp.GetRequiredService<QueryParser>(), sp.GetRequiredService<SnippetBuilder>())
            {
                QueryTimeBudget = budgetMs > 0 ? TimeSpan.FromMilliseconds(budgetMs) : Timeout.InfiniteTimeSpan,
            };
        });
        services.AddSingleton<ISearchEngine>(sp => sp.GetRequiredService<SearchEngine>());
        services.AddSingleton<SeedIngestor>();
        services.AddSingleton<StartupState>();
        services.AddHostedService<SeedsHostedService>();

        // API keys and the concurrency cap are applied by AdmissionMiddleware, before any request body is read; the
        // interceptors map errors (request stream frames, then the engine's and the services').
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<RequestBodyBudget>();
        var limits = builder.Configuration.GetSection($"{TextSearchOptions.Section}:Limits").Get<LimitsOptions>() ?? new LimitsOptions();
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<RequestStreamInterceptor>();
            o.Interceptors.Add<ErrorInterceptor>();
            o.EnableDetailedErrors = false;
            o.MaxReceiveMessageSize = limits.MaxReceiveMessageBytes > 0 ? limits.MaxReceiveMessageBytes : null;
        })
        // Reflection is open to all, as is health (whose requests RequestValidationMiddleware bounds): its requests
        // are small, and gRPC need not hold megabytes of them for anyone.
        .AddServiceOptions<Grpc.Reflection.ReflectionServiceImpl>(o => o.MaxReceiveMessageSize = RequestValidationMiddleware.ExemptMaxMessageBytes)
        .AddServiceOptions<Grpc.Reflection.ReflectionV1ServiceImpl>(o => o.MaxReceiveMessageSize = RequestValidationMiddleware.ExemptMaxMessageBytes)
        .AddJsonTranscoding(o =>
        {
            // Error details (google.rpc.BadRequest) are written into JSON errors as Any: the type must be known.
            o.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(Google.Rpc.BadRequest.Descriptor);
        });
        var corsOrigins = builder.Configuration.GetSection($"{TextSearchOptions.Section}:{nameof(TextSearchOptions.CorsOrigins)}").Get<string[]>() ?? [];
        services.AddCors(o => o.AddDefaultPolicy(p => p
            .WithOrigins(corsOrigins)
            .AllowAnyMethod()
            .WithHeaders("content-type", "authorization", "x-api-key", "x-grpc-web", "x-user-agent", "grpc-timeout")
            .WithExposedHeaders("grpc-status", "grpc-message", "grpc-encoding", "grpc-accept-encoding")));

        // SIGTERM: stop accepting calls, let the ones in flight finish (up to this long), then dispose the engine,
        // which drains its write queue and commits.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<EngineHealthCheck>("engine");

        builder.AddTextSearchObservability(); // metrics, tracing, per-call logs (Observability/)

        var app = builder.Build();

        OpenEmbeddedIndex(app.Services);
        app.UseMiddleware<HttpHostGuard>();
        app.UseRouting();
        // Right after routing (so JSON-transcoded calls are known by their endpoint): sees every call, also those
        // answered by the middlewares below.
        app.UseTextSearchObservability();
        // CORS first, so that a browser can read the status of a call turned away below.
        app.UseCors();
        // Keys, the concurrency cap and the health Watch cap, decided on the routed method before any body is read.
        app.UseMiddleware<AdmissionMiddleware>();
        app.UseMiddleware<DefaultDeadlineMiddleware>();
        // gRPC-Web (binary and text) for every service, so browsers can call the same API over HTTP/1.1.
        // GrpcWebTextMiddleware keeps the web server's body reader usable when gRPC-Web text is not base64.
        app.UseMiddleware<GrpcWebTextMiddleware>();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        // Reads and judges unary request messages, within the shared budget of buffered request bytes.
        app.UseMiddleware<RequestValidationMiddleware>();
        app.MapGrpcService<NormalizationGrpcService>();
        app.MapGrpcService<SearchGrpcService>();
        app.MapGrpcService<DocumentGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapHealthChecks("/healthz");
        app.MapWebPage();
        app.Lifetime.ApplicationStarted.Register(() => StartupLog.Listening(app.Services));
        return app;
    }

    /// <summary>
    /// Opens the embedded index now: one that cannot be opened (damaged, locked, on a full volume) stops the start
    /// with an <see cref="IndexUnusableException"/>, whose one line Program prints, before anything listens. Invalid
    /// options are left to the start, which reports them.
    /// </summary>
    private static void OpenEmbeddedIndex(IServiceProvider services)
    {
        TextSearchOptions options;
        try
        {
            options = services.GetRequiredService<IOptions<TextSearchOptions>>().Value;
        }
        catch (OptionsValidationException)
        {
            return;
        }

        if (TextSearchOptions.IsLucene(options.Engine))
        {
            services.GetRequiredService<ISearchBackend>();
        }
    }
}
