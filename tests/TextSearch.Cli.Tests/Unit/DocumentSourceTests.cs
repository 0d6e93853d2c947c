using Grpc.Core;
using TextSearch.Cli.Client;
using TextSearch.Cli.Ingest;

namespace TextSearch.Cli.Tests.Unit;

public sealed class DocumentSourceTests
{
    [Fact]
    public void Txt_title_is_the_first_non_empty_line_and_body_the_rest()
    {
        var item = DocumentSource.FromText("004_x", "\r\n   العنوان هنا  \r\n\r\nالفقرة الأولى.\r\n\r\nالفقرة الثانية.\r\n\r\n", "004_x.txt");

        var doc = item.Request!.Document;
        Assert.Equal("004_x", doc.Id);
        Assert.Equal("العنوان هنا", doc.Title);
        Assert.Equal("الفقرة الأولى.\n\nالفقرة الثانية.", doc.Body);
        Assert.Null(item.Error);
    }

    [Fact]
    public void Empty_txt_gives_an_empty_document_for_the_server_to_judge()
    {
        var doc = DocumentSource.FromText("e", "  \n \n", "e.txt").Request!.Document;

        Assert.Equal(string.Empty, doc.Title);
        Assert.Equal(string.Empty, doc.Body);
    }

    [Fact]
    public void Jsonl_line_with_every_field()
    {
        var item = DocumentSource.FromJsonLine(
            """{"id":"a1","title":"ت","body":"ب","source":"م","date":"2019-02-20","metadata":{"k":"v"},"ignored":[1,2]}""", "f.jsonl:1");

        var doc = item.Request!.Document;
        Assert.Equal(("a1", "ت", "ب", "م"), (doc.Id, doc.Title, doc.Body, doc.Source));
        Assert.Equal(new DateTimeOffset(2019, 2, 20, 0, 0, 0, TimeSpan.Zero), doc.PublishedAt.ToDateTimeOffset());
        Assert.Equal("v", doc.Metadata["k"]);
        Assert.Equal("a1", item.Id);
    }

    [Fact]
    public void Jsonl_accepts_publishedAt_with_a_time_and_null_fields()
    {
        var doc = DocumentSource.FromJsonLine("""{"id":"a","title":null,"publishedAt":"2019-02-20T10:30:00+02:00","metadata":null}""", "o").Request!.Document;

        Assert.Equal(string.Empty, doc.Title);
        Assert.Equal(new DateTimeOffset(2019, 2, 20, 8, 30, 0, TimeSpan.Zero), doc.PublishedAt.ToDateTimeOffset());
    }

    [Theory]
    [InlineData("2015-07-21 02:51:32", "2015-07-21T02:51:32Z")]
    [InlineData("2015-07-21 02:51", "2015-07-21T02:51:00Z")]
    [InlineData("2015-07-21 02:51:32.5", "2015-07-21T02:51:32.5Z")]
    public void Jsonl_accepts_a_date_and_time_separated_by_a_space_as_utc(string date, string expected)
    {
        var doc = DocumentSource.FromJsonLine($$"""{"id":"snn-1","date":"{{date}}"}""", "o").Request!.Document;

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), doc.PublishedAt.ToDateTimeOffset());
    }

    [Theory]
    [InlineData("{\"id\": ", "not valid JSON")]
    [InlineData("[1, 2]", "not a JSON object.")]
    [InlineData("{\"id\": 7}", "\"id\" must be a string.")]
    [InlineData("{\"id\": \"a\", \"body\": {}}", "\"body\" must be a string.")]
    [InlineData("{\"id\": \"a\", \"date\": \"20/02/2019\"}", "\"date\" must be an ISO 8601 date")]
    [InlineData("{\"id\": \"a\", \"date\": 2019}", "\"date\" must be an ISO 8601 date")]
    [InlineData("{\"id\": \"a\", \"metadata\": {\"n\": 1}}", "\"metadata\" must be an object of strings.")]
    public void Bad_jsonl_lines_are_reported_not_sent(string line, string error)
    {
        var item = DocumentSource.FromJsonLine(line, "f.jsonl:9");

        Assert.Null(item.Request);
        Assert.Equal("f.jsonl:9", item.Origin);
        Assert.StartsWith(error, item.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_is_read_in_name_order_with_line_numbers_and_progress()
    {
        var dir = Directory.CreateTempSubdirectory("textsearch-cli-source-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "b.jsonl"), "{\"id\":\"b1\"}\n\n{\"id\":\"b3\"}\n");
            File.WriteAllText(Path.Combine(dir, "a.txt"), "عنوان\nنص");
            File.WriteAllText(Path.Combine(dir, "c.json"), "{}");

            var source = DocumentSource.Open(dir);
            var items = source.Read().ToList();

            Assert.Equal(2, source.FileCount);
            Assert.Equal(["a", "b1", "b3"], items.Select(i => i.Id));
            Assert.Equal([Path.Combine(dir, "a.txt"), Path.Combine(dir, "b.jsonl") + ":1", Path.Combine(dir, "b.jsonl") + ":3"], items.Select(i => i.Origin));
            Assert.Equal(source.TotalBytes, source.BytesRead);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(StatusCode.NotFound, "NOT_FOUND")]
    [InlineData(StatusCode.InvalidArgument, "INVALID_ARGUMENT")]
    [InlineData(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    [InlineData(StatusCode.ResourceExhausted, "RESOURCE_EXHAUSTED")]
    [InlineData(StatusCode.FailedPrecondition, "FAILED_PRECONDITION")]
    [InlineData(StatusCode.Unavailable, "UNAVAILABLE")]
    public void Status_codes_print_with_their_canonical_names(StatusCode code, string name)
    {
        Assert.Equal(name, ErrorMessages.CodeName(code));
        Assert.Equal($"textsearch: {name}: first line second line", ErrorMessages.Describe(new RpcException(new Status(code, "first line\nsecond line")), "http://x", null));
    }
}
