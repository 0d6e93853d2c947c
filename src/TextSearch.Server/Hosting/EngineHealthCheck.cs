using Microsoft.Extensions.Diagnostics.HealthChecks;
using TextSearch.Search;

namespace TextSearch.Server.Hosting;

/// <summary>Feeds grpc.health.v1: SERVING once start-up is done and the engine answers.</summary>
public sealed class EngineHealthCheck(ISearchBackend backend, StartupState state) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!state.Ready)
        {
            return HealthCheckResult.Unhealthy("starting");
        }

        return await backend.CheckHealthAsync(cancellationToken).ConfigureAwait(false) == BackendHealth.Serving
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"{backend.Name} engine is not serving");
    }
}
