using Google.Protobuf.WellKnownTypes;
using TextSearch.Analysis;
using TextSearch.Search.Snippets;
using TextSearch.Server.Services;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Unit;

public sealed class MappingTests
{
    [Fact]
    public void Unset_options_keep_the_default_rules() =>
        Assert.Equal(NormalizationRules.Default, ProtoMapper.ToRules(new NormalizationOptions()));

    [Fact]
    public void Null_options_keep_the_default_rules() =>
        Assert.Equal(NormalizationRules.Default, ProtoMapper.ToRules(null));

    [Fact]
    public void Each_option_switches_its_rule()
    {
        Assert.Equal(NormalizationRules.Default & ~NormalizationRules.Diacritics, ProtoMapper.ToRules(new NormalizationOptions { Diacritics = false }));
        Assert.Equal(NormalizationRules.All, ProtoMapper.ToRules(new NormalizationOptions { HamzaCarriers = true }));
        Assert.Equal(
            NormalizationRules.Default & ~(NormalizationRules.AlefForms | NormalizationRules.CaseFold),
            ProtoMapper.ToRules(new NormalizationOptions { AlefForms = false, CaseFold = false, Digits = true }));
    }

    [Theory]
    [InlineData(OffsetEncoding.Unspecified, OffsetUnit.CodePoint)]
    [InlineData(OffsetEncoding.CodePoint, OffsetUnit.CodePoint)]
    [InlineData(OffsetEncoding.Utf16, OffsetUnit.Utf16)]
    [InlineData(OffsetEncoding.Utf8, OffsetUnit.Utf8)]
    public void Offset_encodings_map(OffsetEncoding encoding, OffsetUnit unit) => Assert.Equal(unit, ProtoMapper.ToUnit(encoding));

    [Fact]
    public void Unknown_offset_encoding_is_invalid()
    {
        var ex = Assert.Throws<Search.TextSearchException>(() => ProtoMapper.ToUnit((OffsetEncoding)9));
        Assert.Equal(Search.ErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void Documents_map_both_ways_without_loss()
    {
        var proto = new V1.Document
        {
            Id = "x",
            Title = "t",
            Body = "b",
            Source = "s",
            PublishedAt = Timestamp.FromDateTime(new DateTime(2019, 1, 2, 0, 0, 0, DateTimeKind.Utc)),
        };
        proto.Metadata["a"] = "1";
        var domain = ProtoMapper.ToDomain(proto);
        Assert.Equal(new DateTimeOffset(2019, 1, 2, 0, 0, 0, TimeSpan.Zero), domain.PublishedAt);
        Assert.Equal(proto, ProtoMapper.ToProto(domain));
    }

    [Fact]
    public void Missing_timestamp_maps_to_null()
    {
        Assert.Null(ProtoMapper.ToDomain(new V1.Document { Id = "x" }).PublishedAt);
        Assert.Null(ProtoMapper.ToProto(new Search.Document { Id = "x" }).PublishedAt);
    }

    [Fact]
    public void Fragments_map_with_offsets_in_the_unit()
    {
        const string field = "😀 abc الرقة";
        var fragment = new Fragment("abc الرقة", 3, field.Length, [new Search.Snippets.Highlight(4, 9)], 1);
        var cp = Assert.Single(ProtoMapper.ToProto([fragment], field, OffsetUnit.CodePoint));
        Assert.Equal((2, 11), (cp.Start, cp.End));
        Assert.Equal((4, 9), (cp.Highlights[0].Start, cp.Highlights[0].End));
        var utf8 = Assert.Single(ProtoMapper.ToProto([fragment], field, OffsetUnit.Utf8));
        Assert.Equal(5, utf8.Start);
        Assert.Equal((4, 14), (utf8.Highlights[0].Start, utf8.Highlights[0].End));
    }
}
