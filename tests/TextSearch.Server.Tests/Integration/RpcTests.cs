using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>Every RPC against a real in-process server, happy paths first.</summary>
[Collection(ServerCollection.Name)]
public sealed class RpcTests(ServerFixture server)
{
    private SearchService.SearchServiceClient Search => new(server.Channel);

    private DocumentService.DocumentServiceClient Documents => new(server.Channel);

    private NormalizationService.NormalizationServiceClient Normalization => new(server.Channel);

    [Fact]
    public async Task Normalize_applies_the_default_rules()
    {
        var response = await Normalization.NormalizeAsync(new NormalizeRequest { Text = "ٱلرَّحْمَٰنِ ﷲ ٤٩" });
        Assert.Equal("الرحمن الله 49", response.Normalized);
        Assert.True(response.Changed);
    }

    [Fact]
    public async Task Normalize_options_switch_rules()
    {
        var response = await Normalization.NormalizeAsync(new NormalizeRequest
        {
            Text = "مَدْرَسَةٌ ؤ",
            Options = new NormalizationOptions { Diacritics = false, TehMarbuta = false, HamzaCarriers = true },
        });
        Assert.Equal("مَدْرَسَةٌ و", response.Normalized);
    }

    [Fact]
    public async Task Normalize_reports_unchanged_text()
    {
        var response = await Normalization.NormalizeAsync(new NormalizeRequest { Text = "سلام" });
        Assert.False(response.Changed);
        Assert.Equal("سلام", response.Normalized);
    }

    [Fact]
    public async Task Normalize_offsets_map_back_to_the_original_in_code_points()
    {
        // 😀 is two UTF-16 units, one code point; the kasra is removed but belongs to the ن before it.
        var response = await Normalization.NormalizeAsync(new NormalizeRequest { Text = "😀 مِن", IncludeOffsets = true });
        Assert.Equal("😀 من", response.Normalized);
        Assert.Equal(4, response.Offsets.Count); // one per normalized code point
        Assert.Equal((0, 1), (response.Offsets[0].Start, response.Offsets[0].End));
        Assert.Equal((2, 4), (response.Offsets[2].Start, response.Offsets[2].End)); // م + kasra
        Assert.Equal((4, 5), (response.Offsets[3].Start, response.Offsets[3].End));
    }

    [Fact]
    public async Task Analyze_returns_tokens_with_terms_stems_and_offsets()
    {
        var analyzed = await Normalization.AnalyzeAsync(new AnalyzeRequest { Text = "😀 وَالْمُدُنِ في ٢٠١٩" });
        Assert.Equal(["والمدن", "في", "2019"], analyzed.Tokens.Select(t => t.Term));
        var word = analyzed.Tokens[0];
        Assert.Equal("وَالْمُدُنِ", word.Text);
        Assert.Equal("مدن", word.Stem);
        Assert.Equal((2, 13), (word.Start, word.End)); // code points: 😀 counts once
        Assert.True(analyzed.Tokens[1].Stopword);
        Assert.True(analyzed.Tokens[2].Number);
        Assert.Equal([0, 1, 2], analyzed.Tokens.Select(t => t.Position));
    }

    [Theory]
    [InlineData(OffsetEncoding.Unspecified, 2)]
    [InlineData(OffsetEncoding.CodePoint, 2)]
    [InlineData(OffsetEncoding.Utf16, 3)]
    [InlineData(OffsetEncoding.Utf8, 5)]
    public async Task Analyze_offsets_in_each_encoding(OffsetEncoding encoding, int expectedStart)
    {
        var analyzed = await Normalization.AnalyzeAsync(new AnalyzeRequest { Text = "😀 ب", OffsetEncoding = encoding });
        Assert.Equal(expectedStart, Assert.Single(analyzed.Tokens).Start);
    }

    [Fact]
    public async Task Search_finds_the_seeds_with_snippets_and_highlights()
    {
        var response = await Search.SearchAsync(new SearchRequest { Query = "قسد" });
        Assert.Equal(5, response.TotalHits);
        Assert.Equal(5, response.Hits.Count);
        Assert.Empty(response.NextPageToken);
        Assert.All(response.Hits, hit =>
        {
            Assert.NotEmpty(hit.Title);
            var snippet = Assert.Single(hit.Snippets);
            Assert.NotEmpty(snippet.Highlights);
            foreach (var h in snippet.Highlights)
            {
                Assert.InRange(h.Start, 0, h.End - 1);
            }
        });
    }

    [Fact]
    public async Task Search_returns_source_date_and_normalized_query()
    {
        var response = await Search.SearchAsync(new SearchRequest { Query = "أفول داعش" });
        var hit = response.Hits.Single(h => h.Id == "000_e7c410046469def3");
        Assert.Equal("وكالات – الإمارات 71", hit.Source);
        Assert.Equal(new DateTime(2017, 10, 14, 0, 0, 0, DateTimeKind.Utc), hit.PublishedAt.ToDateTime());
        Assert.Equal("افول داعش", response.NormalizedQuery);
        Assert.NotEmpty(hit.TitleHighlights);
        Assert.Contains("داعش", response.Terms);
    }

    [Theory]
    [InlineData(OffsetEncoding.CodePoint)]
    [InlineData(OffsetEncoding.Utf16)]
    [InlineData(OffsetEncoding.Utf8)]
    public async Task Highlight_offsets_follow_the_requested_encoding(OffsetEncoding encoding)
    {
        await Documents.UpsertDocumentAsync(new UpsertDocumentRequest
        {
            Document = new Document { Id = "enc-1", Title = "ترميز", Body = "😀😀 نصٌّ عن مدينةِ الزَّعْفَرانة هنا" },
        });
        var response = await Search.SearchAsync(new SearchRequest { Query = "الزعفرانة", OffsetEncoding = encoding });
        var snippet = Assert.Single(Assert.Single(response.Hits).Snippets);
        var h = Assert.Single(snippet.Highlights);
        var highlighted = Slice(snippet.Text, h.Start, h.End, encoding);
        Assert.Equal("الزَّعْفَرانة", highlighted);
    }

    private static string Slice(string text, int start, int end, OffsetEncoding encoding)
    {
        switch (encoding)
        {
            case OffsetEncoding.Utf16:
                return text[start..end];
            case OffsetEncoding.Utf8:
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                return System.Text.Encoding.UTF8.GetString(bytes, start, end - start);
            default:
                var runes = text.EnumerateRunes().ToArray();
                return string.Concat(runes[start..end].Select(r => r.ToString()));
        }
    }

    [Fact]
    public async Task Search_pages_with_tokens()
    {
        var ids = new List<string>();
        var request = new SearchRequest { Query = "سوريا", PageSize = 2 };
        var first = await Search.SearchAsync(request);
        ids.AddRange(first.Hits.Select(h => h.Id));
        Assert.NotEmpty(first.NextPageToken);
        var second = await Search.SearchAsync(new SearchRequest { Query = "سوريا", PageSize = 2, PageToken = first.NextPageToken });
        ids.AddRange(second.Hits.Select(h => h.Id));
        Assert.Equal(first.TotalHits, second.TotalHits);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Snippet_gives_fragments_of_one_document()
    {
        var response = await Search.SnippetAsync(new SnippetRequest { DocumentId = "003_46747d5c7beb1e50", Query = "دوار النعيم", MaxSnippets = 2 });
        Assert.InRange(response.Snippets.Count, 1, 2);
        Assert.All(response.Snippets, s => Assert.NotEmpty(s.Highlights));
    }

    [Fact]
    public async Task Documents_round_trip_with_all_fields()
    {
        var doc = new Document
        {
            Id = "rt-1",
            Title = "عنوانٌ",
            Body = "نصّ",
            Source = "مصدر",
            PublishedAt = Timestamp.FromDateTime(new DateTime(2021, 5, 6, 7, 8, 9, DateTimeKind.Utc)),
        };
        doc.Metadata["lang"] = "ar";
        var upserted = await Documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = doc });
        Assert.Equal("rt-1", upserted.Id);
        Assert.Equal(doc, await Documents.GetDocumentAsync(new GetDocumentRequest { Id = "rt-1" }));
        Assert.Equal("rt-1", (await Documents.DeleteDocumentAsync(new DeleteDocumentRequest { Id = "rt-1" })).Id);
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Documents.GetDocumentAsync(new GetDocumentRequest { Id = "rt-1" }));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Bulk_upsert_reports_each_failure_and_keeps_the_rest()
    {
        using var call = Documents.BulkUpsertDocuments();
        await call.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "bulk-a", Body = "الكلمةالنادرةجدا" } });
        await call.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "", Body = "بلا معرف" } });
        await call.RequestStream.WriteAsync(new UpsertDocumentRequest());
        await call.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = "bulk-b", Body = "الكلمةالنادرةجدا" } });
        await call.RequestStream.CompleteAsync();
        var response = await call;
        Assert.Equal(2, response.Upserted);
        Assert.Equal([1, 2], response.Failures.Select(f => f.Index));
        Assert.All(response.Failures, f => Assert.NotEmpty(f.Reason));
        var found = await Search.SearchAsync(new SearchRequest { Query = "الكلمةالنادرةجدا" });
        Assert.Equal(2, found.TotalHits);
    }

    [Fact]
    public async Task Bulk_upsert_over_several_batches_stores_everything()
    {
        const int count = 4500; // more than two batches, so they are pipelined
        using var call = Documents.BulkUpsertDocuments();
        for (var i = 0; i < count; i++)
        {
            await call.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = new Document { Id = $"many-{i}", Body = $"دفعاتكثيرة رقم {i}" } });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call;
        Assert.Equal(count, response.Upserted);
        Assert.Empty(response.Failures);
        Assert.Equal(count, (await Search.SearchAsync(new SearchRequest { Query = "دفعاتكثيرة" })).TotalHits);
    }

    [Fact]
    public async Task Health_is_serving()
    {
        var health = new Health.HealthClient(server.Channel);
        var response = await health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_services()
    {
        var reflection = new ServerReflection.ServerReflectionClient(server.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(default));
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("textsearch.v1.SearchService", names);
        Assert.Contains("textsearch.v1.DocumentService", names);
        Assert.Contains("textsearch.v1.NormalizationService", names);
        Assert.Contains("grpc.health.v1.Health", names);
    }
}
