using Google.Protobuf.WellKnownTypes;
using TextSearch.Analysis;
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
        _ => Search.Throw.InvalidArgument<OffsetUnit>($"offset_encoding {(int)encoding} is not one of CODE_POINT, UTF16, UTF8."),
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

    public static DomainDocument ToDomain(V1.Document proto) => new()
    {
        Id = proto.Id,
        Title = proto.Title,
        Body = proto.Body,
        Source = proto.Source,
        PublishedAt = proto.PublishedAt?.ToDateTimeOffset(),
        Metadata = proto.Metadata.Count == 0 ? DomainDocument.EmptyMetadata : new Dictionary<string, string>(proto.Metadata),
    };

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
