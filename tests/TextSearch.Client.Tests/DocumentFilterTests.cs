using Google.Protobuf.WellKnownTypes;

namespace TextSearch.Client.Tests;

/// <summary>How a <see cref="DocumentFilter"/> becomes the contract's filter.</summary>
public sealed class DocumentFilterTests
{
    [Fact]
    public void An_empty_or_missing_filter_sends_none()
    {
        Assert.Null(DocumentFilter.ToProto(null));
        Assert.Null(DocumentFilter.ToProto(new DocumentFilter()));
        Assert.Null(DocumentFilter.ToProto(new DocumentFilter { Sources = [], Metadata = new Dictionary<string, string>() }));
        Assert.True(new DocumentFilter { Sources = [] }.IsEmpty);
        Assert.False(new DocumentFilter { PublishedBefore = DateTimeOffset.UnixEpoch }.IsEmpty);
    }

    [Fact]
    public void Every_condition_is_carried_over_with_instants_in_utc()
    {
        var proto = DocumentFilter.ToProto(new DocumentFilter
        {
            Sources = ["الخليج", "عنب بلدي"],
            PublishedAfter = new DateTimeOffset(2017, 1, 1, 3, 0, 0, TimeSpan.FromHours(3)),
            PublishedBefore = new DateTimeOffset(2018, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Metadata = new Dictionary<string, string> { ["lang"] = "ar" },
        })!;

        Assert.Equal(["الخليج", "عنب بلدي"], proto.Sources);
        Assert.Equal(Timestamp.FromDateTime(new DateTime(2017, 1, 1, 0, 0, 0, DateTimeKind.Utc)), proto.PublishedAfter);
        Assert.Equal(Timestamp.FromDateTime(new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Utc)), proto.PublishedBefore);
        Assert.Equal("ar", proto.Metadata["lang"]);
        Assert.Single(proto.Metadata);
    }

    [Fact]
    public void A_null_source_is_refused_before_the_call()
    {
        Assert.Throws<ArgumentException>(() => DocumentFilter.ToProto(new DocumentFilter { Sources = ["a", null!] }));
    }
}
