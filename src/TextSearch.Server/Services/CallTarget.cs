using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace TextSearch.Server.Services;

/// <summary>How a call arrived.</summary>
internal enum CallTransport
{
    Grpc,
    GrpcWeb,
    GrpcWebText,

    /// <summary>Plain HTTP with JSON (transcoding from the protos' google.api.http annotations).</summary>
    Json,
}

/// <summary>
/// The gRPC method a request was routed to, taken from the endpoint's method descriptor. Routing matches paths
/// without regard to case, so the raw request path (and <see cref="ServerCallContext.Method"/>, which is that path)
/// may name the same method in another case; every decision about a call (keys, limits, exemptions, deadlines,
/// validation, metric labels) is made on this instead. Resolved once per request, right after routing, before the
/// gRPC-Web middleware rewrites the content type, and kept in the request's features.
/// </summary>
internal sealed class CallTarget
{
    private CallTarget(IMethod method, CallTransport transport)
    {
        Method = method;
        Transport = transport;
        IsExempt = ExemptMethods.IsExempt(method.ServiceName);
        IsHealthWatch = method.ServiceName == Grpc.Health.V1.Health.Descriptor.FullName && method.Name == "Watch";
        IsWrite = method.ServiceName == V1.DocumentService.Descriptor.FullName;
    }

    /// <summary>The method as declared: its canonical service name, name, full name (/service/method) and type.</summary>
    public IMethod Method { get; }

    public CallTransport Transport { get; }

    /// <summary>Health or reflection: open without keys, not counted towards the concurrency cap, no default deadline.</summary>
    public bool IsExempt { get; }

    /// <summary>grpc.health.v1.Health/Watch, a long-lived stream counted against its own cap.</summary>
    public bool IsHealthWatch { get; }

    /// <summary>DocumentService: needs a write key.</summary>
    public bool IsWrite { get; }

    /// <summary>The call's target, or null when the request was not routed to a gRPC method (a web page, /metrics, an unknown method).</summary>
    public static CallTarget? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<CallTarget>() is { } known)
        {
            return known;
        }

        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method is not { } method)
        {
            return null;
        }

        var transport = endpoint.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null
            ? CallTransport.Json
            : TransportOf(context.Request.ContentType);
        var target = new CallTarget(method, transport);
        context.Features.Set(target);
        return target;
    }

    private static CallTransport TransportOf(string? contentType) =>
        IsContentType(contentType, "application/grpc-web-text") ? CallTransport.GrpcWebText
        : IsContentType(contentType, "application/grpc-web") ? CallTransport.GrpcWeb
        : CallTransport.Grpc;

    /// <summary>True for the media type itself or with a suffix (+proto) or parameters (;charset=…).</summary>
    internal static bool IsContentType(string? contentType, string mediaType) =>
        contentType is not null
        && contentType.StartsWith(mediaType, StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == mediaType.Length || contentType[mediaType.Length] is '+' or ';');
}
