using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search;
using TextSearch.Search.Query;
using TextSearch.Search.Snippets;
using TextSearch.Server.Services;
using TextSearch.V1;
using DomainDocument = TextSearch.Search.Document;

namespace TextSearch.Server.Tests.Unit;

/// <summary>
/// The gRPC services against a fake engine: they map requests and responses and nothing else. Every rule (limits,
/// validation, ranking) is the engine's, so a service passes what it was sent and maps what it got back, and turns
/// values the domain cannot hold into INVALID_ARGUMENT naming the field before the engine is called.
/// </summary>
public sealed class ServiceTests
{
    private readonly FakeEngine _engine = new();

    private SearchGrpcService Search => new(_engine);

    private DocumentGrpcService Documents => new(_engine, NullLogger<DocumentGrpcService>.Instance);

    [Fact]
    public async Task Search_passes_every_request_field_and_maps_hits_in_the_requested_unit()
    {
        var query = new QueryParser(TextAnalyzer.Default, SynonymMap.Empty).Parse("الرقة");
        const string body = "😀 نص عن الرقة";
        _engine.SearchResult = new SearchResultModel(
            [new SearchHitModel(
                new DomainDocument { Id = "d1", Title = "😀الرقة", Body = body, Source = "مصدر", PublishedAt = new DateTimeOffset(2017, 10, 1, 0, 0, 0, TimeSpan.Zero) },
                1.5f,
                [new Fragment(body[3..], 3, body.Length, [new Search.Snippets.Highlight(6, 11)], 2)],
                [new Search.Snippets.Highlight(2, 7)])],
            42,
            "next-token",
            query);

        var response = await Search.Search(
            new SearchRequest { Query = "الرقة", PageSize = 7, PageToken = "tok", MaxSnippets = 2, FragmentChars = 90, OffsetEncoding = OffsetEncoding.CodePoint },
            new TestServerCallContext());

        var call = Assert.IsType<SearchRequestModel>(Assert.Single(_engine.Calls));
        Assert.Empty(call.Facets);
        Assert.Equal(new SearchRequestModel("الرقة", 7, "tok", 2, 90) { Facets = call.Facets }, call);
        Assert.Equal((42L, "next-token", query.Normalized), (response.TotalHits, response.NextPageToken, response.NormalizedQuery));
        Assert.Equal(query.Stems, response.Terms);
        var hit = Assert.Single(response.Hits);
        Assert.Equal(("d1", 1.5f, "مصدر", Timestamp.FromDateTimeOffset(new DateTimeOffset(2017, 10, 1, 0, 0, 0, TimeSpan.Zero))), (hit.Id, hit.Score, hit.Source, hit.PublishedAt));
        var snippet = Assert.Single(hit.Snippets);
        Assert.Equal((2, 13), (snippet.Start, snippet.End)); // the emoji is one code point, two UTF-16 units
        Assert.Equal((6, 11), (snippet.Highlights[0].Start, snippet.Highlights[0].End));
        Assert.Equal((1, 6), (hit.TitleHighlights[0].Start, hit.TitleHighlights[0].End));
    }

    [Fact]
    public async Task Search_passes_the_filter_sort_and_facets_and_maps_the_facets()
    {
        var query = new QueryParser(TextAnalyzer.Default, SynonymMap.Empty).Parse("الرقة");
        _engine.SearchResult = new SearchResultModel([], 3, null, query)
        {
            Facets = [new FacetResult(FacetField.Source, [new FacetCount("الخليج", 2), new FacetCount("عكاظ", 1)]), new FacetResult(FacetField.PublishedAt, [])],
        };
        var request = new SearchRequest
        {
            Query = "الرقة",
            Filter = new V1.SearchFilter
            {
                Sources = { "الخليج", "عكاظ" },
                PublishedAfter = Timestamp.FromDateTimeOffset(new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero)),
                Metadata = { ["lang"] = "ar" },
            },
            Sort = V1.SortOrder.Newest,
            Facets = { "source", "published_at" },
            FacetSize = 5,
        };

        var response = await Search.Search(request, new TestServerCallContext());

        var call = Assert.IsType<SearchRequestModel>(Assert.Single(_engine.Calls));
        Assert.Equal((TextSearch.Search.SortOrder.Newest, 5), (call.Sort, call.FacetSize));
        Assert.Equal(["source", "published_at"], call.Facets);
        Assert.Equal(["الخليج", "عكاظ"], call.Filter!.Sources);
        Assert.Equal(new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero), call.Filter.PublishedAfter);
        Assert.Null(call.Filter.PublishedBefore);
        Assert.Equal("ar", call.Filter.Metadata["lang"]);
        Assert.Equal(["source", "published_at"], response.Facets.Select(f => f.Field));
        Assert.Equal([("الخليج", 2L), ("عكاظ", 1L)], response.Facets[0].Values.Select(v => (v.Value, v.Count)));
        Assert.Empty(response.Facets[1].Values);
    }

    [Fact]
    public async Task A_filter_bound_that_is_not_a_timestamp_is_invalid_and_named()
    {
        var request = new SearchRequest { Query = "الرقة", Filter = new V1.SearchFilter { PublishedBefore = new Timestamp { Seconds = 1, Nanos = -1 } } };
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => Search.Search(request, new TestServerCallContext()));
        Assert.Equal((ErrorKind.InvalidArgument, "filter.published_before"), (ex.Kind, ex.Field));
        Assert.Empty(_engine.Calls);
    }

    [Fact]
    public async Task Suggest_and_related_map_to_the_engine_and_back()
    {
        _engine.Suggestions = [new SuggestionModel("قوات الإسلامية", "الاسلاميه", 4)];
        var suggested = await Search.Suggest(new SuggestRequest { Prefix = "قوات الاسلا", Size = 3 }, new TestServerCallContext());
        Assert.Equal(("suggest", (string?)"قوات الاسلا", 3), Assert.IsType<(string, string?, int)>(_engine.Calls[0]));
        var s = Assert.Single(suggested.Suggestions);
        Assert.Equal(("قوات الإسلامية", "الاسلاميه", 4L), (s.Text, s.Normalized, s.Count));

        _engine.SearchResult = new SearchResultModel([], 0, null, SearchQuery.Empty);
        await Search.Related(new RelatedRequest { DocumentId = "d1", PageSize = 4, Filter = new V1.SearchFilter { Sources = { "عكاظ" } } }, new TestServerCallContext());
        var (kind, id, size, filter) = Assert.IsType<(string, string?, int, TextSearch.Search.SearchFilter?)>(_engine.Calls[1]);
        Assert.Equal(("related", "d1", 4), (kind, id, size));
        Assert.Equal(["عكاظ"], filter!.Sources);
    }

    [Fact]
    public async Task An_unknown_offset_encoding_is_refused_before_the_engine_runs()
    {
        var ex = await Assert.ThrowsAsync<TextSearchException>(() =>
            Search.Search(new SearchRequest { Query = "x", OffsetEncoding = (OffsetEncoding)99 }, new TestServerCallContext()));
        Assert.Equal(("offset_encoding", ErrorKind.InvalidArgument), (ex.Field, ex.Kind));
        Assert.Empty(_engine.Calls);
    }

    [Fact]
    public async Task Snippet_passes_its_fields_and_maps_the_fragments_of_the_document_body()
    {
        _engine.Stored = new DomainDocument { Id = "d2", Body = "abc الرقة" };
        _engine.Fragments = [new Fragment("الرقة", 4, 9, [new Search.Snippets.Highlight(0, 5)], 1)];
        var response = await Search.Snippet(
            new SnippetRequest { DocumentId = "d2", Query = "الرقة", MaxSnippets = 3, FragmentChars = 50, OffsetEncoding = OffsetEncoding.Utf8 },
            new TestServerCallContext());
        Assert.Equal(("d2", "الرقة", 3, 50), Assert.Single(_engine.Calls));
        var snippet = Assert.Single(response.Snippets);
        Assert.Equal((4, 14), (snippet.Start, snippet.End));
    }

    [Fact]
    public async Task Engine_errors_pass_through_untouched()
    {
        _engine.Failure = new TextSearchException(ErrorKind.NotFound, "document 'x' does not exist.");
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => Documents.GetDocument(new GetDocumentRequest { Id = "x" }, new TestServerCallContext()));
        Assert.Same(_engine.Failure, ex);
    }

    [Fact]
    public async Task Upsert_maps_the_document_and_refuses_what_the_domain_cannot_hold()
    {
        var proto = new V1.Document { Id = "u1", Title = "عنوان", Body = "نص", Source = "مصدر", PublishedAt = new Timestamp { Seconds = 1_500_000_000 } };
        proto.Metadata["k"] = "v";
        Assert.Equal("u1", (await Documents.UpsertDocument(new UpsertDocumentRequest { Document = proto }, new TestServerCallContext())).Id);
        var stored = Assert.IsType<DomainDocument>(Assert.Single(_engine.Calls));
        Assert.Equal(("u1", "عنوان", "نص", "مصدر", DateTimeOffset.FromUnixTimeSeconds(1_500_000_000), "v"),
            (stored.Id, stored.Title, stored.Body, stored.Source, stored.PublishedAt!.Value, stored.Metadata["k"]));

        var missing = await Assert.ThrowsAsync<TextSearchException>(() => Documents.UpsertDocument(new UpsertDocumentRequest(), new TestServerCallContext()));
        Assert.Equal("document", missing.Field);
        var badDate = await Assert.ThrowsAsync<TextSearchException>(() => Documents.UpsertDocument(
            new UpsertDocumentRequest { Document = new V1.Document { Id = "u2", PublishedAt = new Timestamp { Nanos = -5 } } }, new TestServerCallContext()));
        Assert.Equal("document.published_at", badDate.Field);
        Assert.Single(_engine.Calls); // neither reached the engine
    }

    [Fact]
    public async Task Bulk_turns_each_message_into_an_entry_and_the_result_into_the_response()
    {
        _engine.BulkResult = new BulkResult(2, [new BulkItemFailure("b", "document.published_at is not a valid timestamp.", 1)]);
        var requests = new[]
        {
            new UpsertDocumentRequest { Document = new V1.Document { Id = "a", Body = "أ" } },
            new UpsertDocumentRequest { Document = new V1.Document { Id = "b", PublishedAt = new Timestamp { Seconds = long.MaxValue } } },
            new UpsertDocumentRequest(),
            new UpsertDocumentRequest { Document = new V1.Document { Id = "c", Body = "ج" } },
        };
        var response = await Documents.BulkUpsertDocuments(new TestAsyncStreamReader<UpsertDocumentRequest>(requests), new TestServerCallContext());

        Assert.Equal(["a", "b", string.Empty, "c"], _engine.BulkEntries.Select(e => e.Id));
        Assert.Equal([null, "document.published_at", "document", null], _engine.BulkEntries.Select(e => e.Error?.Field));
        Assert.Equal("أ", _engine.BulkEntries[0].Document!.Body);
        Assert.Equal(2, response.Upserted);
        var failure = Assert.Single(response.Failures);
        Assert.Equal(("b", 1), (failure.Id, failure.Index));
    }

    [Fact]
    public async Task Get_and_delete_pass_the_id()
    {
        _engine.Stored = new DomainDocument { Id = "g1", Title = "ت" };
        Assert.Equal("ت", (await Documents.GetDocument(new GetDocumentRequest { Id = "g1" }, new TestServerCallContext())).Title);
        Assert.Equal("g1", (await Documents.DeleteDocument(new DeleteDocumentRequest { Id = "g1" }, new TestServerCallContext())).Id);
        Assert.Equal<object>([("get", "g1"), ("delete", "g1")], _engine.Calls);
    }

    [Fact]
    public void Every_domain_parameter_has_its_proto_field_name()
    {
        var parameters = typeof(Parameter).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => ((Parameter)f.GetValue(null)!).Path).ToList();
        Assert.Equal(parameters.Order(), ProtoFields.DomainPaths.Order());
        Assert.All(parameters, p => Assert.NotEqual(p, ProtoFields.Of(p)));
        Assert.Equal("page_size", ProtoFields.Of(Parameter.PageSize.Path));
        Assert.Equal("document.published_at", ProtoFields.Of(Parameter.DocumentPublishedAt.Path));
        Assert.Equal("offset_encoding", ProtoFields.Of("offset_encoding")); // the server's own names pass through
    }

    [Fact]
    public async Task Normalize_takes_its_rules_from_the_request_and_refuses_empty_text()
    {
        var service = new NormalizationGrpcService(TextAnalyzer.Default);
        var options = new NormalizationOptions { TehMarbuta = false };
        var response = await service.Normalize(new NormalizeRequest { Text = "مَدْرَسَة", Options = options }, new TestServerCallContext());
        Assert.Equal("مدرسة", response.Normalized);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => service.Normalize(new NormalizeRequest(), new TestServerCallContext()));
        Assert.Equal(Parameter.Text.Path, ex.Field);
    }
}
