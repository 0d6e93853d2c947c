namespace TextSearch.Search.Tests;

/// <summary>The keyed values both engines index for filters, sorts and facets (<see cref="DocumentKeys"/>).</summary>
public sealed class DocumentKeysTests
{
    [Fact]
    public void Dates_are_unix_milliseconds_rounded_down_on_both_sides_of_the_epoch()
    {
        Assert.Equal(1_507_962_600_000, DocumentKeys.Millis(new DateTimeOffset(2017, 10, 14, 9, 30, 0, TimeSpan.FromHours(3))));
        Assert.Equal(1, DocumentKeys.Millis(DateTimeOffset.UnixEpoch.AddTicks(19_999)));
        Assert.Equal(-1, DocumentKeys.Millis(DateTimeOffset.UnixEpoch.AddTicks(-1)));
        Assert.Equal(-2, DocumentKeys.Millis(DateTimeOffset.UnixEpoch.AddTicks(-10_001)));
    }

    [Fact]
    public void The_month_of_a_date_is_its_utc_month()
    {
        Assert.Equal("2017-10", DocumentKeys.Month(DocumentKeys.Millis(new DateTimeOffset(2017, 11, 1, 1, 0, 0, TimeSpan.FromHours(3)))));
        Assert.Equal("1969-12", DocumentKeys.Month(-1));
    }

    [Fact]
    public void Facet_values_go_by_count_then_value_and_are_cut_to_the_size()
    {
        var top = DocumentKeys.Top([new("b", 2), new("a", 2), new("c", 5), new("d", 0), new("e", 1)], 3);
        Assert.Equal([("c", 5L), ("a", 2L), ("b", 2L)], top.Select(v => (v.Value, v.Count)));
    }

    [Fact]
    public void A_metadata_pair_cannot_be_confused_with_another_split()
    {
        Assert.NotEqual(DocumentKeys.MetadataPair("a", "b=c"), DocumentKeys.MetadataPair("a=b", "c"));
        Assert.Equal("lang\u001far", DocumentKeys.MetadataPair("lang", "ar"));
    }

    [Fact]
    public void A_metadata_key_with_a_control_character_is_refused_so_no_pair_can_pose_as_another()
    {
        var doc = new Document { Id = "m", Metadata = new Dictionary<string, string> { ["a\u001fb"] = "c" } };
        Assert.Equal(Parameter.DocumentMetadata.Path, SearchEngine.Validate(doc)?.Field);
        Assert.Null(SearchEngine.Validate(doc with { Metadata = new Dictionary<string, string> { ["a"] = "b\u001fc" } }));
    }

    [Fact]
    public void Undated_documents_sort_last_in_either_direction()
    {
        Assert.Equal(long.MinValue, BackendSearch.MissingDate(SortOrder.Newest));
        Assert.Equal(long.MaxValue, BackendSearch.MissingDate(SortOrder.Oldest));
    }
}

/// <summary>JSON-lines corpora (<see cref="Ingestion.JsonlCorpus"/>) carry their dates.</summary>
public sealed class JsonlCorpusTests
{
    [Fact]
    public void A_date_is_read_as_utc_and_a_missing_or_bad_one_leaves_the_document_undated()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corpus-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, [
            """{"id": "a", "title": "t", "body": "b", "source": "aawsat", "date": "2015-07-21 02:51:32"}""",
            """{"id": "b", "title": "t", "body": "b", "date": "2017-10-14T09:30:00+03:00"}""",
            """{"id": "c", "title": "t", "body": "b", "date": "yesterday"}""",
            """{"id": "d", "title": "t", "body": "b"}""",
        ]);
        try
        {
            var docs = Ingestion.JsonlCorpus.Read(path).ToList();
            Assert.Equal(new DateTimeOffset(2015, 7, 21, 2, 51, 32, TimeSpan.Zero), docs[0].PublishedAt);
            Assert.Equal("aawsat", docs[0].Source);
            Assert.Equal(new DateTimeOffset(2017, 10, 14, 6, 30, 0, TimeSpan.Zero), docs[1].PublishedAt);
            Assert.Null(docs[2].PublishedAt);
            Assert.Null(docs[3].PublishedAt);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
