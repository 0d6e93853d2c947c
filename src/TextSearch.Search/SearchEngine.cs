using TextSearch.Search.Paging;
using TextSearch.Search.Query;
using TextSearch.Search.Snippets;

namespace TextSearch.Search;

public sealed record SearchRequestModel(
    string? Query, int PageSize = 0, string? PageToken = null, int MaxSnippets = 0, int FragmentChars = 0);

public sealed record SearchHitModel(Document Document, float Score, IReadOnlyList<Fragment> Snippets, IReadOnlyList<Highlight> TitleHighlights);

public sealed record SearchResultModel(IReadOnlyList<SearchHitModel> Hits, long TotalHits, string? NextPageToken, SearchQuery Query);

/// <summary>
/// The search service over any backend: validates requests, parses queries, pages with opaque tokens and cuts
/// snippets. Backends only store and rank.
/// </summary>
public sealed partial class SearchEngine(ISearchBackend backend, QueryParser parser, SnippetBuilder snippets)
{
    public ISearchBackend Backend { get; } = backend;

    public QueryParser Parser { get; } = parser;

    public SnippetBuilder Snippets { get; } = snippets;

    /// <summary>How long the engine may spend on one query before it is stopped (DEADLINE_EXCEEDED); infinite by default.</summary>
    public TimeSpan QueryTimeBudget { get; init; } = Timeout.InfiniteTimeSpan;

    public async Task<SearchResultModel> SearchAsync(SearchRequestModel request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = SearchTelemetry.Start("textsearch.search", Backend);
        try
        {
            var result = await SearchCoreAsync(request, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("textsearch.query.clauses", result.Query.Clauses.Count);
            activity?.SetTag("textsearch.hits", result.Hits.Count);
            activity?.SetTag("textsearch.total_hits", result.TotalHits);
            return result;
        }
        catch (Exception ex) when (SearchTelemetry.Failed(activity, ex))
        {
            throw;
        }
    }

    private async Task<SearchResultModel> SearchCoreAsync(SearchRequestModel request, CancellationToken cancellationToken)
    {
        var pageSize = Resolve(request.PageSize, Limits.DefaultPageSize, 1, Limits.MaxPageSize, "page_size");
        var maxSnippets = Resolve(request.MaxSnippets, Limits.DefaultSearchSnippets, 1, Limits.MaxSnippets, "max_snippets");
        var fragmentChars = Resolve(request.FragmentChars, Limits.DefaultFragmentChars, Limits.MinFragmentChars, Limits.MaxFragmentChars, "fragment_chars");
        SearchQuery query;
        PageToken.State? state;
        using (var parse = SearchTelemetry.Start("textsearch.search.parse", Backend))
        {
            try
            {
                query = Parser.Parse(request.Query);
                state = string.IsNullOrEmpty(request.PageToken) ? null : PageToken.Decode(request.PageToken, query.Canonical);
            }
            catch (Exception ex) when (SearchTelemetry.Failed(parse, ex))
            {
                throw;
            }
        }

        if (query.IsEmpty && !query.IsExclusionOnly)
        {
            return new SearchResultModel([], 0, null, query);
        }

        BackendPage page;
        using (var search = SearchTelemetry.Start("textsearch.search.query", Backend))
        {
            try
            {
                page = await SearchWithinBudgetAsync(query, pageSize, state?.Cursor, cancellationToken).ConfigureAwait(false);
                search?.SetTag("textsearch.hits", page.Hits.Count);
                search?.SetTag("textsearch.total_hits", page.TotalHits);
            }
            catch (Exception ex) when (SearchTelemetry.Failed(search, ex))
            {
                throw;
            }
        }

        using var snippetsActivity = SearchTelemetry.Start("textsearch.search.snippets", Backend);
        snippetsActivity?.SetTag("textsearch.hits", page.Hits.Count);
        var hits = new List<SearchHitModel>(page.Hits.Count);
        foreach (var hit in page.Hits)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var doc = hit.Document;
            hits.Add(new SearchHitModel(
                doc,
                hit.Score,
                Snippets.Build(doc.Body, query, maxSnippets, fragmentChars),
                Snippets.HighlightAll(doc.Title, query)));
        }

        var returned = (state?.Returned ?? 0) + hits.Count;
        string? next = null;
        if (hits.Count == pageSize && returned < page.TotalHits)
        {
            var last = page.Hits[^1];
            next = PageToken.Encode(query.Canonical, new SearchCursor(last.Score, last.Id), returned);
        }

        return new SearchResultModel(hits, page.TotalHits, next, query);
    }

    /// <summary>Runs the backend search with the query time budget: the backend stops when the budget's token fires.</summary>
    private async Task<BackendPage> SearchWithinBudgetAsync(SearchQuery query, int pageSize, SearchCursor? after, CancellationToken cancellationToken)
    {
        if (QueryTimeBudget == Timeout.InfiniteTimeSpan)
        {
            return await Backend.SearchAsync(query, pageSize, after, cancellationToken).ConfigureAwait(false);
        }

        // The token stops the engine's work early; the clock decides the outcome, so a search that ends past its
        // budget is reported as such even when the timer that cancels the token fires late (a busy machine).
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(QueryTimeBudget);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        BackendPage page;
        try
        {
            page = await Backend.SearchAsync(query, pageSize, after, budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw OverBudget(ex);
        }

        return System.Diagnostics.Stopwatch.GetElapsedTime(started) > QueryTimeBudget ? throw OverBudget(null) : page;
    }

    private TextSearchException OverBudget(Exception? inner) => new(
        ErrorKind.DeadlineExceeded, $"the query ran past its time budget of {QueryTimeBudget.TotalMilliseconds:0.###} ms and was stopped.", inner);

    /// <summary>Snippets of one document, with the document they were cut from.</summary>
    public async Task<(Document Document, IReadOnlyList<Fragment> Fragments)> SnippetAsync(
        string? documentId, string? query, int maxSnippets, int fragmentChars, CancellationToken cancellationToken)
    {
        using var activity = SearchTelemetry.Start("textsearch.snippet", Backend);
        try
        {
            var id = ValidateId(documentId, "document_id");
            var max = Resolve(maxSnippets, Limits.DefaultSnippetRpcSnippets, 1, Limits.MaxSnippets, "max_snippets");
            var chars = Resolve(fragmentChars, Limits.DefaultFragmentChars, Limits.MinFragmentChars, Limits.MaxFragmentChars, "fragment_chars");
            var parsed = Parser.Parse(query);
            var doc = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            var fragments = Snippets.Build(doc.Body, parsed, max, chars);
            activity?.SetTag("textsearch.snippets", fragments.Count);
            return (doc, fragments);
        }
        catch (Exception ex) when (SearchTelemetry.Failed(activity, ex))
        {
            throw;
        }
    }

    public async Task<Document> GetAsync(string? id, CancellationToken cancellationToken)
    {
        using var activity = SearchTelemetry.Start("textsearch.get", Backend);
        try
        {
            var valid = ValidateId(id, "id");
            var doc = await Backend.GetAsync(valid, cancellationToken).ConfigureAwait(false);
            if (doc is null)
            {
                Throw.NotFound($"document '{valid}' does not exist.");
            }

            return doc;
        }
        catch (Exception ex) when (SearchTelemetry.Failed(activity, ex))
        {
            throw;
        }
    }

    public async Task DeleteAsync(string? id, CancellationToken cancellationToken)
    {
        using var activity = SearchTelemetry.Start("textsearch.delete", Backend);
        try
        {
            var valid = ValidateId(id, "id");
            if (!await Backend.DeleteAsync(valid, cancellationToken).ConfigureAwait(false))
            {
                Throw.NotFound($"document '{valid}' does not exist.");
            }
        }
        catch (Exception ex) when (SearchTelemetry.Failed(activity, ex))
        {
            throw;
        }
    }

    /// <summary>Upserts one document; throws what the backend reports for it.</summary>
    public async Task UpsertAsync(Document document, CancellationToken cancellationToken)
    {
        using var activity = SearchTelemetry.Start("textsearch.upsert", Backend);
        activity?.SetTag("textsearch.documents", 1);
        try
        {
            if (Validate(document) is { } error)
            {
                Throw.InvalidField(error.Field, error.Message);
            }

            var failures = await Backend.UpsertAsync([document], cancellationToken).ConfigureAwait(false);
            if (failures.Count > 0)
            {
                throw new TextSearchException(failures[0].Kind, failures[0].Reason);
            }
        }
        catch (Exception ex) when (SearchTelemetry.Failed(activity, ex))
        {
            throw;
        }
    }

    /// <summary>Why a document cannot be stored (the field and the reason), or null if it can.</summary>
    public static InputError? Validate(Document? doc)
    {
        if (doc is null)
        {
            return new InputError("document", "document is required.");
        }

        if (IdError(doc.Id, "document.id") is { } idError)
        {
            return new InputError("document.id", idError);
        }

        if (doc.Title.Length > Limits.MaxTitleChars)
        {
            return new InputError("document.title", $"document.title is {doc.Title.Length} characters long; the maximum is {Limits.MaxTitleChars}.");
        }

        if (doc.Body.Length > Limits.MaxBodyChars)
        {
            return new InputError("document.body", $"document.body is {doc.Body.Length} characters long; the maximum is {Limits.MaxBodyChars}.");
        }

        if (doc.Source.Length > Limits.MaxSourceChars)
        {
            return new InputError("document.source", $"document.source is {doc.Source.Length} characters long; the maximum is {Limits.MaxSourceChars}.");
        }

        if (doc.Metadata.Count > Limits.MaxMetadataEntries)
        {
            return new InputError("document.metadata", $"document.metadata has {doc.Metadata.Count} entries; the maximum is {Limits.MaxMetadataEntries}.");
        }

        foreach (var (key, value) in doc.Metadata)
        {
            if (key.Length is 0 or > Limits.MaxMetadataKeyChars || value.Length > Limits.MaxMetadataValueChars)
            {
                return new InputError(
                    "document.metadata",
                    $"document.metadata entry '{Truncate(key)}' breaks the limits (key 1 to {Limits.MaxMetadataKeyChars} characters, value up to {Limits.MaxMetadataValueChars}).");
            }
        }

        return null;
    }

    private static string ValidateId(string? id, string field)
    {
        if (IdError(id, field) is { } error)
        {
            Throw.InvalidField(field, error);
        }

        return id!;
    }

    private static string? IdError(string? id, string field)
    {
        if (string.IsNullOrEmpty(id))
        {
            return $"{field} must not be empty.";
        }

        if (id.Length > Limits.MaxIdChars)
        {
            return $"{field} is {id.Length} characters long; the maximum is {Limits.MaxIdChars}.";
        }

        if (id.Any(char.IsControl))
        {
            return $"{field} must not contain control characters.";
        }

        return null;
    }

    private static int Resolve(int value, int defaultValue, int min, int max, string field)
    {
        if (value == 0)
        {
            return defaultValue;
        }

        if (value < min || value > max)
        {
            Throw.InvalidField(field, $"{field} must be between {min} and {max} (or 0 for the default {defaultValue}); got {value}.");
        }

        return value;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
