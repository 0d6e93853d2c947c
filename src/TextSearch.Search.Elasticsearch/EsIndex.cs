using System.Globalization;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Clients.Elasticsearch.Mapping;
using TextSearch.Analysis;
using TextSearch.Search.Query;

namespace TextSearch.Search.Elasticsearch;

/// <summary>The index's definition and alias, in the client's typed API.</summary>
internal static class EsIndex
{
    public const string Similarity = "textsearch_bm25";

    /// <summary>
    /// The mapping's <c>_meta</c> entry naming the revision of the variant keys its documents were written with
    /// (<see cref="VariantKey.Revision"/>): keys are computed here, not by Elasticsearch, so an index of another
    /// revision would match other words. Checked when the index is opened.
    /// </summary>
    public const string VariantKeysMeta = "textsearch_variant_keys";

    /// <summary>This version's <see cref="VariantKeysMeta"/>.</summary>
    public static readonly string Revision = VariantKey.Revision.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The analyzer a term field (<see cref="EsFields.Terms"/>) is indexed with: the variant keys through
    /// <see cref="ElasticsearchAnalysis.KeysAnalyzer"/>, which adds the number class at every number's position; every
    /// other term field through <see cref="ElasticsearchAnalysis.TermsAnalyzer"/>. Checked when an index is opened.
    /// </summary>
    public static string IndexAnalyzer(string field) =>
        field == EsFields.BodyKeys ? ElasticsearchAnalysis.KeysAnalyzer : ElasticsearchAnalysis.TermsAnalyzer;

    /// <summary>
    /// PUT /{index}-v{n}: settings (shards, replicas, an explicit refresh interval so refresh=wait_for never waits on
    /// an idle shard, BM25 with our k1/b, the generated analysis), strict mappings (positions only where phrases and
    /// proximity need them: the stem fields and the variant keys), and the alias as write index.
    /// </summary>
    public static CreateIndexRequest Create(ElasticsearchOptions options, RankingOptions ranking, AnalyzerOptions analysis, SynonymMap synonyms)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ranking);
        var properties = new Properties
        {
            [EsFields.Id] = new KeywordProperty(),
            [EsFields.Title] = NativeText(),
            [EsFields.Body] = NativeText(),
            [EsFields.Source] = new KeywordProperty { IgnoreAbove = 1024 },
            [EsFields.PublishedAt] = new DateProperty(),
            [EsFields.Metadata] = new ObjectProperty { Enabled = false },
        };
        foreach (var field in EsFields.Terms)
        {
            properties[field] = new TextProperty
            {
                Analyzer = IndexAnalyzer(field),
                SearchAnalyzer = field == EsFields.BodyKeys ? ElasticsearchAnalysis.TermsAnalyzer : null,
                Similarity = Similarity,
                IndexOptions = EsFields.TermByTerm.Contains(field) ? IndexOptions.Freqs : null,
            };
        }

        foreach (var field in EsFields.Keys)
        {
            properties[field] = new KeywordProperty();
        }

        return new CreateIndexRequest(options.VersionedIndex)
        {
            Settings = new IndexSettings
            {
                NumberOfShards = options.Shards,
                NumberOfReplicas = options.Replicas,
                RefreshInterval = "1s",
                Similarity = new SettingsSimilarities
                {
                    [Similarity] = new SettingsSimilarityBm25 { K1 = Exact(ranking.K1), B = Exact(ranking.B) },
                },
                Analysis = ElasticsearchAnalysis.Build(analysis, synonyms),
            },
            Mappings = new TypeMapping
            {
                Dynamic = DynamicMapping.Strict,
                Meta = new Dictionary<string, object> { [VariantKeysMeta] = Revision },
                Source = new SourceField { Excludes = [.. EsFields.Terms, .. EsFields.Keys] },
                Properties = properties,
            },
            Aliases = new Dictionary<Name, Alias> { [options.Index] = new Alias { IsWriteIndex = true } },
        };

        static TextProperty NativeText() => new()
        {
            Analyzer = ElasticsearchAnalysis.NativeAnalyzer,
            SearchAnalyzer = ElasticsearchAnalysis.NativeSearchAnalyzer,
            Similarity = Similarity,
        };
    }

    /// <summary>POST /_aliases: add the alias to an index that exists without it.</summary>
    public static UpdateAliasesRequest AddAlias(string index, string alias) => new()
    {
        Actions = [new IndexUpdateAliasesAction { Add = new AddAction { Index = index, Alias = alias, IsWriteIndex = true } }],
    };

    /// <summary>The double a float setting was written as (0.9f is 0.9, not 0.8999999761581421).</summary>
    public static double Exact(float value) =>
        double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
