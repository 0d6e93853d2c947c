using System.Security.Cryptography;

namespace TextSearch.Search.Tests;

/// <summary>
/// Issue 12 at the engine level: the query time budget and the caller's cancellation cover the snippets of every
/// hit (Search) and of the document (Snippet), not only the backend search; page tokens are signed per index.
/// </summary>
public sealed class SearchEngineBudgetTests
{
    /// <summary>A backend that answers at once with the documents it was given (every search returns all of them).</summary>
    private sealed class FakeBackend(IReadOnlyList<Document> documents, byte[]? secret = null) : ISearchBackend
    {
        public byte[] Secret { get; } = secret ?? RandomNumberGenerator.GetBytes(32);

        public int SecretReads { get; private set; }

        public string Name => "fake";

        public Task<IReadOnlyList<DocumentFailure>> UpsertAsync(IReadOnlyList<Document> documents, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<Document?> GetAsync(string id, CancellationToken cancellationToken) =>
            Task.FromResult(documents.FirstOrDefault(d => d.Id == id));

        public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IBulkWriter BeginBulk() => throw new NotSupportedException();

        public Task<BackendPage> SearchAsync(BackendSearch search, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (size, after) = (search.Size, search.After);

            // Score descending by position, ties never: score n - i; after a cursor, what follows it.
            var ranked = documents.Select((d, i) => new BackendHit(d.Id, documents.Count - i, d));
            if (after is { } cursor)
            {
                ranked = ranked.Where(h => h.Score < cursor.Score);
            }

            return Task.FromResult(new BackendPage([.. ranked.Take(size)], documents.Count));
        }

        public Task<IReadOnlyList<SuggestEntry>> SuggestAsync(string prefix, int size, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, long>> DocumentFrequenciesAsync(IReadOnlyCollection<string> stems, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<long> CountAsync(CancellationToken cancellationToken) => Task.FromResult((long)documents.Count);

        public Task<BackendHealth> CheckHealthAsync(CancellationToken cancellationToken) => Task.FromResult(BackendHealth.Serving);

        public Task<byte[]> GetSecretAsync(CancellationToken cancellationToken)
        {
            SecretReads++;
            return Task.FromResult(Secret);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static readonly string HugeTitle = string.Concat(Enumerable.Repeat("سوريا ", Limits.MaxTitleChars / 6));

    private static readonly string HugeBody = string.Concat(Enumerable.Repeat("سوريا ", Limits.MaxBodyChars / 6));

    /// <summary>The largest document there may be: one common word repeated over 2,000,000 characters (one shared string).</summary>
    private static Document Huge(int i) => new() { Id = $"huge-{i:D3}", Title = HugeTitle, Body = HugeBody };

    private static readonly IReadOnlyList<Document> HugeDocuments = [.. Enumerable.Range(0, Limits.MaxPageSize).Select(Huge)];

    /// <summary>
    /// A source cancelled 50 ms from now by a thread of its own. A timer's callback runs on the thread pool, which the
    /// CPU-bound tests running next to this one can starve for longer than the whole snippet work takes (CI saw the
    /// work finish first), so the caller would never have gone away.
    /// </summary>
    private static CancellationTokenSource CancelSoon()
    {
        var cts = new CancellationTokenSource();
        new Thread(() =>
        {
            Thread.Sleep(50);
            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The test ended first.
            }
        })
        { IsBackground = true }.Start();
        return cts;
    }

    private static SearchEngine Engine(ISearchBackend backend, TimeSpan budget) =>
        new(backend, TestSupport.Parser, TestSupport.Snippets) { QueryTimeBudget = budget };

    [Fact]
    public async Task A_search_whose_snippets_run_past_the_budget_is_deadline_exceeded()
    {
        // The backend answers at once; the snippets of 100 of the largest documents take far longer than 20 ms.
        var engine = Engine(new FakeBackend(HugeDocuments), TimeSpan.FromMilliseconds(20));
        var search = engine.SearchAsync(new SearchRequestModel("سوريا", Limits.MaxPageSize, MaxSnippets: Limits.MaxSnippets, FragmentChars: Limits.MaxFragmentChars), default);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => search.WaitAsync(TimeSpan.FromSeconds(120)));
        Assert.Equal(ErrorKind.DeadlineExceeded, ex.Kind);
        Assert.Equal("the query ran past its time budget of 20 ms and was stopped.", ex.Message);
    }

    [Fact]
    public async Task A_snippet_call_that_runs_past_the_budget_is_deadline_exceeded()
    {
        // One document read whole (no bounds): its snippets take far longer than the 20 ms budget.
        var doc = Huge(0);
        var engine = new SearchEngine(new FakeBackend([doc]), TestSupport.Parser, new Snippets.SnippetBuilder(TestSupport.Snippets.Analyzer, int.MaxValue, int.MaxValue))
        {
            QueryTimeBudget = TimeSpan.FromMilliseconds(20),
        };
        var snippet = engine.SnippetAsync(doc.Id, "سوريا", Limits.MaxSnippets, Limits.MaxFragmentChars, default);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => snippet.WaitAsync(TimeSpan.FromSeconds(120)));
        Assert.Equal(ErrorKind.DeadlineExceeded, ex.Kind);
        Assert.Contains("time budget of 20 ms", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_stops_snippets_and_stays_a_cancellation()
    {
        // No budget; the caller goes away while the snippets of the largest documents are being cut.
        var engine = Engine(new FakeBackend(HugeDocuments), Timeout.InfiniteTimeSpan);
        using var cts = CancelSoon();
        var search = engine.SearchAsync(new SearchRequestModel("سوريا", Limits.MaxPageSize, MaxSnippets: Limits.MaxSnippets, FragmentChars: Limits.MaxFragmentChars), cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search.WaitAsync(TimeSpan.FromSeconds(120)));

        // Within a budget too: the caller's cancellation is not reported as the budget's.
        var budgeted = Engine(new FakeBackend(HugeDocuments), TimeSpan.FromMinutes(10));
        using var cts2 = CancelSoon();
        search = budgeted.SearchAsync(new SearchRequestModel("سوريا", Limits.MaxPageSize, MaxSnippets: Limits.MaxSnippets, FragmentChars: Limits.MaxFragmentChars), cts2.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search.WaitAsync(TimeSpan.FromSeconds(120)));
    }

    [Fact]
    public async Task The_callers_cancellation_stops_a_snippet_call_inside_the_document()
    {
        var doc = Huge(0);
        var engine = new SearchEngine(new FakeBackend([doc]), TestSupport.Parser, new Snippets.SnippetBuilder(TestSupport.Snippets.Analyzer, int.MaxValue, int.MaxValue));
        using var cts = CancelSoon();
        var snippet = engine.SnippetAsync(doc.Id, "سوريا", Limits.MaxSnippets, Limits.MaxFragmentChars, cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => snippet.WaitAsync(TimeSpan.FromSeconds(120)));
    }

    [Fact]
    public async Task A_search_within_its_budget_returns_snippets_of_the_bounded_text()
    {
        // A generous budget: 10 of the largest documents, each snippeted within the analyzed bound.
        var engine = Engine(new FakeBackend(HugeDocuments), TimeSpan.FromMinutes(2));
        var result = await engine.SearchAsync(new SearchRequestModel("سوريا", 10), default).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(10, result.Hits.Count);
        Assert.All(result.Hits, h => Assert.NotEmpty(Assert.Single(h.Snippets).Highlights));
        Assert.All(result.Hits, h => Assert.NotEmpty(h.TitleHighlights));
    }

    private static IReadOnlyList<Document> Small(int n) =>
        [.. Enumerable.Range(0, n).Select(i => new Document { Id = $"d{i}", Title = "عنوان", Body = $"سوريا رقم {i}" })];

    [Fact]
    public async Task Pages_chain_with_signed_tokens_and_the_secret_is_read_once()
    {
        var backend = new FakeBackend(Small(7));
        var engine = Engine(backend, TimeSpan.FromMinutes(1));
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await engine.SearchAsync(new SearchRequestModel("سوريا", 2, token), default);
            ids.AddRange(page.Hits.Select(h => h.Document.Id));
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(Small(7).Select(d => d.Id), ids);
        Assert.Equal(1, backend.SecretReads);
    }

    [Fact]
    public async Task A_token_from_one_index_is_refused_by_another()
    {
        var firstBackend = new FakeBackend(Small(5));
        var first = Engine(firstBackend, Timeout.InfiniteTimeSpan);
        var second = Engine(new FakeBackend(Small(5)), Timeout.InfiniteTimeSpan);
        var token = (await first.SearchAsync(new SearchRequestModel("سوريا", 2), default)).NextPageToken;
        Assert.NotNull(token);
        Assert.NotEmpty((await first.SearchAsync(new SearchRequestModel("سوريا", 2, token), default)).Hits);
        var ex = await Assert.ThrowsAsync<TextSearchException>(() => second.SearchAsync(new SearchRequestModel("سوريا", 2, token), default));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(Parameter.PageToken.Path, ex.Field);

        // The same index (the same secret) served by another engine, as after a restart or on another server: accepted.
        var again = Engine(new FakeBackend(Small(5), firstBackend.Secret), Timeout.InfiniteTimeSpan);
        Assert.NotEmpty((await again.SearchAsync(new SearchRequestModel("سوريا", 2, token), default)).Hits);
    }
}
