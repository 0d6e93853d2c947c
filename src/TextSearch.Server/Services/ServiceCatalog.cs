using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace TextSearch.Server.Services;

/// <summary>The gRPC services the server maps, from their descriptors: one list for everything that needs them.</summary>
internal static class ServiceCatalog
{
    /// <summary>The TextSearch services (protos/textsearch/v1).</summary>
    public static readonly IReadOnlyList<ServiceDescriptor> TextSearch =
        [.. new[] { V1.NormalizationReflection.Descriptor, V1.SearchReflection.Descriptor, V1.DocumentsReflection.Descriptor }.SelectMany(f => f.Services)];

    /// <summary>Every service the server maps: TextSearch's, health and reflection.</summary>
    public static readonly IReadOnlyList<ServiceDescriptor> All =
        [.. TextSearch, .. Grpc.Health.V1.HealthReflection.Descriptor.Services, .. Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor.Services];
}
