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
}
