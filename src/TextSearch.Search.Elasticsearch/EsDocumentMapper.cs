using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TextSearch.Analysis;

namespace TextSearch.Search.Elasticsearch;

/// <summary>
/// Turns a document into what Elasticsearch stores: the original fields (returned as they are), and the term
/// fields computed by our analysis core, so the tokens and their positions are exactly the embedded engine's.
/// A term field is the space-joined tokens of the text, each stopword replaced by
/// <see cref="ElasticsearchAnalysis.Placeholder"/>, which the field's analyzer drops while keeping its position.
/// </summary>
internal sealed class EsDocumentMapper(TextAnalyzer analyzer, RankingOptions ranking)
{
    /// <summary>Elasticsearch refuses _id values over 512 UTF-8 bytes; such ids (ours allow 256 characters) are hashed.</summary>
    public const int MaxEsIdBytes = 512;

    private readonly bool _exact = ranking.ExactBoost > 0;

    public TextAnalyzer Analyzer { get; } = analyzer;

    /// <summary>The _id a document id is stored under: itself, or, when too long for Elasticsearch, a hash that no valid id can equal (ids have no control characters).</summary>
    public static string EsId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Encoding.UTF8.GetByteCount(id) <= MaxEsIdBytes && id is not "." and not ".."
            ? id
            : "\u0001sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
    }

    public EsDocument ToEs(Document doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        // One analysis of each text gives its term fields and its completion terms.
        var suggest = new SuggestTermBuilder();
        var title = TermFields(doc.Title, suggest);
        var body = TermFields(doc.Body, suggest);
        if (ranking.TitleInBody && doc.Title.Length > 0)
        {
            // The title's tokens, then the body's, positions continuing (as the embedded engine's body field).
            body = body.Stems.Length == 0 ? title : new(title.Stems + " " + body.Stems, title.Exact + " " + body.Exact, title.Keys + " " + body.Keys);
        }

        return new EsDocument
        {
            Id = doc.Id,
            Title = doc.Title,
            Body = doc.Body,
            Source = doc.Source,
            PublishedAt = doc.PublishedAt is { } published ? FormatDate(published) : null,
            Metadata = doc.Metadata.Count == 0 ? null : new Dictionary<string, string>(doc.Metadata, StringComparer.Ordinal),
            TitleTerms = title.Stems,
            BodyTerms = body.Stems,
            TitleExact = _exact ? title.Exact : null,
            BodyExact = _exact ? body.Exact : null,
            BodyKeys = body.Keys,
            SourceKey = DocumentKeys.SourceKey(Analyzer, doc.Source) is { Length: > 0 } source ? source : null,
            MetadataPairs = doc.Metadata.Count == 0 ? null : [.. doc.Metadata.Select(m => DocumentKeys.MetadataPair(m.Key, m.Value)).Order(StringComparer.Ordinal)],
            Suggest = suggest.Terms().Order(StringComparer.Ordinal).ToArray() is { Length: > 0 } terms ? terms : null,
        };
    }

    public static Document FromEs(EsDocument es, string fallbackId)
    {
        ArgumentNullException.ThrowIfNull(es);
        return new Document
        {
            Id = es.Id ?? fallbackId,
            Title = es.Title ?? string.Empty,
            Body = es.Body ?? string.Empty,
            Source = es.Source ?? string.Empty,
            PublishedAt = ParseDate(es.PublishedAt),
            Metadata = es.Metadata is { Count: > 0 } metadata ? metadata : Document.EmptyMetadata,
        };
    }

    /// <summary>
    /// One pass of the core over <paramref name="text"/>: the stems (what the embedded engine's title/body fields
    /// index), the normalized unstemmed terms (what its *_exact fields index) and the stems' spelling-variant keys
    /// (<see cref="VariantKey"/>, what its body_key field indexes), stopwords as placeholders.
    /// </summary>
    public TermTexts TermFields(string text, SuggestTermBuilder? suggest = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return new(string.Empty, string.Empty, string.Empty);
        }

        var session = new AnalysisSession(Analyzer);
        session.Reset(text);
        var stems = new StringBuilder(text.Length);
        var exact = new StringBuilder(text.Length);
        var keys = new StringBuilder(text.Length);
        Span<char> key = stackalloc char[Tokenizer.MaxTokenLength + 1];
        while (session.MoveNext())
        {
            var token = session.Current;
            suggest?.Add(token.Term, text.AsSpan(token.Start, token.End - token.Start), token.IsStopword);
            if (stems.Length > 0)
            {
                stems.Append(' ');
                exact.Append(' ');
                keys.Append(' ');
            }

            if (token.IsStopword)
            {
                stems.Append(ElasticsearchAnalysis.Placeholder);
                exact.Append(ElasticsearchAnalysis.Placeholder);
                keys.Append(ElasticsearchAnalysis.Placeholder);
            }
            else
            {
                var stem = token.Stem;
                stems.Append(stem);
                exact.Append(token.Term);
                keys.Append(key[..VariantKey.Write(stem, key)]);
            }
        }

        return new(stems.ToString(), exact.ToString(), keys.ToString());
    }

    /// <summary>The published_at value: UTC, ISO 8601 with 100 ns precision (Elasticsearch's date parses it; _source keeps it exact).</summary>
    public static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseDate(string? value) =>
        string.IsNullOrEmpty(value)
            ? null
            : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

/// <summary>The term fields of one text: stems, exact terms and variant keys, space-joined, stopwords as placeholders.</summary>
internal readonly record struct TermTexts(string Stems, string Exact, string Keys);

/// <summary>
/// A document as stored in Elasticsearch: the original fields in _source, plus the term fields analyzed by our core.
/// The original fields are read leniently: a _source that is not ours (a field that is an object) leaves it empty
/// instead of failing the whole response.
/// </summary>
internal sealed record EsDocument
{
    [JsonPropertyName(EsFields.Id), JsonConverter(typeof(LenientString))]
    public string? Id { get; init; }

    [JsonPropertyName(EsFields.Title), JsonConverter(typeof(LenientString))]
    public string? Title { get; init; }

    [JsonPropertyName(EsFields.Body), JsonConverter(typeof(LenientString))]
    public string? Body { get; init; }

    [JsonPropertyName(EsFields.Source), JsonConverter(typeof(LenientString))]
    public string? Source { get; init; }

    [JsonPropertyName(EsFields.PublishedAt), JsonConverter(typeof(LenientString))]
    public string? PublishedAt { get; init; }

    [JsonPropertyName(EsFields.Metadata)]
    public Dictionary<string, string>? Metadata { get; init; }

    [JsonPropertyName(EsFields.TitleTerms)]
    public string? TitleTerms { get; init; }

    [JsonPropertyName(EsFields.BodyTerms)]
    public string? BodyTerms { get; init; }

    [JsonPropertyName(EsFields.TitleExact)]
    public string? TitleExact { get; init; }

    [JsonPropertyName(EsFields.BodyExact)]
    public string? BodyExact { get; init; }

    [JsonPropertyName(EsFields.BodyKeys)]
    public string? BodyKeys { get; init; }

    [JsonPropertyName(EsFields.SourceKey)]
    public string? SourceKey { get; init; }

    [JsonPropertyName(EsFields.MetadataPairs)]
    public string[]? MetadataPairs { get; init; }

    [JsonPropertyName(EsFields.Suggest)]
    public string[]? Suggest { get; init; }
}

/// <summary>A string, or null for any other JSON value.</summary>
internal sealed class LenientString : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

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

    /// <summary>
    /// The spelling-variant keys of the body's stems (after the title's when RankingOptions.TitleInBody), computed by
    /// our core (<see cref="VariantKey"/>): the embedded engine's body_key field. With positions: proximity pairs are
    /// measured on them (RankingOptions.ProximityOnKeys).
    /// </summary>
    public const string BodyKeys = "body_keys";

    /// <summary>The fields a hit returns: the original document.</summary>
    public static readonly string[] Original = [Id, Title, Body, Source, PublishedAt, Metadata];

    public static readonly string[] Terms = [TitleTerms, BodyTerms, TitleExact, BodyExact, BodyKeys];

    /// <summary>
    /// The term fields only ever searched term by term (the exact forms): indexed with frequencies but no positions, as
    /// the embedded engine indexes them; BM25 needs no more, and a phrase on them is refused.
    /// </summary>
    public static readonly string[] TermByTerm = [TitleExact, BodyExact];

    /// <summary>The term fields indexed with positions: phrases read the stems, proximity the stems or the keys.</summary>
    public static readonly string[] Positional = [.. Terms.Except(TermByTerm)];

    /// <summary>The normalized source (<see cref="DocumentKeys.SourceKey"/>): source filters and the source facet.</summary>
    public const string SourceKey = "source_key";

    /// <summary>One keyword per metadata entry (<see cref="DocumentKeys.MetadataPair"/>): metadata filters.</summary>
    public const string MetadataPairs = "metadata_pairs";

    /// <summary>The completion terms of the title and body (<see cref="SuggestTerms"/>): Suggest.</summary>
    public const string Suggest = "suggest";

    /// <summary>The keyword fields written from the core's keys (never returned: excluded from _source).</summary>
    public static readonly string[] Keys = [SourceKey, MetadataPairs, Suggest];

    /// <summary>Every field an existing index must have for this version.</summary>
    public static readonly string[] Required = [.. Terms, .. Keys];
}
