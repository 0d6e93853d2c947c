using System.Runtime.CompilerServices;
using Grpc.Core;
using TextSearch.V1;

namespace TextSearch.Client.Tests;

/// <summary>The client against a real in-process TextSearch server with the seeds indexed.</summary>
[Collection(ServerCollection.Name)]
public sealed class ServerIntegrationTests(ServerFixture server) : IDisposable
{
    private readonly TextSearchClient _client = TextSearchClient.Create(new TextSearchClientOptions { Address = server.Address });

    public void Dispose() => _client.Dispose();

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static async IAsyncEnumerable<Document> Async(IEnumerable<Document> documents, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var document in documents)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return document;
        }
    }

    [Fact]
    public async Task Search_finds_a_seed_term_with_snippets()
    {
        var response = await _client.SearchAsync("قسد", new SearchOptions { PageSize = 3, MaxSnippets = 2 });

        Assert.True(response.TotalHits > 0);
        Assert.InRange(response.Hits.Count, 1, 3);
        Assert.All(response.Hits, h => Assert.StartsWith("00", h.Id, StringComparison.Ordinal));
        Assert.Contains(response.Hits, h => h.Snippets.Count > 0 && h.Snippets[0].Highlights.Count > 0);
    }

    [Fact]
    public async Task An_invalid_field_is_named_by_the_field_violations()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.SearchAsync("قسد", new SearchOptions { PageSize = 101 }));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.FieldViolations());
        Assert.Equal("page_size", violation.Field);
        Assert.Equal(ex.Status.Detail, violation.Description);

        var notFound = await Assert.ThrowsAsync<RpcException>(() => _client.GetAsync("no-such-document"));
        Assert.Empty(notFound.FieldViolations()); // an error about no field names none
    }

    [Fact]
    public async Task SearchAll_walks_every_page_once()
    {
        var first = await _client.SearchAsync("دير الزور");
        Assert.True(first.TotalHits > 1, "the seeds should hold several hits for this query");

        var ids = new List<string>();
        await foreach (var hit in _client.SearchAllAsync("دير الزور", new SearchOptions { PageSize = 1 }))
        {
            ids.Add(hit.Id);
        }

        Assert.Equal(first.TotalHits, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Normalize_and_analyze()
    {
        var normalized = await _client.NormalizeAsync("ٱلرَّحْمَٰنِ");
        Assert.Equal("الرحمن", normalized.Normalized);
        Assert.True(normalized.Changed);

        var withOffsets = await _client.NormalizeAsync("ٱلرَّحْمَٰنِ", new NormalizeOptions { IncludeOffsets = true });
        Assert.Equal(withOffsets.Normalized.Length, withOffsets.Offsets.Count);

        var tokens = await _client.AnalyzeAsync("وَالْمُدُنِ في ٢٠١٩", new AnalyzeOptions { OffsetEncoding = OffsetEncoding.Utf16 });
        Assert.Equal(3, tokens.Tokens.Count);
        Assert.Equal("وَالْمُدُنِ", tokens.Tokens[0].Text);
        Assert.True(tokens.Tokens[1].Stopword);
        Assert.True(tokens.Tokens[2].Number);
    }

    [Fact]
    public async Task Index_an_async_stream_in_batches_then_search_get_snippet_and_delete()
    {
        var marker = "زمردونيا" + Guid.NewGuid().ToString("N")[..6];
        var ids = Enumerable.Range(0, 5).Select(i => NewId($"client-{i}")).ToArray();
        var documents = ids.Select((id, i) => new Document { Id = id, Title = $"عنوان {i}", Body = $"نص عن {marker} رقم {i}" }).ToList();
        documents.Insert(3, new Document { Id = string.Empty, Title = "بلا معرف", Body = "نص" }); // refused: no id
        var progress = new List<IndexProgress>();

        var result = await _client.IndexAsync(Async(documents), new IndexOptions { BatchSize = 2, Progress = new SyncProgress<IndexProgress>(progress.Add) });

        Assert.Equal(6, result.Sent);
        Assert.Equal(5, result.Upserted);
        Assert.Equal(3, result.Batches);
        Assert.Equal(0, result.Retries);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(3, failure.Index); // its position in the whole sequence, not in its batch (where it is 1)
        Assert.Equal(new IndexProgress(6, 6, 3), progress[^1]);
        Assert.Equal([2L, 4L, 6L], progress.Where(p => p.Acknowledged > 0).Select(p => p.Acknowledged).Distinct());

        var found = await _client.SearchAsync(marker, new SearchOptions { PageSize = 10 });
        Assert.Equal(5, found.TotalHits);
        Assert.Equal(ids.Order(StringComparer.Ordinal), found.Hits.Select(h => h.Id).Order(StringComparer.Ordinal));

        var got = await _client.GetAsync(ids[2]);
        Assert.Equal("عنوان 2", got.Title);
        var snippets = await _client.SnippetAsync(ids[2], marker);
        Assert.Contains(marker, Assert.Single(snippets.Snippets).Text, StringComparison.Ordinal);

        Assert.Equal(ids[2], (await _client.DeleteAsync(ids[2])).Id);
        var gone = await Assert.ThrowsAsync<RpcException>(() => _client.GetAsync(ids[2]));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Upsert_then_get()
    {
        var id = NewId("upsert");
        var upserted = await _client.UpsertAsync(new Document { Id = id, Title = "مقال", Body = "نص المقال", Metadata = { ["lang"] = "ar" } });
        Assert.Equal(id, upserted.Id);
        var got = await _client.GetAsync(id);
        Assert.Equal("ar", got.Metadata["lang"]);
    }

    [Fact]
    public async Task Errors_keep_their_status_code_and_message()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() => _client.GetAsync("no-such-document-x1"));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no-such-document-x1", missing.Status.Detail, StringComparison.Ordinal);

        var snippetMissing = await Assert.ThrowsAsync<RpcException>(() => _client.SnippetAsync("no-such-document-x2", "قسد"));
        Assert.Equal(StatusCode.NotFound, snippetMissing.StatusCode);

        var empty = await Assert.ThrowsAsync<RpcException>(() => _client.SearchAsync(string.Empty));
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);

        var badSize = await Assert.ThrowsAsync<RpcException>(() => _client.SearchAsync("قسد", new SearchOptions { PageSize = 101 }));
        Assert.Equal(StatusCode.InvalidArgument, badSize.StatusCode);
    }

    [Fact]
    public async Task A_cancelled_token_cancels_the_call()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.SearchAsync("قسد", cancellationToken: cts.Token));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }
}

/// <summary>An IProgress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
