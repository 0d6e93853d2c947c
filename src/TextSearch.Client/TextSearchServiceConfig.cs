using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using TextSearch.V1;

namespace TextSearch.Client;

/// <summary>
/// The gRPC channel settings behind a <see cref="TextSearchClient"/>: a retry policy for UNAVAILABLE on every unary
/// TextSearch RPC (not on BulkUpsertDocuments, which <see cref="TextSearchClient.IndexAsync"/> retries batch by batch).
/// Use it when you build the <see cref="GrpcChannel"/> yourself.
/// </summary>
public static class TextSearchServiceConfig
{
    /// <summary>The service config with the retry policy of <paramref name="options"/> (none when MaxAttempts is 1).</summary>
    public static ServiceConfig Create(TextSearchClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new ServiceConfig();
        if (options.MaxAttempts <= 1)
        {
            return config;
        }

        var method = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = options.MaxAttempts,
                InitialBackoff = options.InitialBackoff,
                MaxBackoff = options.MaxBackoff,
                BackoffMultiplier = options.BackoffMultiplier,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        method.Names.Add(new MethodName { Service = NormalizationService.Descriptor.FullName });
        method.Names.Add(new MethodName { Service = SearchService.Descriptor.FullName });
        foreach (var name in UnaryDocumentMethods)
        {
            method.Names.Add(new MethodName { Service = DocumentService.Descriptor.FullName, Method = name });
        }

        config.MethodConfigs.Add(method);
        return config;
    }

    /// <summary>Applies the service config and the retry limits of <paramref name="options"/> to channel options.</summary>
    public static void Apply(GrpcChannelOptions channelOptions, TextSearchClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(channelOptions);
        ArgumentNullException.ThrowIfNull(options);
        channelOptions.ServiceConfig = Create(options);
        channelOptions.MaxRetryAttempts = Math.Max(options.MaxAttempts, 1);
    }

    private static readonly string[] UnaryDocumentMethods = ["UpsertDocument", "GetDocument", "DeleteDocument"];
}
