using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TextSearch.Analysis;
using TextSearch.Search.Query;

namespace TextSearch.Search.Elasticsearch;

public static class ElasticsearchServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Elasticsearch engine as the <see cref="ISearchBackend"/>, with its settings bound from
    /// <c>TextSearch:Elasticsearch</c> and validated at start (a bad setting stops the host with a clear message; an
    /// unreachable cluster does not). It uses the host's <see cref="TextAnalyzer"/>, <see cref="RankingOptions"/>
    /// and <see cref="SynonymMap"/> when registered, the defaults otherwise.
    /// </summary>
    public static IServiceCollection AddElasticsearchBackend(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ElasticsearchOptions>().Bind(configuration.GetSection(ElasticsearchOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ElasticsearchOptions>, ElasticsearchOptionsValidator>();
        services.AddSingleton<ISearchBackend>(sp => new ElasticsearchBackend(
            sp.GetRequiredService<IOptions<ElasticsearchOptions>>().Value,
            sp.GetService<RankingOptions>() ?? new RankingOptions(),
            sp.GetService<TextAnalyzer>() ?? TextAnalyzer.Default,
            sp.GetService<SynonymMap>() ?? SynonymMap.Empty,
            sp.GetRequiredService<ILogger<ElasticsearchBackend>>()));
        return services;
    }

    private sealed class ElasticsearchOptionsValidator : IValidateOptions<ElasticsearchOptions>
    {
        public ValidateOptionsResult Validate(string? name, ElasticsearchOptions options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
