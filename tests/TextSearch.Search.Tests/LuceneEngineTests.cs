using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search.Lucene;

namespace TextSearch.Search.Tests;

/// <summary>The conformance suite on the embedded engine, plus what is specific to it (the index on disk).</summary>
public sealed class LuceneEngineTests : EngineConformanceTests
{
    private readonly string _path = TestSupport.TempDir();

    protected override Task<ISearchBackend> CreateBackendAsync() => Task.FromResult<ISearchBackend>(Open(_path));

    private static LuceneBackend Open(string path) =>
        new(new LuceneOptions { IndexPath = path }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_path, recursive: true);
    }

    [Fact]
    public async Task Acknowledged_writes_survive_reopening_the_index()
    {
        var path = TestSupport.TempDir();
        try
        {
            await using (var backend = Open(path))
            {
                await backend.UpsertAsync([new Document { Id = "p1", Title = "باق", Body = "محفوظ على القرص" }], default);
            }

            await using (var reopened = Open(path))
            {
                Assert.Equal("محفوظ على القرص", (await reopened.GetAsync("p1", default))?.Body);
                var hits = await TestSupport.Engine(reopened).SearchAsync(new SearchRequestModel("القرص"), default);
                Assert.Equal("p1", Assert.Single(hits.Hits).Document.Id);
            }
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public async Task The_index_secret_is_kept_with_the_index_and_differs_between_indexes()
    {
        var path = TestSupport.TempDir();
        var other = TestSupport.TempDir();
        try
        {
            byte[] first;
            await using (var backend = Open(path))
            {
                first = await backend.GetSecretAsync(default);
                Assert.True(first.Length >= 32);
                Assert.Equal(first, await backend.GetSecretAsync(default));
                await backend.UpsertAsync([new Document { Id = "s1", Body = "سر" }], default);
            }

            await using (var reopened = Open(path))
            {
                Assert.Equal(first, await reopened.GetSecretAsync(default));
            }

            await using var second = Open(other);
            Assert.NotEqual(first, await second.GetSecretAsync(default));
        }
        finally
        {
            Directory.Delete(path, recursive: true);
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public async Task A_bulk_is_invisible_until_its_commit_even_past_other_commits()
    {
        await using var bulk = Backend.BeginBulk();
        await bulk.AddAsync([new Document { Id = "def-1", Body = "مؤجلكلمة" }], default);
        await Backend.UpsertAsync([new Document { Id = "other", Body = "وثيقة أخرى" }], default);
        Assert.Empty((await Engine.SearchAsync(new SearchRequestModel("مؤجلكلمة"), default)).Hits);
        Assert.Null(await Backend.GetAsync("def-1", default));
        await bulk.CommitAsync(default);
        Assert.Equal("def-1", Assert.Single((await Engine.SearchAsync(new SearchRequestModel("مؤجلكلمة"), default)).Hits).Document.Id);
    }

    [Fact]
    public async Task Segments_joined_by_bulk_streams_are_merged()
    {
        var path = TestSupport.TempDir();
        try
        {
            await using (var backend = Open(path))
            {
                for (var stream = 0; stream < 40; stream++)
                {
                    await using var bulk = backend.BeginBulk();
                    await bulk.AddAsync([.. Enumerable.Range(0, 5).Select(i => new Document { Id = $"s{stream}-{i}", Body = $"دفعة {stream}" })], default);
                    await bulk.CommitAsync(default);
                }
            }

            // Closing waits for the merges under way: 40 streams must not leave 40 segments.
            using var directory = global::Lucene.Net.Store.FSDirectory.Open(path);
            using var reader = global::Lucene.Net.Index.DirectoryReader.Open(directory);
            Assert.Equal(200, reader.NumDocs);
            Assert.InRange(reader.Leaves.Count, 1, 15);
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public async Task Concurrent_writers_are_all_acknowledged_and_visible()
    {
        var tasks = Enumerable.Range(0, 50).Select(i =>
            Backend.UpsertAsync([new Document { Id = $"c{i}", Title = "متزامن", Body = $"وثيقة رقم {i}" }], default));
        await Task.WhenAll(tasks);
        var all = await Engine.SearchAsync(new SearchRequestModel("متزامن", 100), default);
        Assert.Equal(50, all.TotalHits);
    }

    [Fact]
    public async Task Exact_forms_are_indexed_without_positions_and_the_stems_and_variant_keys_with_them()
    {
        var path = TestSupport.TempDir();
        try
        {
            await using (var backend = Open(path))
            {
                await backend.UpsertAsync([new Document { Id = "f1", Title = "عنوان الخبر", Body = "الديمقراطية في العالم العربي" }], default);
            }

            using var directory = global::Lucene.Net.Store.FSDirectory.Open(path);
            using var reader = global::Lucene.Net.Index.DirectoryReader.Open(directory);
            var fields = global::Lucene.Net.Index.MultiFields.GetMergedFieldInfos(reader);
            foreach (var name in new[] { LuceneFields.TitleExact, LuceneFields.BodyExact })
            {
                Assert.Equal(global::Lucene.Net.Index.IndexOptions.DOCS_AND_FREQS, fields.FieldInfo(name).IndexOptions);
                Assert.False(fields.FieldInfo(name).OmitsNorms);
            }

            // Phrases read the stems; proximity pairs the variant keys.
            foreach (var name in new[] { LuceneFields.Title, LuceneFields.Body, LuceneFields.BodyKey })
            {
                Assert.Equal(global::Lucene.Net.Index.IndexOptions.DOCS_AND_FREQS_AND_POSITIONS, fields.FieldInfo(name).IndexOptions);
            }
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(0.5, false)]
    public async Task Suggest_answers_the_same_when_the_completion_field_holds_the_words_itself(double exactBoost, bool titleInBody)
    {
        // By default the words are read from the exact forms (title and body); without them, from the completion field.
        Document[] docs =
        [
            new() { Id = "w1", Title = "الإسلامية", Body = "الحضارة الإسلامية" },
            new() { Id = "w2", Title = "تاريخ", Body = "الحضارة الاسلاميه والاسلام" },
            new() { Id = "w3", Body = "الإسلامية والحضارة" },
            new() { Id = "w4", Title = "الاسلام", Body = "حضارات" },
        ];
        var other = TestSupport.TempDir();
        var defaults = TestSupport.TempDir();
        try
        {
            await using var plain = new LuceneBackend(
                new LuceneOptions { IndexPath = other, Ranking = new RankingOptions { ExactBoost = (float)exactBoost, TitleInBody = titleInBody } },
                TextAnalyzer.Default,
                NullLogger<LuceneBackend>.Instance);
            await using var standard = Open(defaults);
            Assert.Equal(LuceneFields.Suggest, plain.Schema.SuggestWordsField);
            Assert.Equal(LuceneFields.BodyExact, standard.Schema.SuggestWordsField);
            foreach (var backend in new LuceneBackend[] { plain, standard })
            {
                await backend.UpsertAsync(docs, default);
                await backend.DeleteAsync("w3", default);
            }

            foreach (var prefix in new[] { "ال", "الاسلا", "حض", "ت" })
            {
                var expected = await TestSupport.Engine(plain).SuggestAsync(prefix, 10, default);
                Assert.NotEmpty(expected);
                Assert.Equal(expected, await TestSupport.Engine(standard).SuggestAsync(prefix, 10, default));
            }

            var islamic = (await TestSupport.Engine(standard).SuggestAsync("الاسلامي", 10, default)).Single();
            Assert.Equal(("الاسلاميه", 2L), (islamic.Normalized, islamic.Count));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
            Directory.Delete(defaults, recursive: true);
        }
    }

    [Fact]
    public async Task An_index_written_for_other_field_settings_is_refused_with_what_to_do()
    {
        var path = TestSupport.TempDir();
        try
        {
            await using (var backend = Open(path))
            {
                await backend.UpsertAsync([new Document { Id = "k1", Body = "كلمات للإكمال" }], default);
            }

            // ExactBoost 0 would search, and complete words from, fields this index was not written with.
            var ex = Assert.Throws<IndexUnusableException>(() => new LuceneBackend(
                new LuceneOptions { IndexPath = path, Ranking = new RankingOptions { ExactBoost = 0 } }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance));
            Assert.Contains("ExactBoost on, TitleInBody on", ex.Message, StringComparison.Ordinal);
            Assert.Contains("this server has ExactBoost off, TitleInBody on", ex.Message, StringComparison.Ordinal);
            Assert.Contains("reindex", ex.Message, StringComparison.Ordinal);

            // Settings that do not decide fields (the boosts' values, the window) open it.
            await using var same = new LuceneBackend(
                new LuceneOptions { IndexPath = path, Ranking = new RankingOptions { ExactBoost = 1, RescoreWindow = 50 } }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance);
            Assert.Equal(1, await same.CountAsync(default));
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public async Task New_segments_store_fields_uncompressed_and_segments_of_the_previous_codec_stay_readable()
    {
        var path = TestSupport.TempDir();
        try
        {
            await using (var backend = Open(path))
            {
                await backend.UpsertAsync([new Document { Id = "n1", Title = "جديد", Body = "مخزن بلا ضغط" }], default);
            }

            // A segment of the stock codec (as an index of an earlier version holds), with this layout.
            using (var directory = global::Lucene.Net.Store.FSDirectory.Open(path))
            {
                var config = new global::Lucene.Net.Index.IndexWriterConfig(global::Lucene.Net.Util.LuceneVersion.LUCENE_48, new CoreAnalyzer(TextAnalyzer.Default))
                {
                    OpenMode = global::Lucene.Net.Index.OpenMode.APPEND,
                    Codec = new global::Lucene.Net.Codecs.Lucene46.Lucene46Codec(),
                };
                using var writer = new global::Lucene.Net.Index.IndexWriter(directory, config);
                writer.AddDocument(new LuceneSchema(new RankingOptions(), TextAnalyzer.Default).ToLucene(new Document { Id = "o1", Title = "قديم", Body = "مخزن مضغوط" }));
                writer.SetCommitData(new Dictionary<string, string>(writer.CommitData));
                writer.Commit();
            }

            using (var directory = global::Lucene.Net.Store.FSDirectory.Open(path))
            {
                var infos = new global::Lucene.Net.Index.SegmentInfos();
                infos.Read(directory);
                Assert.Equal(["Lucene46", TextSearchCodec.RegisteredName], infos.Segments.Select(s => s.Info.Codec.Name).Order(StringComparer.Ordinal));
            }

            await using (var reopened = Open(path))
            {
                Assert.Equal("مخزن مضغوط", (await reopened.GetAsync("o1", default))?.Body);
                Assert.Equal("مخزن بلا ضغط", (await reopened.GetAsync("n1", default))?.Body);
                var hits = await TestSupport.Engine(reopened).SearchAsync(new SearchRequestModel("مخزن"), default);
                Assert.Equal(["n1", "o1"], hits.Hits.Select(h => h.Document.Id).Order(StringComparer.Ordinal));
                await reopened.UpsertAsync([new Document { Id = "n2", Body = "مخزن ثالث" }], default);
            }
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
