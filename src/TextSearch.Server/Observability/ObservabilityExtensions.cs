using Grpc.AspNetCore.Server;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TextSearch.Search;

namespace TextSearch.Server.Observability;

/// <summary>Settings under TextSearch:Observability.</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "TextSearch:Observability";

    /// <summary>
    /// Where to send traces and metrics over OTLP (e.g. http://collector:4317). Empty: the standard
    /// OTEL_EXPORTER_OTLP_ENDPOINT decides; when neither is set, nothing is exported and tracing stays off.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The path of the Prometheus scraping endpoint.</summary>
    public string MetricsPath { get; set; } = "/metrics";
}

/// <summary>
/// Wires metrics (Prometheus at /metrics, OTLP when configured), tracing (OTLP when configured) and the per-call
/// middleware and interceptor. Two calls in <see cref="Hosting.TextSearchServer"/>: <see cref="AddTextSearchObservability"/>
/// before the app is built and <see cref="UseTextSearchObservability"/> right after routing.
/// </summary>
public static class ObservabilityExtensions
{
    /// <summary>The name of the server's and the engine's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = SearchTelemetry.ActivitySourceName;

    /// <summary>The name of the server's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = TextSearchMetrics.MeterName;

    public static WebApplicationBuilder AddTextSearchObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<TextSearchMetrics>();
        services.AddSingleton<CallObservabilityInterceptor>();

        // First of all interceptors, whatever order the others were registered in.
        services.Configure<GrpcServiceOptions>(o =>
        {
            o.Interceptors.Add<CallObservabilityInterceptor>();
            var registration = o.Interceptors[^1];
            o.Interceptors.RemoveAt(o.Interceptors.Count - 1);
            o.Interceptors.Insert(0, registration);
        });

        Uri? endpoint = string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? null : new Uri(options.OtlpEndpoint);
        var otlp = endpoint is not null || !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        void ConfigureOtlp(OtlpExporterOptions o)
        {
            if (endpoint is not null)
            {
                o.Endpoint = endpoint;
            }
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "textsearch"))
            .WithMetrics(m =>
            {
                m.AddMeter(MeterName);
                // Every scrape reads the instruments afresh (the exporter's default caches a response for 300 ms).
                m.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp)
                {
                    m.AddOtlpExporter(ConfigureOtlp);
                }
            });
        if (otlp)
        {
            // Only with somewhere to send spans: otherwise no span is sampled or kept.
            telemetry.WithTracing(t => t
                .AddSource(ActivitySourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments(options.MetricsPath, StringComparison.Ordinal))
                .AddOtlpExporter(ConfigureOtlp));
        }

        return builder;
    }

    /// <summary>Adds the per-call middleware (call it right after UseRouting) and maps the Prometheus scraping endpoint.</summary>
    public static WebApplication UseTextSearchObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<CallObservabilityMiddleware>();
        app.MapPrometheusScrapingEndpoint(app.Services.GetRequiredService<ObservabilityOptions>().MetricsPath);
        return app;
    }
}
