namespace TextSearch.Server.Services;

/// <summary>Services that stay open and uncounted: health probes and reflection must answer under load and without keys.</summary>
internal static class ExemptMethods
{
    public static bool IsExempt(string method) =>
        method.StartsWith("/grpc.health.v1.", StringComparison.Ordinal)
        || method.StartsWith("/grpc.reflection.", StringComparison.Ordinal);
}
