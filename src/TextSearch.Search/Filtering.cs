using System.Globalization;
using TextSearch.Analysis;

namespace TextSearch.Search;

/// <summary>The order of a search's hits.</summary>
public enum SortOrder
{
    /// <summary>By score, then id (the default).</summary>
    Relevance,

    /// <summary>By publication date, newest first; ties by score, then id; documents without a date last.</summary>
    Newest,

    /// <summary>By publication date, oldest first; ties by score, then id; documents without a date last.</summary>
    Oldest,
}

/// <summary>Which documents a search considers, as the caller gave it (validated and normalized by the engine).</summary>
public sealed record SearchFilter
{
    /// <summary>Any of these sources (compared after normalization).</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Published at or after (inclusive).</summary>
    public DateTimeOffset? PublishedAfter { get; init; }

    /// <summary>Published before (exclusive).</summary>
    public DateTimeOffset? PublishedBefore { get; init; }

    /// <summary>Every pair must match a metadata entry exactly.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = Document.EmptyMetadata;

    public bool IsEmpty => Sources.Count == 0 && PublishedAfter is null && PublishedBefore is null && Metadata.Count == 0;
}

/// <summary>A field facets can count.</summary>
public enum FacetField
{
    /// <summary>Documents per normalized source.</summary>
    Source,

    /// <summary>Documents per month of publication (UTC), "yyyy-MM".</summary>
    PublishedAt,
}

/// <summary>A facet value and the number of matching documents that have it.</summary>
public sealed record FacetCount(string Value, long Count);

/// <summary>The counts of one facet, by count descending, then value.</summary>
public sealed record FacetResult(FacetField Field, IReadOnlyList<FacetCount> Values);

/// <summary>
/// A filter as backends apply it: sources normalized (<see cref="SourceKeys"/>), dates in Unix milliseconds (the
/// precision both engines keep), metadata as <see cref="DocumentKeys.MetadataPair"/> terms. Every list sorted and
/// distinct, so equal filters have the same <see cref="Canonical"/> form (page tokens are bound to it).
/// </summary>
public sealed record FilterSpec(IReadOnlyList<string> SourceKeys, long? AfterMillis, long? BeforeMillis, IReadOnlyList<string> MetadataPairs)
{
    public static FilterSpec None { get; } = new([], null, null, []);

    public bool IsEmpty => SourceKeys.Count == 0 && AfterMillis is null && BeforeMillis is null && MetadataPairs.Count == 0;

    public string Canonical => IsEmpty
        ? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $"s:{string.Join('\u001e', SourceKeys)}|a:{AfterMillis}|b:{BeforeMillis}|m:{string.Join('\u001e', MetadataPairs)}");
}

/// <summary>The keyed values of a document both engines index for filters, sorting and facets.</summary>
public static class DocumentKeys
{
    /// <summary>Between a metadata key and its value in a metadata term (a control character: never in a key).</summary>
    public const char MetadataSeparator = '\u001f';

    /// <summary>The term that matches one metadata entry exactly.</summary>
    public static string MetadataPair(string key, string value) => string.Concat(key, MetadataSeparator.ToString(), value);

    /// <summary>The normalized source (what source filters and the source facet compare).</summary>
    public static string SourceKey(TextAnalyzer analyzer, string source) => Keywords.Normalize(analyzer, source);

    /// <summary>A date as both engines sort and filter it: Unix milliseconds, rounded down.</summary>
    public static long Millis(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    /// <summary>The first instant (Unix milliseconds, UTC) of the month of a date in Unix milliseconds: one key per month.</summary>
    public static long MonthStart(long millis)
    {
        var date = DateTimeOffset.FromUnixTimeMilliseconds(millis);
        return new DateTimeOffset(date.Year, date.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    /// <summary>The month facet value of a date in Unix milliseconds: "yyyy-MM", UTC.</summary>
    public static string Month(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis).UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The facet name in the API.</summary>
    public static string Name(FacetField field) => field switch
    {
        FacetField.Source => "source",
        FacetField.PublishedAt => "published_at",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>Orders counts as the API returns them (count descending, then value) and keeps the first <paramref name="size"/>.</summary>
    public static IReadOnlyList<FacetCount> Top(IEnumerable<FacetCount> counts, int size) =>
        [.. counts.Where(c => c.Count > 0).OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal).Take(size)];
}

/// <summary>A completion candidate from a backend: a normalized word, its most frequent spelling, the documents holding it.</summary>
public sealed record SuggestEntry(string Word, string Spelling, long Count);
