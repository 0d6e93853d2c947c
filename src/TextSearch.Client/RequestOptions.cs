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
