using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TextSearch.Search.Elasticsearch.Client;

// The typed shapes of the Elasticsearch REST API this engine uses, serialized by System.Text.Json source generation
// (EsJson below). Request bodies whose shape is the query DSL are built as JsonNode trees (EsQuery, IndexDefinition);
// everything else is typed here. Only the fields we read are declared; Elasticsearch's other fields are ignored.

/// <summary>A document as stored in Elasticsearch: the original fields in _source, plus the term fields analyzed by our core.</summary>
internal sealed record EsDocument
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("body")]
    public string? Body { get; init; }

    [JsonPropertyName("source")]
    public string? Source { get; init; }

    [JsonPropertyName("published_at")]
    public string? PublishedAt { get; init; }

    [JsonPropertyName("metadata")]
    public Dictionary<string, string>? Metadata { get; init; }

    [JsonPropertyName(EsFields.TitleTerms)]
    public string? TitleTerms { get; init; }

    [JsonPropertyName(EsFields.BodyTerms)]
    public string? BodyTerms { get; init; }

    [JsonPropertyName(EsFields.TitleExact)]
    public string? TitleExact { get; init; }

    [JsonPropertyName(EsFields.BodyExact)]
    public string? BodyExact { get; init; }
}

/// <summary>The action line of a bulk index operation: <c>{"index":{"_id":"…"}}</c>.</summary>
internal sealed record BulkAction([property: JsonPropertyName("index")] BulkActionTarget Index);

internal sealed record BulkActionTarget([property: JsonPropertyName("_id")] string Id);

/// <summary>An error object: <c>{"type","reason","caused_by","root_cause","failed_shards"}</c>.</summary>
internal sealed record EsErrorCause
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    [JsonPropertyName("caused_by")]
    public EsErrorCause? CausedBy { get; init; }

    [JsonPropertyName("root_cause")]
    public List<EsErrorCause>? RootCause { get; init; }

    [JsonPropertyName("failed_shards")]
    public List<EsShardFailure>? FailedShards { get; init; }
}

internal sealed record EsShardFailure
{
    [JsonPropertyName("shard")]
    public int Shard { get; init; }

    [JsonPropertyName("index")]
    public string? Index { get; init; }

    [JsonPropertyName("reason")]
    public EsErrorCause? Reason { get; init; }
}

/// <summary>An error response: <c>{"error": {…} or "…", "status": 404}</c>.</summary>
internal sealed record EsErrorResponse
{
    [JsonPropertyName("error")]
    public JsonElement Error { get; init; }

    [JsonPropertyName("status")]
    public int Status { get; init; }
}

internal sealed record BulkResponse
{
    [JsonPropertyName("took")]
    public long Took { get; init; }

    [JsonPropertyName("errors")]
    public bool Errors { get; init; }

    /// <summary>One entry per operation, in request order, keyed by the action (index, create, update, delete).</summary>
    [JsonPropertyName("items")]
    public List<Dictionary<string, BulkItemResult>> Items { get; init; } = [];
}

internal sealed record BulkItemResult
{
    [JsonPropertyName("_index")]
    public string? Index { get; init; }

    [JsonPropertyName("_id")]
    public string? Id { get; init; }

    [JsonPropertyName("status")]
    public int Status { get; init; }

    [JsonPropertyName("result")]
    public string? Result { get; init; }

    [JsonPropertyName("error")]
    public EsErrorCause? Error { get; init; }
}

internal sealed record GetResponse
{
    [JsonPropertyName("_id")]
    public string? Id { get; init; }

    [JsonPropertyName("found")]
    public bool Found { get; init; }

    [JsonPropertyName("_source")]
    public EsDocument? Source { get; init; }
}

internal sealed record DeleteResponse
{
    [JsonPropertyName("_id")]
    public string? Id { get; init; }

    /// <summary>deleted or not_found.</summary>
    [JsonPropertyName("result")]
    public string? Result { get; init; }
}

internal sealed record CountResponse
{
    [JsonPropertyName("count")]
    public long Count { get; init; }
}

internal sealed record ClusterHealthResponse
{
    [JsonPropertyName("cluster_name")]
    public string? ClusterName { get; init; }

    /// <summary>green, yellow or red.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("timed_out")]
    public bool TimedOut { get; init; }
}

internal sealed record SearchResponse
{
    [JsonPropertyName("took")]
    public long Took { get; init; }

    [JsonPropertyName("timed_out")]
    public bool TimedOut { get; init; }

    [JsonPropertyName("_shards")]
    public ShardsInfo? Shards { get; init; }

    [JsonPropertyName("hits")]
    public SearchHits Hits { get; init; } = new();
}

internal sealed record ShardsInfo
{
    [JsonPropertyName("total")]
    public int Total { get; init; }

    [JsonPropertyName("successful")]
    public int Successful { get; init; }

    [JsonPropertyName("failed")]
    public int Failed { get; init; }

    [JsonPropertyName("failures")]
    public List<EsShardFailure>? Failures { get; init; }
}

internal sealed record SearchHits
{
    [JsonPropertyName("total")]
    public TotalHits? Total { get; init; }

    [JsonPropertyName("hits")]
    public List<SearchHit> Hits { get; init; } = [];
}

internal sealed record TotalHits
{
    [JsonPropertyName("value")]
    public long Value { get; init; }

    /// <summary>eq, or gte when the count was not tracked to the end.</summary>
    [JsonPropertyName("relation")]
    public string? Relation { get; init; }
}

internal sealed record SearchHit
{
    [JsonPropertyName("_id")]
    public string? Id { get; init; }

    [JsonPropertyName("_score")]
    public float? Score { get; init; }

    [JsonPropertyName("_source")]
    public EsDocument? Source { get; init; }

    /// <summary>The sort values: [score, id].</summary>
    [JsonPropertyName("sort")]
    public List<JsonElement>? Sort { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(EsDocument))]
[JsonSerializable(typeof(BulkAction))]
[JsonSerializable(typeof(EsErrorResponse))]
[JsonSerializable(typeof(EsErrorCause))]
[JsonSerializable(typeof(BulkResponse))]
[JsonSerializable(typeof(GetResponse))]
[JsonSerializable(typeof(DeleteResponse))]
[JsonSerializable(typeof(CountResponse))]
[JsonSerializable(typeof(ClusterHealthResponse))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class EsJson : JsonSerializerContext;

/// <summary>Field names of the index.</summary>
internal static class EsFields
{
    public const string Id = "id";
    public const string Title = "title";
    public const string Body = "body";
    public const string Source = "source";
    public const string PublishedAt = "published_at";
    public const string Metadata = "metadata";

    /// <summary>Stems of the title, computed by our core; stopwords are a placeholder token the field's analyzer drops.</summary>
    public const string TitleTerms = "title_terms";

    /// <summary>Stems of the body (after the title when RankingOptions.TitleInBody).</summary>
    public const string BodyTerms = "body_terms";

    /// <summary>Normalized, unstemmed terms of the title.</summary>
    public const string TitleExact = "title_exact";

    /// <summary>Normalized, unstemmed terms of the body (after the title when RankingOptions.TitleInBody).</summary>
    public const string BodyExact = "body_exact";

    /// <summary>The fields a hit returns: the original document.</summary>
    public static readonly string[] Original = [Id, Title, Body, Source, PublishedAt, Metadata];

    public static readonly string[] Terms = [TitleTerms, BodyTerms, TitleExact, BodyExact];
}
