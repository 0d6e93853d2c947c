using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Search;
using TextSearch.Search.Ingestion;

namespace TextSearch.Testing;

/// <summary>
/// The behaviour every engine must show, run against each backend: the seeds relevance table, ranking,
/// pagination, writes and errors. A backend's test class derives from this and says how to open it.
/// </summary>
public abstract partial class EngineConformanceTests : IAsyncLifetime
{
    protected const string D0 = "000_e7c410046469def3";
    protected const string D1 = "001_0cdae21df2de8709";
    protected const string D2 = "002_efd2be0952ca666b";
    protected const string D3 = "003_46747d5c7beb1e50";
    protected const string D4 = "004_7d9db1b0e6b1bccf";

    private ISearchBackend? _backend;

    protected ISearchBackend Backend => _backend ?? throw new InvalidOperationException("not initialized");

    protected SearchEngine Engine { get; private set; } = null!;

    /// <summary>Opens a fresh, empty backend.</summary>
    protected abstract Task<ISearchBackend> CreateBackendAsync();

    public async Task InitializeAsync()
    {
        _backend = await CreateBackendAsync();
        Engine = TestSupport.Engine(_backend);
        await new SeedIngestor(TestSupport.Engine(_backend), NullLogger<SeedIngestor>.Instance).IngestAsync(TestSupport.SeedsPath, default);
    }

    public virtual async Task DisposeAsync()
    {
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }

    protected async Task<IReadOnlyList<string>> Ids(string query, int pageSize = 100) =>
        [.. (await Engine.SearchAsync(new SearchRequestModel(query, pageSize), default)).Hits.Select(h => h.Document.Id)];

    // query, expected documents (any order), a document expected first (or null)
    public static TheoryData<string, string[], string?> SeedsRelevanceTable => new()
    {
        { "رونالدو", [], null },                                     // only in the stripped headline ticker
        { "الديمقراطية", [D0, D1, D2, D3, D4], null },              // D4 only writes الديموقراطية
        { "الديموقراطية", [D0, D1, D2, D3, D4], null },
        { "قسد", [D0, D1, D2, D3, D4], null },                      // synonym: قوات سوريا الديمقراطية
        { "داعش", [D0, D1, D2, D3, D4], null },
        { "تنظيم الدولة الإسلامية", [D0, D1, D2, D3, D4], null },   // synonym: داعش
        { "٤٩٠٠", [D4], D4 },                                        // digits in any script
        { "4900", [D4], D4 },
        { "۴۹۰۰", [D4], D4 },
        { "\"دوار النعيم\"", [D3], D3 },
        { "داعش -الرقة", [D4], D4 },
        { "الموصل", [D3], D3 },
        { "هجين", [D4], D4 },
        { "الرَّقَّة -داعش", [], null },
        { "الموصل الرقة", [D0, D1, D2, D3], D3 },                    // D3 matches both words
        { "الباغوز", [D4], D4 },
        { "الـبـاغـوز", [D4], D4 },                                  // tatweel in the query
        { "Tamam", [], null },                                       // the cookie notice is not indexed
        { "çerezler", [], null },
        { "المزيد", [], null },
        { "!!!", [], null },
        { "😀", [], null },
        { "\"غير مغلق", [], null },
    };

    [ConformanceTheory]
    [MemberData(nameof(SeedsRelevanceTable))]
    public async Task Seeds_relevance_table(string query, string[] expected, string? first)
    {
        var ids = await Ids(query);
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        if (first is not null)
        {
            Assert.Equal(first, ids[0]);
        }
    }

    [ConformanceFact]
    public async Task Spelling_variants_rank_below_exact_matches()
    {
        var ids = await Ids("الديمقراطية");
        Assert.Equal(D4, ids[^1]);
    }

    [ConformanceFact]
    public async Task Documents_matching_more_words_come_first()
    {
        var result = await Engine.SearchAsync(new SearchRequestModel("الموصل هجين الباغوز"), default);
        Assert.Equal(D4, result.Hits[0].Document.Id); // هجين and الباغوز
        Assert.Equal(D3, result.Hits[1].Document.Id); // الموصل only
    }

    [ConformanceFact]
    public async Task Other_forms_of_the_query_words_near_each_other_count_as_near()
    {
        // The same words in both, only their distance differs; neither writes the query's own forms (تأسست for تأسس,
        // بمصر for مصر), so only their variant keys pair them. Without proximity on the keys the two would tie and
        // come in id order, the far one first.
        const string Filler = "قرية صغيرة يعيش فيها مزارع طيب يزرع القمح والشعير والذرة";
        await Engine.UpsertAsync(new Document { Id = "prox-a-far", Title = "خبر", Body = $"تأسست {Filler} بمصر" }, default);
        await Engine.UpsertAsync(new Document { Id = "prox-b-near", Title = "خبر", Body = $"تأسست بمصر {Filler}" }, default);

        var ids = await Ids("تأسس مصر");
        Assert.Equal(["prox-b-near", "prox-a-far"], ids.Where(id => id.StartsWith("prox-", StringComparison.Ordinal)));
        Assert.Equal("prox-b-near", ids[0]);
    }

    [ConformanceFact]
    public async Task A_question_does_not_search_for_the_word_that_names_what_it_asks_for()
    {
        // The answer holds the question's topic (الساموراي) but not معنى; the other text is short and holds معنى only.
        // Searched for both words, each matches one, and the shorter wins; a question searches for its topic alone.
        await Engine.UpsertAsync(new Document { Id = "answer-type-a", Title = "خبر", Body = "كان الساموراي طبقة المحاربين في اليابان القديمة وخدموا الإقطاعيين قرونا طويلة" }, default);
        await Engine.UpsertAsync(new Document { Id = "answer-type-b", Title = "خبر", Body = "معنى الحياة" }, default);

        Assert.Equal(["answer-type-a"], await Ids("ما معنى الساموراي؟"));
        Assert.Equal(["answer-type-b", "answer-type-a"], await Ids("معنى الساموراي")); // asks nothing: معنى is searched for
    }

    [ConformanceFact]
    public async Task A_question_that_asks_when_ranks_the_text_with_a_number_near_its_words_first()
    {
        // The same words, as often and as near each other, in texts of one length: only the year's place differs.
        await Engine.UpsertAsync(new Document { Id = "number-a", Title = "خبر", Body = "افتتح المتحف الوطني للزوار بعد سنوات من العمل المتواصل في البناء والترميم عام 1999" }, default);
        await Engine.UpsertAsync(new Document { Id = "number-b", Title = "خبر", Body = "افتتح المتحف الوطني للزوار عام 1999 بعد سنوات من العمل المتواصل في البناء والترميم" }, default);

        async Task<string[]> Numbered(string query) => [.. (await Ids(query)).Where(id => id.StartsWith("number-", StringComparison.Ordinal))];
        Assert.Equal(["number-b", "number-a"], await Numbered("متى افتتح المتحف الوطني؟"));
        Assert.Equal(["number-b", "number-a"], await Numbered("كم عاما مضى على افتتاح المتحف الوطني"));
        Assert.Equal(["number-a", "number-b"], await Numbered("افتتح المتحف الوطني")); // asks nothing: a tie, in id order
    }

    [ConformanceFact]
    public async Task Exclusion_only_query_returns_everything_else()
    {
        var ids = await Ids("-الموصل");
        Assert.Equal([D0, D1, D2, D4], ids.Order(StringComparer.Ordinal));
    }

    [ConformanceFact]
    public async Task Pages_are_stable_disjoint_and_complete()
    {
        var all = await Engine.SearchAsync(new SearchRequestModel("سوريا", 100), default);
        var paged = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Engine.SearchAsync(new SearchRequestModel("سوريا", 2, token), default);
            Assert.Equal(all.TotalHits, page.TotalHits);
            paged.AddRange(page.Hits.Select(h => h.Document.Id));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(all.Hits.Select(h => h.Document.Id), paged);
        Assert.Equal(3, pages);
    }

    [ConformanceFact]
    public async Task Equal_scores_are_ordered_by_id_in_code_point_order_on_every_page()
    {
        // The same text under four ids. UTF-16 code units would put the two above U+FFFF (surrogate pairs) before the
        // one in U+E000–U+FFFF; code points (UTF-8 bytes, Elasticsearch's keyword order) put them after.
        string[] ids = ["tie-a", "tie-\uFF21", "tie-\U0001F600", "tie-\U0001F600-2"];
        foreach (var id in ids.Reverse())
        {
            await Engine.UpsertAsync(new Document { Id = id, Title = "تعادل", Body = "كلمةالتعادل في نص واحد." }, default);
        }

        var all = await Engine.SearchAsync(new SearchRequestModel("كلمةالتعادل", 10), default);
        Assert.Single(all.Hits.Select(h => h.Score).Distinct());
        Assert.Equal(ids, all.Hits.Select(h => h.Document.Id));

        var paged = new List<string>();
        string? token = null;
        do
        {
            var page = await Engine.SearchAsync(new SearchRequestModel("كلمةالتعادل", 1, token), default);
            paged.AddRange(page.Hits.Select(h => h.Document.Id));
            token = page.NextPageToken;
        }
        while (token is not null && paged.Count < 10);

        Assert.Equal(ids, paged);
    }

    [ConformanceFact]
    public async Task Page_token_of_another_query_is_rejected()
    {
        var page = await Engine.SearchAsync(new SearchRequestModel("سوريا", 2), default);
        Assert.NotNull(page.NextPageToken);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => Engine.SearchAsync(new SearchRequestModel("داعش", 2, page.NextPageToken), default));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
    }

    [ConformanceTheory]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public async Task Page_size_out_of_range_is_rejected(int pageSize)
    {
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => Engine.SearchAsync(new SearchRequestModel("سوريا", pageSize), default));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
    }

    [ConformanceFact]
    public async Task Page_size_defaults_to_10_and_allows_100()
    {
        await Backend.UpsertAsync([.. Enumerable.Range(0, 12).Select(i => new Document { Id = $"bulk-{i:D2}", Title = "اختبار الصفحات", Body = "نص" })], default);
        Assert.Equal(10, (await Engine.SearchAsync(new SearchRequestModel("الصفحات"), default)).Hits.Count);
        Assert.Equal(12, (await Engine.SearchAsync(new SearchRequestModel("الصفحات", 100), default)).Hits.Count);
    }

    [ConformanceFact]
    public async Task Upsert_is_searchable_when_acknowledged_and_replaces()
    {
        await Engine.UpsertAsync(new Document { Id = "w1", Title = "خبر جديد", Body = "وصل القطار إلى محطة الزرقاء." }, default);
        Assert.Equal(["w1"], await Ids("الزرقاء"));

        await Engine.UpsertAsync(new Document { Id = "w1", Title = "خبر معدل", Body = "وصلت الطائرة إلى المطار." }, default);
        Assert.Empty(await Ids("الزرقاء"));
        Assert.Equal(["w1"], await Ids("الطائرة"));
        Assert.Equal("خبر معدل", (await Engine.GetAsync("w1", default)).Title);
    }

    [ConformanceFact]
    public async Task Get_returns_the_original_document()
    {
        var doc = new Document
        {
            Id = "g1",
            Title = "عنوانٌ مُشَكَّل",
            Body = "نصّ الخبر",
            Source = "مصدر",
            PublishedAt = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
        };
        await Engine.UpsertAsync(doc, default);
        var got = await Engine.GetAsync("g1", default);
        Assert.Equal(doc.Title, got.Title);
        Assert.Equal(doc.Body, got.Body);
        Assert.Equal(doc.Source, got.Source);
        Assert.Equal(doc.PublishedAt, got.PublishedAt);
        Assert.Equal("v", got.Metadata["k"]);
    }

    [ConformanceFact]
    public async Task Delete_removes_and_unknown_ids_are_not_found()
    {
        await Engine.UpsertAsync(new Document { Id = "d1", Title = "للحذف", Body = "كلمةفريدة" }, default);
        await Engine.DeleteAsync("d1", default);
        Assert.Empty(await Ids("كلمةفريدة"));
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<TextSearchException>(() => Engine.GetAsync("d1", default))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<TextSearchException>(() => Engine.DeleteAsync("d1", default))).Kind);
    }

    [ConformanceTheory]
    [InlineData("")]
    [InlineData(null)]
    public async Task Empty_ids_are_invalid(string? id)
    {
        Assert.Equal(ErrorKind.InvalidArgument, (await Assert.ThrowsAsync<TextSearchException>(() => Engine.GetAsync(id, default))).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, (await Assert.ThrowsAsync<TextSearchException>(() => Engine.DeleteAsync(id, default))).Kind);
    }

    [ConformanceFact]
    public async Task Snippets_come_from_the_original_text_with_exact_highlights()
    {
        var result = await Engine.SearchAsync(new SearchRequestModel("الديمقراطية"), default);
        foreach (var hit in result.Hits)
        {
            var fragment = hit.Snippets[0];
            Assert.Equal(hit.Document.Body[fragment.Start..fragment.End], fragment.Text);
            Assert.NotEmpty(fragment.Highlights);
            Assert.All(fragment.Highlights, h => Assert.Contains("الديم", fragment.Text[h.Start..h.End], StringComparison.Ordinal));
        }
    }

    [ConformanceFact]
    public async Task Bulk_stores_valid_entries_across_batches_and_reports_the_others_at_their_positions()
    {
        const int count = Limits.BulkBatchDocuments + 500;
        var result = await Engine.BulkUpsertAsync(Entries(), default);

        Assert.Equal(count - 1, result.Upserted); // 2,502 entries, 3 invalid

        Assert.Equal([7, Limits.BulkBatchDocuments + 1, count + 1], result.Failures.Select(f => f.Position));
        Assert.StartsWith("the document id must not be empty", result.Failures[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("document.published_at", result.Failures[1].Reason, StringComparison.Ordinal);
        Assert.StartsWith("the document body is", result.Failures[2].Reason, StringComparison.Ordinal);
        Assert.Equal(count - 2, (await Engine.SearchAsync(new SearchRequestModel("كلمةالدفعة", 10), default)).TotalHits); // bulk-5 twice
        Assert.Equal("نسخة ثانية", (await Engine.GetAsync("bulk-5", default)).Title); // the last of a repeated id wins

        async IAsyncEnumerable<BulkEntry> Entries()
        {
            for (var i = 0; i < count + 2; i++)
            {
                await Task.Yield();
                if (i == 7)
                {
                    yield return BulkEntry.Of(new Document { Id = string.Empty, Body = "بلا معرف" });
                }
                else if (i == Limits.BulkBatchDocuments + 1)
                {
                    yield return BulkEntry.Invalid("bulk-bad-date", new InputError("document.published_at", "document.published_at is not a valid timestamp."));
                }
                else if (i == count)
                {
                    yield return BulkEntry.Of(new Document { Id = "bulk-5", Title = "نسخة ثانية", Body = "كلمةالدفعة مكررة" });
                }
                else if (i == count + 1)
                {
                    yield return BulkEntry.Of(new Document { Id = "bulk-huge", Body = new string('ب', Limits.MaxBodyChars + 1) });
                }
                else
                {
                    yield return BulkEntry.Of(new Document { Id = $"bulk-{i}", Title = "دفعة", Body = $"كلمةالدفعة رقم {i}" });
                }
            }
        }
    }

    [ConformanceFact]
    public async Task Bulk_result_counts_only_what_is_searchable_and_an_empty_stream_stores_nothing()
    {
        var empty = await Engine.BulkUpsertAsync(AsyncEnumerable.Empty<BulkEntry>(), default);
        Assert.Equal(0, empty.Upserted);
        Assert.Empty(empty.Failures);
        Assert.Equal(5, await Backend.CountAsync(default));
    }

    [ConformanceFact]
    public async Task Seeds_ingestion_is_idempotent()
    {
        var report = await new SeedIngestor(Engine, NullLogger<SeedIngestor>.Instance).IngestAsync(TestSupport.SeedsPath, default);
        Assert.Equal(new SeedReport(5, 0, 5, 0), report);
        Assert.Equal(5, await Backend.CountAsync(default));
    }
}
