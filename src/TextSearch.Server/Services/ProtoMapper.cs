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
        DateTimeOffset? published = null;
        if (proto.PublishedAt is { } timestamp)
        {
            if (timestamp.Seconds is < MinTimestampSeconds or > MaxTimestampSeconds || timestamp.Nanos is < 0 or > 999_999_999)
            {
                error = new InputError(
                    "document.published_at",
                    $"document.published_at is not a valid timestamp (seconds {timestamp.Seconds}, nanos {timestamp.Nanos}): seconds must be between "
                    + $"{MinTimestampSeconds} and {MaxTimestampSeconds} (years 1 to 9999) and nanos between 0 and 999999999.");
                return null;
            }

            published = timestamp.ToDateTimeOffset();
        }

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

    public static V1.Document ToProto(DomainDocument doc)
    {
        var proto = new V1.Document
        {
            Id = doc.Id,
            Title = doc.Title,
            Body = doc.Body,
            Source = doc.Source,
            PublishedAt = doc.PublishedAt is { } p ? Timestamp.FromDateTimeOffset(p) : null,
        };
        foreach (var (key, value) in doc.Metadata)
        {
            proto.Metadata[key] = value;
        }

        return proto;
    }

    public static ProtoSnippet ToProto(Fragment fragment, string field, OffsetUnit unit)
    {
        var snippet = new ProtoSnippet
        {
            Text = fragment.Text,
            Start = OffsetEncoder.Convert(field, fragment.Start, unit),
            End = OffsetEncoder.Convert(field, fragment.End, unit),
        };
        snippet.Highlights.Add(ToProto(fragment.Text, fragment.Highlights, unit));
        return snippet;
    }

    public static IEnumerable<ProtoHighlight> ToProto(string text, IReadOnlyList<Search.Snippets.Highlight> highlights, OffsetUnit unit) =>
        highlights.Select(h => new ProtoHighlight
        {
            Start = OffsetEncoder.Convert(text, h.Start, unit),
            End = OffsetEncoder.Convert(text, h.End, unit),
        });
}
