using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TextSearch.Analysis;
using TextSearch.Search.Query;

namespace TextSearch.Search.Elasticsearch.Client;

/// <summary>The request bodies other than queries: index creation, alias, bulk NDJSON, search envelope.</summary>
internal static class EsRequests
{
    public const string Similarity = "textsearch_bm25";

    /// <summary>
    /// PUT /{index}-v{n}: settings (shards, replicas, an explicit refresh interval so refresh=wait_for never waits on
    /// an idle shard, BM25 with our k1/b, the generated analysis), strict mappings, and the alias as write index.
    /// </summary>
    public static JsonObject CreateIndex(ElasticsearchOptions options, RankingOptions ranking, AnalyzerOptions analysis, SynonymMap synonyms)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ranking);
        var properties = new JsonObject
        {
            [EsFields.Id] = new JsonObject { ["type"] = "keyword" },
            [EsFields.Title] = NativeText(),
            [EsFields.Body] = NativeText(),
            [EsFields.Source] = new JsonObject { ["type"] = "keyword", ["ignore_above"] = 1024 },
            [EsFields.PublishedAt] = new JsonObject { ["type"] = "date" },
            [EsFields.Metadata] = new JsonObject { ["type"] = "object", ["enabled"] = false },
        };
        foreach (var field in EsFields.Terms)
        {
            properties[field] = new JsonObject
            {
                ["type"] = "text",
                ["analyzer"] = ElasticsearchAnalysis.TermsAnalyzer,
                ["similarity"] = Similarity,
            };
        }

        return new JsonObject
        {
            ["settings"] = new JsonObject
            {
                ["number_of_shards"] = options.Shards,
                ["number_of_replicas"] = options.Replicas,
                ["refresh_interval"] = "1s",
                ["similarity"] = new JsonObject
                {
                    [Similarity] = new JsonObject { ["type"] = "BM25", ["k1"] = ranking.K1, ["b"] = ranking.B },
                },
                ["analysis"] = ElasticsearchAnalysis.Build(analysis, synonyms),
            },
            ["mappings"] = new JsonObject
            {
                ["dynamic"] = "strict",
                ["_source"] = new JsonObject { ["excludes"] = Array(EsFields.Terms) },
                ["properties"] = properties,
            },
            ["aliases"] = new JsonObject
            {
                [options.Index] = new JsonObject { ["is_write_index"] = true },
            },
        };

        static JsonObject NativeText() => new()
        {
            ["type"] = "text",
            ["analyzer"] = ElasticsearchAnalysis.NativeAnalyzer,
            ["search_analyzer"] = ElasticsearchAnalysis.NativeSearchAnalyzer,
            ["similarity"] = Similarity,
        };
    }

    /// <summary>POST /_aliases: add the alias to an index that exists without it.</summary>
    public static JsonObject AddAlias(string index, string alias) => new()
    {
        ["actions"] = new JsonArray(new JsonObject
        {
            ["add"] = new JsonObject { ["index"] = index, ["alias"] = alias, ["is_write_index"] = true },
        }),
    };

    /// <summary>
    /// POST /{alias}/_search: the query, sorted by score then id, search_after the cursor, exact total count, and
    /// only the original fields of _source.
    /// </summary>
    public static JsonObject Search(JsonObject query, int size, SearchCursor? after)
    {
        var body = new JsonObject
        {
            ["size"] = size,
            ["track_total_hits"] = true,
            ["_source"] = Array(EsFields.Original),
            ["query"] = query,
            ["sort"] = new JsonArray(
                new JsonObject { ["_score"] = new JsonObject { ["order"] = "desc" } },
                new JsonObject { [EsFields.Id] = new JsonObject { ["order"] = "asc" } }),
        };
        if (after is { } cursor)
        {
            // The float score widened to double prints exactly the value Elasticsearch returned.
            body["search_after"] = new JsonArray((double)cursor.Score, cursor.Id);
        }

        return body;
    }

    /// <summary>Appends one index operation (action line and document line) to an NDJSON bulk body.</summary>
    public static void AppendIndexOperation(Stream ndjson, string esId, EsDocument document)
    {
        using (var writer = new Utf8JsonWriter(ndjson, ElasticsearchClient.WriterOptions))
        {
            JsonSerializer.Serialize(writer, new BulkAction(new BulkActionTarget(esId)), EsJson.Default.BulkAction);
        }

        ndjson.WriteByte((byte)'\n');
        using (var writer = new Utf8JsonWriter(ndjson, ElasticsearchClient.WriterOptions))
        {
            JsonSerializer.Serialize(writer, document, EsJson.Default.EsDocument);
        }

        ndjson.WriteByte((byte)'\n');
    }

    /// <summary>The published_at value: UTC, ISO 8601 with 100 ns precision (Elasticsearch's date parses it; _source keeps it exact).</summary>
    public static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseDate(string? value) =>
        string.IsNullOrEmpty(value)
            ? null
            : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static JsonArray Array(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var v in values)
        {
            array.Add(v);
        }

        return array;
    }
}
