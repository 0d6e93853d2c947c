using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TextSearch.V1;

namespace TextSearch.Client;

/// <summary>Per-call settings shared by every method: the deadline and extra headers.</summary>
public class RequestOptions
{
    /// <summary>
    /// The absolute deadline (UTC) of the call, e.g. an incoming call's <see cref="ServerCallContext.Deadline"/>.
    /// Takes precedence over <see cref="Timeout"/>. <see cref="DateTime.MaxValue"/> counts as "not given".
    /// </summary>
    public DateTime? Deadline { get; set; }

    /// <summary>The deadline as now + this; overrides the client's default. Zero or infinite: no deadline.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Extra request headers (e.g. a correlation id), sent as they are.</summary>
    public Metadata? Headers { get; set; }
}

/// <summary>Settings of <see cref="TextSearchClient.SearchAsync"/> and <see cref="TextSearchClient.SearchAllAsync"/>.</summary>
public sealed class SearchOptions : RequestOptions
{
    /// <summary>Hits per page (1–100); 0 uses the server's default (10).</summary>
    public int PageSize { get; set; }

    /// <summary>The <c>next_page_token</c> of the previous page; null or empty for the first page.</summary>
    public string? PageToken { get; set; }

    /// <summary>The unit of highlight and snippet offsets; unspecified means Unicode code points.</summary>
    public OffsetEncoding OffsetEncoding { get; set; }

    /// <summary>Snippets per hit (0–10); 0 uses the server's default.</summary>
    public int MaxSnippets { get; set; }

    /// <summary>Approximate snippet length (20–1,000); 0 uses the server's default (160).</summary>
    public int FragmentChars { get; set; }

    /// <summary>
    /// Which documents to consider; null for all. With a filter (or <see cref="Facets"/>) the query may be empty: the
    /// matching documents are then listed.
    /// </summary>
    public DocumentFilter? Filter { get; set; }

    /// <summary>The order of the hits; unspecified means by relevance.</summary>
    public SortOrder Sort { get; set; }

    /// <summary>
    /// Counts over every matching document, one <see cref="Facet"/> per name in the response, in this order:
    /// <see cref="SearchFacets.Source"/>, <see cref="SearchFacets.PublishedAt"/>. Null or empty for none.
    /// </summary>
    public IReadOnlyList<string>? Facets { get; set; }

    /// <summary>Values per facet (1–100); 0 uses the server's default (10).</summary>
    public int FacetSize { get; set; }
}

/// <summary>The facets <see cref="SearchOptions.Facets"/> may ask for.</summary>
public static class SearchFacets
{
    /// <summary>Per source; the values are the normalized sources (what <see cref="DocumentFilter.Sources"/> matches).</summary>
    public const string Source = "source";

    /// <summary>Per month of publication; the values are "YYYY-MM" (UTC).</summary>
    public const string PublishedAt = "published_at";
}

/// <summary>
/// Restricts a search (or <see cref="TextSearchClient.RelatedAsync"/>) to some documents; never changes scores. Every
/// condition that is set must hold; an empty filter restricts nothing.
/// </summary>
public sealed class DocumentFilter
{
    /// <summary>Any of these sources (compared after normalization: "الاسلامية" matches "الإسلامية"); null or empty for any. At most 100.</summary>
    public IReadOnlyList<string>? Sources { get; set; }

    /// <summary>Published at or after this instant (inclusive). Documents without a date are left out when a bound is set.</summary>
    public DateTimeOffset? PublishedAfter { get; set; }

    /// <summary>Published before this instant (exclusive).</summary>
    public DateTimeOffset? PublishedBefore { get; set; }

    /// <summary>Every pair must match a metadata entry of the document exactly; null or empty for any. At most 64.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; set; }

    /// <summary>True when no condition is set.</summary>
    public bool IsEmpty =>
        (Sources is null || Sources.Count == 0) && PublishedAfter is null && PublishedBefore is null && (Metadata is null || Metadata.Count == 0);

    /// <summary>The contract's filter; null when <paramref name="filter"/> is null or empty.</summary>
    public static SearchFilter? ToProto(DocumentFilter? filter)
    {
        if (filter is null || filter.IsEmpty)
        {
            return null;
        }

        var proto = new SearchFilter();
        if (filter.Sources is { } sources)
        {
            foreach (var source in sources)
            {
                proto.Sources.Add(source ?? throw new ArgumentException("a source of the filter is null.", nameof(filter)));
            }
        }

        if (filter.PublishedAfter is { } after)
        {
            proto.PublishedAfter = Timestamp.FromDateTimeOffset(after);
        }

        if (filter.PublishedBefore is { } before)
        {
            proto.PublishedBefore = Timestamp.FromDateTimeOffset(before);
        }

        if (filter.Metadata is { } metadata)
        {
            foreach (var (key, value) in metadata)
            {
                proto.Metadata.Add(key, value ?? throw new ArgumentException($"the metadata filter's value for '{key}' is null.", nameof(filter)));
            }
        }

        return proto;
    }
}

/// <summary>Settings of <see cref="TextSearchClient.SuggestAsync"/>.</summary>
public sealed class SuggestOptions : RequestOptions
{
    /// <summary>Suggestions to return (1–50); 0 uses the server's default (10).</summary>
    public int Size { get; set; }
}

/// <summary>Settings of <see cref="TextSearchClient.RelatedAsync"/>.</summary>
public sealed class RelatedOptions : RequestOptions
{
    /// <summary>Related documents to return (1–100); 0 uses the server's default (10).</summary>
    public int PageSize { get; set; }

    /// <summary>Which documents may be returned; null for all.</summary>
    public DocumentFilter? Filter { get; set; }

    /// <summary>The unit of highlight and snippet offsets; unspecified means Unicode code points.</summary>
    public OffsetEncoding OffsetEncoding { get; set; }
}

/// <summary>Settings of <see cref="TextSearchClient.SnippetAsync"/>.</summary>
public sealed class SnippetOptions : RequestOptions
{
    /// <summary>Snippets to return (0–10); 0 uses the server's default.</summary>
    public int MaxSnippets { get; set; }

    /// <summary>Approximate snippet length (20–1,000); 0 uses the server's default.</summary>
    public int FragmentChars { get; set; }

    /// <summary>The unit of highlight and snippet offsets.</summary>
    public OffsetEncoding OffsetEncoding { get; set; }
}

/// <summary>Settings of <see cref="TextSearchClient.NormalizeAsync"/>.</summary>
public sealed class NormalizeOptions : RequestOptions
{
    /// <summary>Switches for individual rules; null uses the server's defaults.</summary>
    public NormalizationOptions? Rules { get; set; }

    /// <summary>Also return, for every normalized character, the span of the original it came from.</summary>
    public bool IncludeOffsets { get; set; }

    /// <summary>The unit of the offsets.</summary>
    public OffsetEncoding OffsetEncoding { get; set; }
}

/// <summary>Settings of <see cref="TextSearchClient.AnalyzeAsync"/>.</summary>
public sealed class AnalyzeOptions : RequestOptions
{
    /// <summary>The unit of token offsets.</summary>
    public OffsetEncoding OffsetEncoding { get; set; }
}

/// <summary>
/// Settings of <see cref="TextSearchClient.IndexAsync"/>. <see cref="RequestOptions.Deadline"/> bounds every batch
/// (and so the whole operation); <see cref="RequestOptions.Timeout"/> replaces the client's
/// <see cref="TextSearchClientOptions.IndexBatchTimeout"/> for each batch.
/// </summary>
public sealed class IndexOptions : RequestOptions
{
    /// <summary>Documents per batch; null uses <see cref="TextSearchClientOptions.IndexBatchSize"/>.</summary>
    public int? BatchSize { get; set; }

    /// <summary>Serialized bytes per batch; null uses <see cref="TextSearchClientOptions.IndexBatchMaxBytes"/>.</summary>
    public long? BatchMaxBytes { get; set; }

    /// <summary>
    /// Told synchronously after every document sent and after every batch acknowledged. Keep it quick: it runs on
    /// the indexing loop.
    /// </summary>
    public IProgress<IndexProgress>? Progress { get; set; }
}

/// <summary>Where an <see cref="TextSearchClient.IndexAsync"/> is.</summary>
/// <param name="Sent">Documents read from the source and sent at least once.</param>
/// <param name="Acknowledged">Documents in batches the server has acknowledged (committed, or reported as failed).</param>
/// <param name="Batches">Batches acknowledged.</param>
public readonly record struct IndexProgress(long Sent, long Acknowledged, int Batches);
