using Google.Protobuf.WellKnownTypes;
using TextSearch.Analysis;
using TextSearch.Search;
using TextSearch.Search.Snippets;
using TextSearch.V1;
using DomainDocument = TextSearch.Search.Document;
using ProtoHighlight = TextSearch.V1.Highlight;
using ProtoSnippet = TextSearch.V1.Snippet;

namespace TextSearch.Server.Services;

/// <summary>Maps between the protobuf contract and the domain. No search logic here.</summary>
internal static class ProtoMapper
{
    public static OffsetUnit ToUnit(OffsetEncoding encoding) => encoding switch
    {
        OffsetEncoding.Utf16 => OffsetUnit.Utf16,
        OffsetEncoding.Utf8 => OffsetUnit.Utf8,
        OffsetEncoding.Unspecified or OffsetEncoding.CodePoint => OffsetUnit.CodePoint,
        _ => Search.Throw.InvalidField<OffsetUnit>("offset_encoding", $"offset_encoding {(int)encoding} is not one of CODE_POINT, UTF16, UTF8."),
    };

    public static NormalizationRules ToRules(NormalizationOptions? options)
    {
        var rules = NormalizationRules.Default;
        if (options is null)
        {
            return rules;
        }

        Set(options.HasAlefForms, options.AlefForms, NormalizationRules.AlefForms);
        Set(options.HasDecomposedHamza, options.DecomposedHamza, NormalizationRules.DecomposedHamza);
        Set(options.HasTehMarbuta, options.TehMarbuta, NormalizationRules.TehMarbuta);
        Set(options.HasAlefMaksura, options.AlefMaksura, NormalizationRules.AlefMaksura);
        Set(options.HasHamzaCarriers, options.HamzaCarriers, NormalizationRules.HamzaCarriers);
        Set(options.HasDiacritics, options.Diacritics, NormalizationRules.Diacritics);
        Set(options.HasTatweel, options.Tatweel, NormalizationRules.Tatweel);
        Set(options.HasPersianLetters, options.PersianLetters, NormalizationRules.PersianLetters);
        Set(options.HasDigits, options.Digits, NormalizationRules.Digits);
        Set(options.HasPresentationForms, options.PresentationForms, NormalizationRules.PresentationForms);
        Set(options.HasInvisibleMarks, options.InvisibleMarks, NormalizationRules.InvisibleMarks);
        Set(options.HasCaseFold, options.CaseFold, NormalizationRules.CaseFold);
        return rules;

        void Set(bool has, bool on, NormalizationRules rule)
        {
            if (has)
            {
                rules = on ? rules | rule : rules & ~rule;
            }
        }
    }

    // The range of google.protobuf.Timestamp: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
    private const long MinTimestampSeconds = -62_135_596_800;
    private const long MaxTimestampSeconds = 253_402_300_799;

    /// <summary>The domain document; INVALID_ARGUMENT naming the field when a value cannot be represented.</summary>
    public static DomainDocument ToDomain(V1.Document proto) =>
        TryToDomain(proto, out var error) ?? Search.Throw.InvalidField<DomainDocument>(error!.Field, error.Message);

    /// <summary>The domain document, or null with the reason (a bulk stream reports it and goes on).</summary>
    public static DomainDocument? TryToDomain(V1.Document proto, out InputError? error)
    {
        ArgumentNullException.ThrowIfNull(proto);
        if (TimestampError(proto.PublishedAt, "document.published_at") is { } timestampError)
        {
            error = new InputError("document.published_at", timestampError);
            return null;
        }

        var published = proto.PublishedAt?.ToDateTimeOffset();
        error = null;
        return new DomainDocument
        {
            Id = proto.Id,
            Title = proto.Title,
            Body = proto.Body,
            Source = proto.Source,
            PublishedAt = published,
            Metadata = proto.Metadata.Count == 0 ? DomainDocument.EmptyMetadata : new Dictionary<string, string>(proto.Metadata),
        };
    }

    /// <summary>The domain filter (null when none was sent); INVALID_ARGUMENT naming a bound that is not a valid timestamp.</summary>
    public static Search.SearchFilter? ToDomain(V1.SearchFilter? filter) => filter is null
        ? null
        : new Search.SearchFilter
        {
            Sources = [.. filter.Sources],
            PublishedAfter = ToDate(filter.PublishedAfter, "filter.published_after"),
            PublishedBefore = ToDate(filter.PublishedBefore, "filter.published_before"),
            Metadata = filter.Metadata.Count == 0 ? DomainDocument.EmptyMetadata : new Dictionary<string, string>(filter.Metadata),
        };

    public static Search.SortOrder ToDomain(V1.SortOrder sort) => sort switch
    {
        V1.SortOrder.Unspecified or V1.SortOrder.Relevance => Search.SortOrder.Relevance,
        V1.SortOrder.Newest => Search.SortOrder.Newest,
        V1.SortOrder.Oldest => Search.SortOrder.Oldest,
        _ => Search.Throw.InvalidField<Search.SortOrder>("sort", $"sort {(int)sort} is not one of SORT_ORDER_RELEVANCE, SORT_ORDER_NEWEST, SORT_ORDER_OLDEST."),
    };

    private static DateTimeOffset? ToDate(Timestamp? timestamp, string field)
    {
        if (TimestampError(timestamp, field) is { } error)
        {
            Search.Throw.InvalidField(field, error);
        }

        return timestamp?.ToDateTimeOffset();
    }

    /// <summary>Why a timestamp <paramref name="field"/> cannot be a date (null when it is absent or valid).</summary>
    private static string? TimestampError(Timestamp? timestamp, string field) =>
        timestamp is not null && (timestamp.Seconds is < MinTimestampSeconds or > MaxTimestampSeconds || timestamp.Nanos is < 0 or > 999_999_999)
            ? $"{field} is not a valid timestamp (seconds {timestamp.Seconds}, nanos {timestamp.Nanos}): seconds must be between "
                + $"{MinTimestampSeconds} and {MaxTimestampSeconds} (years 1 to 9999) and nanos between 0 and 999999999."
            : null;

    public static V1.Document ToProto(DomainDocument doc)
    {
        var proto = new V1.Document
        {
            Id = doc.Id,
            Title = doc.Title,
            Body = doc.Body,
            Source = doc.Source,
            PublishedAt = ToTimestamp(doc.PublishedAt),
        };
        foreach (var (key, value) in doc.Metadata)
        {
            proto.Metadata[key] = value;
        }

        return proto;
    }

    public static SearchResponse ToProto(SearchResultModel result, OffsetUnit unit)
    {
        var response = new SearchResponse
        {
            TotalHits = result.TotalHits,
            NextPageToken = result.NextPageToken ?? string.Empty,
            NormalizedQuery = result.Query.Normalized,
        };
        response.Terms.Add(result.Query.Stems);
        foreach (var hit in result.Hits)
        {
            response.Hits.Add(ToProto(hit, unit));
        }

        foreach (var facet in result.Facets)
        {
            var proto = new Facet { Field = DocumentKeys.Name(facet.Field) };
            proto.Values.Add(facet.Values.Select(v => new FacetValue { Value = v.Value, Count = v.Count }));
            response.Facets.Add(proto);
        }

        return response;
    }

    public static SearchHit ToProto(SearchHitModel hit, OffsetUnit unit)
    {
        var doc = hit.Document;
        var proto = new SearchHit
        {
            Id = doc.Id,
            Score = hit.Score,
            Title = doc.Title,
            Source = doc.Source,
            PublishedAt = ToTimestamp(doc.PublishedAt),
        };
        proto.Snippets.Add(ToProto(hit.Snippets, doc.Body, unit));
        proto.TitleHighlights.Add(ToProto(doc.Title, hit.TitleHighlights, unit));
        return proto;
    }

    /// <summary>Fragments of <paramref name="field"/>: their bounds in the field and their highlights in their text, each converted in one pass.</summary>
    public static List<ProtoSnippet> ToProto(IReadOnlyList<Fragment> fragments, string field, OffsetUnit unit)
    {
        var bounds = Convert(field, unit, fragments.Count, i => (fragments[i].Start, fragments[i].End));
        var snippets = new List<ProtoSnippet>(fragments.Count);
        for (var i = 0; i < fragments.Count; i++)
        {
            var snippet = new ProtoSnippet { Text = fragments[i].Text, Start = bounds[2 * i], End = bounds[(2 * i) + 1] };
            snippet.Highlights.Add(ToProto(fragments[i].Text, fragments[i].Highlights, unit));
            snippets.Add(snippet);
        }

        return snippets;
    }

    /// <summary>Highlights of <paramref name="text"/>, converted in one pass over it.</summary>
    public static List<ProtoHighlight> ToProto(string text, IReadOnlyList<Search.Snippets.Highlight> highlights, OffsetUnit unit)
    {
        var offsets = Convert(text, unit, highlights.Count, i => (highlights[i].Start, highlights[i].End));
        var result = new List<ProtoHighlight>(highlights.Count);
        for (var i = 0; i < highlights.Count; i++)
        {
            result.Add(new ProtoHighlight { Start = offsets[2 * i], End = offsets[(2 * i) + 1] });
        }

        return result;
    }

    /// <summary><paramref name="count"/> UTF-16 ranges of <paramref name="text"/> as start, end pairs in <paramref name="unit"/>, in one pass.</summary>
    private static int[] Convert(string text, OffsetUnit unit, int count, Func<int, (int Start, int End)> range)
    {
        var offsets = new int[count * 2];
        for (var i = 0; i < count; i++)
        {
            (offsets[2 * i], offsets[(2 * i) + 1]) = range(i);
        }

        OffsetIndex.Convert(text, unit, offsets);
        return offsets;
    }

    private static Timestamp? ToTimestamp(DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;
}
