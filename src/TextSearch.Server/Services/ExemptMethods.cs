namespace TextSearch.Server.Services;

/// <summary>
/// Services that stay open and uncounted: health probes and reflection must answer under load and without keys.
/// Decided on the canonical service name of the routed method's descriptor (<see cref="CallTarget"/>), never on the
/// request path, whose case the client chooses.
/// </summary>
internal static class ExemptMethods
{
    public static bool IsExempt(string serviceName) =>
        serviceName.StartsWith("grpc.health.v1.", StringComparison.Ordinal)
        || serviceName.StartsWith("grpc.reflection.", StringComparison.Ordinal);
}
