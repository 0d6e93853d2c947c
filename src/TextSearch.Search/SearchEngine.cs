using TextSearch.Search.Paging;
using TextSearch.Search.Query;
using TextSearch.Search.Snippets;

namespace TextSearch.Search;

public sealed record SearchRequestModel(
    string? Query, int PageSize = 0, string? PageToken = null, int MaxSnippets = 0, int FragmentChars = 0)
{
    /// <summary>Which documents to consider; with a filter (or facets) a blank query lists the documents.</summary>
    public SearchFilter? Filter { get; init; }

    public SortOrder Sort { get; init; } = SortOrder.Relevance;

    /// <summary>Facet names ("source", "published_at"), counted over every match.</summary>
    public IReadOnlyList<string> Facets { get; init; } = [];

    /// <summary>Values per facet: 0 for the default (10), at most 100.</summary>
    public int FacetSize { get; init; }
}

public sealed record SearchHitModel(Document Document, float Score, IReadOnlyList<Fragment> Snippets, IReadOnlyList<Highlight> TitleHighlights);

public sealed record SearchResultModel(IReadOnlyList<SearchHitModel> Hits, long TotalHits, string? NextPageToken, SearchQuery Query)
{
    public IReadOnlyList<FacetResult> Facets { get; init; } = [];
}

/// <summary>A completion of what was typed: the text with its last word completed, that word normalized, its documents.</summary>
public sealed record SuggestionModel(string Text, string Normalized, long Count);

/// <summary>
/// The search service over any backend: validates requests, parses queries, pages with opaque tokens and cuts
/// snippets. Backends only store and rank.
/// </summary>
public sealed partial class SearchEngine(ISearchBackend backend, QueryParser parser, SnippetBuilder snippets) : ISearchEngine
{
    private ISearchBackend Backend { get; } = backend;

    private QueryParser Parser { get; } = parser;

    private SnippetBuilder Snippets { get; } = snippets;

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
        var pageSize = Resolve(request.PageSize, Limits.DefaultPageSize, 1, Limits.MaxPageSize, Parameter.PageSize);
        var maxSnippets = Resolve(request.MaxSnippets, Limits.DefaultSearchSnippets, 1, Limits.MaxSnippets, Parameter.MaxSnippets);
        var fragmentChars = Resolve(request.FragmentChars, Limits.DefaultFragmentChars, Limits.MinFragmentChars, Limits.MaxFragmentChars, Parameter.FragmentChars);
        var facetSize = Resolve(request.FacetSize, Limits.DefaultFacetSize, 1, Limits.MaxFacetSize, Parameter.FacetSize);
        var facets = ResolveFacets(request.Facets);
        var sort = Enum.IsDefined(request.Sort) ? request.Sort : Throw.Invalid<SortOrder>(Parameter.Sort, $"the sort order {(int)request.Sort} is not one of relevance, newest, oldest.");
        var filter = ResolveFilter(request.Filter);

        // The budget covers all of the query's work: the backend search and the snippets of every hit.
        using var budget = new QueryBudget(QueryTimeBudget, cancellationToken);
        try
        {
            SearchQuery query;
            PageToken.State? state;
            using (var parse = SearchTelemetry.Start("textsearch.search.parse", Backend))
            {
                try
                {
                    query = string.IsNullOrWhiteSpace(request.Query) && (!filter.IsEmpty || facets.Count > 0)
                        ? SearchQuery.All
                        : Parser.Parse(request.Query);
                    state = string.IsNullOrEmpty(request.PageToken)
                        ? null
                        : PageToken.Decode(await PageTokenKeyAsync(budget.Token).ConfigureAwait(false), request.PageToken, Binding(query, sort, filter));
                }
                catch (Exception ex) when (SearchTelemetry.Failed(parse, ex))
                {
                    throw;
                }
            }

            if (query.FindsNothing)
            {
                return new SearchResultModel([], 0, null, query) { Facets = [.. facets.Select(f => new FacetResult(f, []))] };
            }

            var spec = new BackendSearch(query, pageSize, state?.Cursor) { Filter = filter, Sort = sort, Facets = facets, FacetSize = facetSize };
            BackendPage page;
            using (var search = SearchTelemetry.Start("textsearch.search.query", Backend))
            {
                try
                {
                    page = await SearchWithinBudgetAsync(spec, budget).ConfigureAwait(false);
                    search?.SetTag("textsearch.hits", page.Hits.Count);
                    search?.SetTag("textsearch.total_hits", page.TotalHits);
                }
                catch (Exception ex) when (SearchTelemetry.Failed(search, ex))
                {
                    throw;
                }
            }

            List<SearchHitModel> hits;
            using (var snippetsActivity = SearchTelemetry.Start("textsearch.search.snippets", Backend))
            {
                snippetsActivity?.SetTag("textsearch.hits", page.Hits.Count);
                try
                {
                    hits = SnippetsWithinBudget(page, query, maxSnippets, fragmentChars, budget);
                }
                catch (Exception ex) when (SearchTelemetry.Failed(snippetsActivity, ex))
                {
                    throw;
                }
            }

            var returned = (state?.Returned ?? 0) + hits.Count;
            string? next = null;
            if (hits.Count == pageSize && returned < page.TotalHits)
            {
                var last = page.Hits[^1];
                next = PageToken.Encode(
                    await PageTokenKeyAsync(budget.Token).ConfigureAwait(false), Binding(query, sort, filter), new SearchCursor(last.Score, last.Id, last.Rescored, last.SortValue), returned);
            }

            ThrowIfOverBudget(budget);
            return new SearchResultModel(hits, page.TotalHits, next, query) { Facets = Facets(facets, page, facetSize) };
        }
        catch (OperationCanceledException ex) when (budget.StoppedTheWork)
        {
            throw OverBudget(ex);
        }
    }

    /// <summary>Runs the backend search with the query time budget: the backend stops when the budget's token fires.</summary>
    private async Task<BackendPage> SearchWithinBudgetAsync(BackendSearch search, QueryBudget budget)
    {
        var page = await Backend.SearchAsync(search, budget.Token).ConfigureAwait(false);

        // No snippets for a search already past its budget, even if the timer that cancels the token is late.
        ThrowIfOverBudget(budget);
        return page;
    }

    /// <summary>Snippets and title highlights for every hit, stopped by the budget's token (checked inside each document).</summary>
    private List<SearchHitModel> SnippetsWithinBudget(BackendPage page, SearchQuery query, int maxSnippets, int fragmentChars, QueryBudget budget)
    {
        var hits = new List<SearchHitModel>(page.Hits.Count);
        foreach (var hit in page.Hits)
        {
            budget.Token.ThrowIfCancellationRequested();
            var doc = hit.Document;
            hits.Add(new SearchHitModel(
                doc,
                hit.Score,
                Snippets.Build(doc.Body, query, maxSnippets, fragmentChars, budget.Token),
                Snippets.HighlightAll(doc.Title, query, budget.Token)));
        }

        return hits;
    }

    /// <summary>The key page tokens are signed with: the index's secret, fetched once.</summary>
    private async ValueTask<PageTokenKey> PageTokenKeyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _pageTokenKey) is { } key)
        {
            return key;
        }

        // Two first searches at once may both fetch it; the secret is the same, and one key is kept.
        key = new PageTokenKey(await Backend.GetSecretAsync(cancellationToken).ConfigureAwait(false));
        return Interlocked.CompareExchange(ref _pageTokenKey, key, null) ?? key;
    }

    private PageTokenKey? _pageTokenKey;

    private void ThrowIfOverBudget(QueryBudget budget)
    {
        // The token stops the engine's work early; the clock decides the outcome, so a query that ends past its
        // budget is reported as such even when the timer that cancels the token fires late (a busy machine).
        if (budget.IsOver)
        {
            throw OverBudget(null);
        }
    }

    private TextSearchException OverBudget(Exception? inner) => new(
        ErrorKind.DeadlineExceeded, $"the query ran past its time budget of {QueryTimeBudget.TotalMilliseconds:0.###} ms and was stopped.", inner);

    /// <summary>
    /// One query's time budget: a token that fires when the budget runs out or the caller cancels, and a clock.
    /// With no budget it is the caller's token alone.
    /// </summary>
    private sealed class QueryBudget : IDisposable
    {
        private readonly CancellationTokenSource? _source;
        private readonly CancellationToken _caller;
        private readonly TimeSpan _budget;
        private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

        public QueryBudget(TimeSpan budget, CancellationToken caller)
        {
            _caller = caller;
            _budget = budget;
            if (budget != Timeout.InfiniteTimeSpan)
            {
                _source = CancellationTokenSource.CreateLinkedTokenSource(caller);
                _source.CancelAfter(budget);
            }
        }

        public CancellationToken Token => _source?.Token ?? _caller;

        /// <summary>True once the time is up (the clock says so, whether or not the timer has fired).</summary>
        public bool IsOver => _source is not null && System.Diagnostics.Stopwatch.GetElapsedTime(_started) > _budget;

        /// <summary>True when the budget, not the caller, cancelled the work: the caller's cancellation stays a cancellation.</summary>
        public bool StoppedTheWork => _source is { IsCancellationRequested: true } && !_caller.IsCancellationRequested;

        public void Dispose() => _source?.Dispose();
    }

    /// <summary>Snippets of one document, with the document they were cut from; under the query time budget.</summary>
    public async Task<(Document Document, IReadOnlyList<Fragment> Fragments)> SnippetAsync(
        string? documentId, string? query, int maxSnippets, int fragmentChars, CancellationToken cancellationToken)
    {
        using var activity = SearchTelemetry.Start("textsearch.snippet", Backend);
        try
        {
            var id = ValidateId(documentId, Parameter.DocumentId);
            var max = Resolve(maxSnippets, Limits.DefaultSnippetRpcSnippets, 1, Limits.MaxSnippets, Parameter.MaxSnippets);
            var chars = Resolve(fragmentChars, Limits.DefaultFragmentChars, Limits.MinFragmentChars, Limits.MaxFragmentChars, Parameter.FragmentChars);
            var parsed = Parser.Parse(query);
            using var budget = new QueryBudget(QueryTimeBudget, cancellationToken);
            try
            {
                var doc = await GetAsync(id, budget.Token).ConfigureAwait(false);
                ThrowIfOverBudget(budget);
                var fragments = Snippets.Build(doc.Body, parsed, max, chars, budget.Token);
                ThrowIfOverBudget(budget);
                activity?.SetTag("textsearch.snippets", fragments.Count);
                return (doc, fragments);
            }
            catch (OperationCanceledException ex) when (budget.StoppedTheWork)
            {
                throw OverBudget(ex);
            }
        }
        catch (Exception ex) when (SearchTelemetry.Failed(activity, ex))
        {
            throw;
        }
    }

    public async Task<Document> GetAsync(string? id, CancellationToken cancellationToken)
    {
        var doc = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (doc is null)
        {
            Throw.NotFound($"document '{id}' does not exist.");
        }

        return doc;
    }

    public async Task<Document?> FindAsync(string? id, CancellationToken cancellationToken)
    {
        using var activity = SearchTelemetry.Start("textsearch.get", Backend);
        try
        {
            var valid = ValidateId(id, Parameter.Id);
            return await Backend.GetAsync(valid, cancellationToken).ConfigureAwait(false);
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
            var valid = ValidateId(id, Parameter.Id);
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
            return new InputError(Parameter.Document.Path, "document is required.");
        }

        if (IdError(doc.Id, Parameter.DocumentIdField) is { } idError)
        {
            return new InputError(Parameter.DocumentIdField.Path, idError);
        }

        if (doc.Title.Length > Limits.MaxTitleChars)
        {
            return new InputError(Parameter.DocumentTitle.Path, $"the document title is {doc.Title.Length} characters long; the maximum is {Limits.MaxTitleChars}.");
        }

        if (doc.Body.Length > Limits.MaxBodyChars)
        {
            return new InputError(Parameter.DocumentBody.Path, $"the document body is {doc.Body.Length} characters long; the maximum is {Limits.MaxBodyChars}.");
        }

        if (doc.Source.Length > Limits.MaxSourceChars)
        {
            return new InputError(Parameter.DocumentSource.Path, $"the document source is {doc.Source.Length} characters long; the maximum is {Limits.MaxSourceChars}.");
        }

        if (doc.Metadata.Count > Limits.MaxMetadataEntries)
        {
            return new InputError(Parameter.DocumentMetadata.Path, $"the document metadata has {doc.Metadata.Count} entries; the maximum is {Limits.MaxMetadataEntries}.");
        }

        foreach (var (key, value) in doc.Metadata)
        {
            if (key.Length is 0 or > Limits.MaxMetadataKeyChars || value.Length > Limits.MaxMetadataValueChars || key.Any(char.IsControl))
            {
                return new InputError(
                    Parameter.DocumentMetadata.Path,
                    $"the document metadata entry '{Truncate(key)}' breaks the limits (key 1 to {Limits.MaxMetadataKeyChars} characters without control characters, value up to {Limits.MaxMetadataValueChars}).");
            }
        }

        return null;
    }

    private static string ValidateId(string? id, Parameter parameter)
    {
        if (IdError(id, parameter) is { } error)
        {
            Throw.Invalid(parameter, error);
        }

        return id!;
    }

    private static string? IdError(string? id, Parameter parameter)
    {
        if (string.IsNullOrEmpty(id))
        {
            return $"the {parameter.Words} must not be empty.";
        }

        if (id.Length > Limits.MaxIdChars)
        {
            return $"the {parameter.Words} is {id.Length} characters long; the maximum is {Limits.MaxIdChars}.";
        }

        if (id.Any(char.IsControl))
        {
            return $"the {parameter.Words} must not contain control characters.";
        }

        return null;
    }

    private static int Resolve(int value, int defaultValue, int min, int max, Parameter parameter)
    {
        if (value == 0)
        {
            return defaultValue;
        }

        if (value < min || value > max)
        {
            Throw.Invalid(parameter, $"the {parameter.Words} must be between {min} and {max} (or 0 for the default {defaultValue}); got {value}.");
        }

        return value;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
