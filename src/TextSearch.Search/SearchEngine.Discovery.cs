using TextSearch.Analysis;
using TextSearch.Search.Query;

namespace TextSearch.Search;

/// <summary>Filters, sort orders and facets of a search; Suggest; Related.</summary>
public sealed partial class SearchEngine
{
    /// <summary>The facets asked for, each once, in the order asked; INVALID_ARGUMENT naming an unknown one.</summary>
    private static List<FacetField> ResolveFacets(IReadOnlyList<string>? names)
    {
        var facets = new List<FacetField>();
        foreach (var name in names ?? [])
        {
            var field = Enum.GetValues<FacetField>().Cast<FacetField?>().FirstOrDefault(f => DocumentKeys.Name(f!.Value) == name)
                ?? Throw.Invalid<FacetField>(Parameter.Facets, $"the facet '{Truncate(name ?? string.Empty)}' is unknown; the facets are {string.Join(" and ", Enum.GetValues<FacetField>().Select(DocumentKeys.Name))}.");
            if (!facets.Contains(field))
            {
                facets.Add(field);
            }
        }

        return facets;
    }

    /// <summary>The filter as backends apply it; INVALID_ARGUMENT naming the field that breaks a rule.</summary>
    private FilterSpec ResolveFilter(SearchFilter? filter)
    {
        if (filter is null || filter.IsEmpty)
        {
            return FilterSpec.None;
        }

        if (filter.Sources.Count > Limits.MaxFilterSources)
        {
            Throw.Invalid(Parameter.FilterSources, $"the source filter has {filter.Sources.Count} sources; the maximum is {Limits.MaxFilterSources}.");
        }

        var sources = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var source in filter.Sources)
        {
            if (source is null || source.Length > Limits.MaxSourceChars)
            {
                Throw.Invalid(Parameter.FilterSources, $"a source of the source filter is longer than {Limits.MaxSourceChars} characters.");
            }

            var key = DocumentKeys.SourceKey(Parser.Analyzer, source);
            if (key.Length == 0)
            {
                Throw.Invalid(Parameter.FilterSources, "a source of the source filter is blank.");
            }

            sources.Add(key);
        }

        if (filter.PublishedAfter is { } after && filter.PublishedBefore is { } before && after > before)
        {
            Throw.Invalid(
                Parameter.FilterPublishedAfter,
                $"published_after ({after:O}) is later than published_before ({before:O}).");
        }

        if (filter.Metadata.Count > Limits.MaxFilterMetadata)
        {
            Throw.Invalid(Parameter.FilterMetadata, $"the metadata filter has {filter.Metadata.Count} entries; the maximum is {Limits.MaxFilterMetadata}.");
        }

        var pairs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in filter.Metadata)
        {
            if (key.Length is 0 or > Limits.MaxMetadataKeyChars || value.Length > Limits.MaxMetadataValueChars || key.Any(char.IsControl))
            {
                Throw.Invalid(
                    Parameter.FilterMetadata,
                    $"the metadata filter entry '{Truncate(key)}' breaks the limits (key 1 to {Limits.MaxMetadataKeyChars} characters, value up to {Limits.MaxMetadataValueChars}).");
            }

            pairs.Add(DocumentKeys.MetadataPair(key, value));
        }

        return new FilterSpec(
            [.. sources],
            filter.PublishedAfter is { } from ? DocumentKeys.Millis(from) : null,
            filter.PublishedBefore is { } to ? DocumentKeys.Millis(to) : null,
            [.. pairs]);
    }

    /// <summary>What a page token is bound to: the query (its clauses, and whether it asks for a number, which ranks it otherwise), the sort order and the filter.</summary>
    private static string Binding(SearchQuery query, SortOrder sort, FilterSpec filter) =>
        $"{query.Canonical}\u0001{(query.ListsAll ? "*" : string.Empty)}{(query.AsksForNumber ? "#" : string.Empty)}\u0001{sort}\u0001{filter.Canonical}";

    /// <summary>The facets asked for, in the order asked, each ordered and cut to the size.</summary>
    private static IReadOnlyList<FacetResult> Facets(IReadOnlyList<FacetField> asked, BackendPage page, int size) =>
        [.. asked.Select(field => new FacetResult(field, DocumentKeys.Top(page.Facets.FirstOrDefault(f => f.Field == field)?.Values ?? [], size)))];

    /// <summary>
    /// Completes the last word of <paramref name="prefix"/> from the indexed words, ranked by the documents holding
    /// them, each in its most frequent spelling; the words before it are kept as typed.
    /// </summary>
    public async Task<IReadOnlyList<SuggestionModel>> SuggestAsync(string? prefix, int size, CancellationToken cancellationToken)
    {
        using var activity = SearchTelemetry.Start("textsearch.suggest", Backend);
        try
        {
            if (string.IsNullOrWhiteSpace(prefix))
            {
                Throw.Invalid(Parameter.Prefix, "the prefix must not be empty.");
            }

            if (prefix.Length > Limits.MaxSuggestPrefixChars)
            {
                Throw.Invalid(Parameter.Prefix, $"the prefix is {prefix.Length} characters long; the maximum is {Limits.MaxSuggestPrefixChars}.");
            }

            var count = Resolve(size, Limits.DefaultSuggestSize, 1, Limits.MaxSuggestSize, Parameter.SuggestSize);
            if (SuggestTerms.LastWord(Parser.Analyzer, prefix) is not { } last)
            {
                return [];
            }

            using var budget = new QueryBudget(QueryTimeBudget, cancellationToken);
            try
            {
                var entries = await Backend.SuggestAsync(last.Prefix, count, budget.Token).ConfigureAwait(false);
                ThrowIfOverBudget(budget);
                activity?.SetTag("textsearch.suggestions", entries.Count);
                return [.. entries.Select(e => new SuggestionModel(last.Head + e.Spelling, e.Word, e.Count))];
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

    /// <summary>
    /// The documents most like one document: its <see cref="Limits.RelatedTerms"/> most distinctive stems (frequency in
    /// the document × inverse document frequency, held by at least one other document) ranked as a query, with the
    /// filter, never the document itself; one page, with snippets of those terms.
    /// </summary>
    public async Task<SearchResultModel> RelatedAsync(string? documentId, int pageSize, SearchFilter? filter, int maxSnippets, int fragmentChars, CancellationToken cancellationToken)
    {
        using var activity = SearchTelemetry.Start("textsearch.related", Backend);
        try
        {
            var id = ValidateId(documentId, Parameter.DocumentId);
            var size = Resolve(pageSize, Limits.DefaultPageSize, 1, Limits.MaxPageSize, Parameter.PageSize);
            var snippets = Resolve(maxSnippets, Limits.DefaultSearchSnippets, 1, Limits.MaxSnippets, Parameter.MaxSnippets);
            var chars = Resolve(fragmentChars, Limits.DefaultFragmentChars, Limits.MinFragmentChars, Limits.MaxFragmentChars, Parameter.FragmentChars);
            var spec = ResolveFilter(filter);
            using var budget = new QueryBudget(QueryTimeBudget, cancellationToken);
            try
            {
                var doc = await GetAsync(id, budget.Token).ConfigureAwait(false);
                var query = await RelatedQueryAsync(doc, budget.Token).ConfigureAwait(false);
                if (query.IsEmpty)
                {
                    return new SearchResultModel([], 0, null, query);
                }

                var page = await SearchWithinBudgetAsync(new BackendSearch(query, size) { Filter = spec, ExcludeId = doc.Id }, budget).ConfigureAwait(false);
                var hits = SnippetsWithinBudget(page, query, snippets, chars, budget);
                ThrowIfOverBudget(budget);
                activity?.SetTag("textsearch.hits", hits.Count);
                return new SearchResultModel(hits, page.TotalHits, null, query);
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

    /// <summary>The query of a document's most distinctive stems, each with the form it is most often written in there.</summary>
    private async Task<SearchQuery> RelatedQueryAsync(Document doc, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, (int Count, string Term)>(StringComparer.Ordinal);
        var session = new AnalysisSession(Parser.Analyzer);
        foreach (var text in (string[])[doc.Title, doc.Body])
        {
            session.Reset(text);
            while (session.MoveNext())
            {
                var token = session.Current;
                if (token.IsStopword || token.Kind == TokenKind.Number)
                {
                    continue;
                }

                var stemSpan = token.Stem;
                if (stemSpan.Length < SuggestTerms.MinLength)
                {
                    continue;
                }

                var stem = stemSpan.ToString();
                counts[stem] = counts.TryGetValue(stem, out var seen) ? (seen.Count + 1, seen.Term) : (1, token.Term.ToString());
            }
        }

        if (counts.Count == 0)
        {
            return SearchQuery.Empty;
        }

        // Only the stems the document uses most are weighed (as MoreLikeThis does): a very long document has tens of
        // thousands of distinct stems, and the backend looks each one up.
        var candidates = counts.Count <= Limits.RelatedCandidates
            ? counts
            : counts.OrderByDescending(c => c.Value.Count).ThenBy(c => c.Key, StringComparer.Ordinal).Take(Limits.RelatedCandidates).ToDictionary(StringComparer.Ordinal);
        var frequencies = await Backend.DocumentFrequenciesAsync(candidates.Keys, cancellationToken).ConfigureAwait(false);
        var documents = await Backend.CountAsync(cancellationToken).ConfigureAwait(false);
        var chosen = candidates
            .Select(c => (Stem: c.Key, c.Value.Term, c.Value.Count, Df: frequencies.GetValueOrDefault(c.Key)))
            .Where(c => c.Df >= 2)
            .Select(c => (c.Stem, c.Term, Weight: c.Count * (1 + Math.Log(documents / (double)(c.Df + 1)))))
            .OrderByDescending(c => c.Weight)
            .ThenBy(c => c.Stem, StringComparer.Ordinal)
            .Take(Limits.RelatedTerms)
            .ToList();
        return new SearchQuery(
            string.Empty,
            string.Join(' ', chosen.Select(c => c.Term)),
            [.. chosen.Select(c => new QueryClause(Occur.Should, [new QueryPhrase([new QueryWord(c.Term, c.Stem, 0)], Variants: false, FromSynonym: false)]))]);
    }
}
