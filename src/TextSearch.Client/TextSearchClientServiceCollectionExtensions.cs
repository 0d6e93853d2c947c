using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TextSearch.Client;

// The conventional namespace of IServiceCollection extensions, so they show up without a using.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers <see cref="TextSearchClient"/> with Grpc.Net.ClientFactory.</summary>
public static class TextSearchClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TextSearchClient"/> (transient, over a pooled HTTP/2 connection from
    /// IHttpClientFactory) configured by <paramref name="configure"/>. The options are validated when the client is
    /// first resolved (and at host start). The returned builder configures the underlying HTTP client; chain e.g.
    /// <c>.EnableCallContextPropagation()</c> (package Grpc.AspNetCore.Server.ClientFactory) inside an ASP.NET Core gRPC
    /// service so incoming deadlines and cancellation flow to TextSearch calls.
    /// </summary>
    public static IHttpClientBuilder AddTextSearchClient(this IServiceCollection services, Action<TextSearchClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TextSearchClientOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>
    /// Registers <see cref="TextSearchClient"/> bound to a configuration section (e.g. <c>TextSearch:Client</c> with
    /// <c>Address</c>, <c>ApiKey</c>, <c>Timeout</c> ...). See <see cref="AddTextSearchClient(IServiceCollection, Action{TextSearchClientOptions})"/>.
    /// </summary>
    public static IHttpClientBuilder AddTextSearchClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TextSearchClientOptions>().Bind(configuration);
        return AddCore(services);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        services.AddOptions<TextSearchClientOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TextSearchClientOptions>, TextSearchClientOptionsValidator>());
        return services
            .AddGrpcClient<TextSearchClient>((provider, factory) =>
            {
                var options = provider.GetRequiredService<IOptions<TextSearchClientOptions>>().Value;
                factory.Address = options.Address;
            })
            .ConfigureChannel((provider, channel) =>
                TextSearchServiceConfig.Apply(channel, provider.GetRequiredService<IOptions<TextSearchClientOptions>>().Value))
            .ConfigureGrpcClientCreator((provider, invoker) =>
                new TextSearchClient(invoker, provider.GetRequiredService<IOptions<TextSearchClientOptions>>().Value));
    }

    private sealed class TextSearchClientOptionsValidator : IValidateOptions<TextSearchClientOptions>
    {
        public ValidateOptionsResult Validate(string? name, TextSearchClientOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
