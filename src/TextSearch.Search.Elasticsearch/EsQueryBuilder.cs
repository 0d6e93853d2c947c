using System.Globalization;
using System.Text;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Aggregations;
using Elastic.Clients.Elasticsearch.Core.Search;
using Elastic.Clients.Elasticsearch.QueryDsl;
using TextSearch.Search.Query;
using EsQuery = Elastic.Clients.Elasticsearch.QueryDsl.Query;
using EsSortOrder = Elastic.Clients.Elasticsearch.SortOrder;

namespace TextSearch.Search.Elasticsearch;

/// <summary>
/// Translates the shared query model into the Elasticsearch query DSL over the pre-analyzed term fields, clause for
/// clause as the embedded engine's LuceneQueryBuilder does:
/// <list type="bullet">
/// <item>a word: <c>term</c> on <c>title_terms</c> (boost TitleBoost) and <c>body_terms</c>, <c>term</c> on the
/// <c>*_exact</c> fields (× ExactBoost), and for spelling variants <c>term</c> on <c>body_keys</c> with the word's
/// variant key (× VariantBoost);</item>
/// <item>a phrase: <c>match_phrase</c> on both stem fields, stopword gaps written as the placeholder token, which the
/// fields' analyzer drops while keeping its position;</item>
/// <item>alternatives (synonyms): a <c>bool</c> of <c>should</c>; quoted phrases <c>must</c>; exclusions <c>must_not</c>;
/// an exclusion-only query is <c>match_all</c> minus the exclusions;</item>
/// <item>coordination (Elasticsearch has none): a <c>function_score</c> whose k-th function filters documents that
/// match at least k of the N clauses (<c>minimum_should_match</c> k) with weight (k/N)^e − ((k−1)/N)^e, summed and
/// multiplied into the score, so a document matching m clauses is scaled by (m/N)^e exactly;</item>
/// <item>proximity: each pair of adjacent words a sloppy <c>match_phrase</c> on <c>body_terms</c>, an optional
/// <c>should</c> next to the main query.</item>
/// </list>
/// The first phase (<see cref="FirstPhase"/>) is the same tree with one query per alternative: a word's key on
/// <c>body_keys</c> (its stem on <c>body_terms</c> when it has no variants), a phrase on <c>body_terms</c>.
/// Everything is the client's typed query DSL.
/// </summary>
internal sealed class EsQueryBuilder(RankingOptions ranking)
{
    /// <summary>
    /// Beyond this many clauses the exact coordination (N filters of N clauses) would grow the query quadratically;
    /// longer queries are scaled by m/N instead (exponent 1).
    /// </summary>
    public const int MaxExactCoordinationClauses = 16;

    private static readonly (string Stems, string Exact, bool Title)[] Fields =
        [(EsFields.TitleTerms, EsFields.TitleExact, true), (EsFields.BodyTerms, EsFields.BodyExact, false)];

    /// <summary>
    /// POST /{alias}/_search: the query, sorted by score then id, search_after the cursor, exact total count, only the
    /// original fields of _source (none when <paramref name="source"/> is false); partial results refused (every shard
    /// answers, or it fails); with several shards, dfs_query_then_fetch, so scores use the index's global statistics.
    /// </summary>
    public static SearchRequest Search(
        string index, EsQuery query, int size, SearchCursor? after, int shards, bool source = true, bool total = true,
        SortOrder order = SortOrder.Relevance, IDictionary<string, Aggregation>? aggregations = null)
    {
        return new SearchRequest(index)
        {
            Size = size,
            TrackTotalHits = new TrackHits(total),
            Source = source ? new SourceConfig(new SourceFilter { Includes = EsFields.Original }) : new SourceConfig(false),
            Query = query,
            Sort = order == SortOrder.Relevance
                ? [ScoreSort, IdSort]
                : [new SortOptions { Field = new FieldSort(EsFields.PublishedAt) { Order = order == SortOrder.Newest ? EsSortOrder.Desc : EsSortOrder.Asc, Missing = "_last" } }, ScoreSort, IdSort],
            // The float score widened to double prints exactly the value Elasticsearch returned.
            SearchAfter = after is not { } cursor ? null
                : order == SortOrder.Relevance ? [FieldValue.Double(cursor.Score), FieldValue.String(cursor.Id)]
                : [FieldValue.Long(cursor.SortValue), FieldValue.Double(cursor.Score), FieldValue.String(cursor.Id)],
            TrackScores = order == SortOrder.Relevance ? null : true,
            Aggregations = aggregations is { Count: > 0 } ? aggregations : null,
            AllowPartialSearchResults = false,
            SearchType = shards > 1 ? SearchType.DfsQueryThenFetch : null,
        };
    }

    private static SortOptions ScoreSort => new() { Score = new ScoreSort { Order = EsSortOrder.Desc } };

    private static SortOptions IdSort => new() { Field = new FieldSort(EsFields.Id) { Order = EsSortOrder.Asc } };

    /// <summary>
    /// The query in a <c>bool</c> whose <c>filter</c> clauses (no score) hold the search's filter: <c>terms</c> on the
    /// normalized source, a <c>range</c> [after, before) on the date in epoch milliseconds, a <c>term</c> per
    /// metadata entry; and a <c>must_not</c> for the document left out. The query alone when there is none.
    /// </summary>
    public static EsQuery Filtered(EsQuery query, BackendSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var spec = search.Filter;
        var filters = new List<EsQuery>();
        if (spec.SourceKeys.Count > 0)
        {
            filters.Add(new TermsQuery { Field = EsFields.SourceKey, Terms = new TermsQueryField([.. spec.SourceKeys.Select(FieldValue.String)]) });
        }

        if (spec.AfterMillis is not null || spec.BeforeMillis is not null)
        {
            // ISO 8601 to the millisecond (epoch_millis strings before 1970 have not always parsed).
            var range = new DateRangeQuery(EsFields.PublishedAt) { Format = "strict_date_optional_time" };
            if (spec.AfterMillis is { } after)
            {
                range.Gte = IsoMillis(after);
            }

            if (spec.BeforeMillis is { } before)
            {
                range.Lt = IsoMillis(before);
            }

            filters.Add(range);
        }

        filters.AddRange(spec.MetadataPairs.Select(pair => (EsQuery)new TermQuery(EsFields.MetadataPairs, FieldValue.String(pair))));
        List<EsQuery>? mustNot = search.ExcludeId is { } id ? [new TermQuery(EsFields.Id, FieldValue.String(id))] : null;
        return filters.Count == 0 && mustNot is null ? query : new BoolQuery { Must = [query], Filter = filters.Count > 0 ? filters : null, MustNot = mustNot };
    }

    /// <summary>The order of every terms aggregation the engine asks for: by documents, descending, then by key.</summary>
    public static List<KeyValuePair<Field, EsSortOrder>> ByCountThenKey =>
        [new("_count", EsSortOrder.Desc), new("_key", EsSortOrder.Asc)];

    private static string IsoMillis(long millis) =>
        DateTimeOffset.FromUnixTimeMilliseconds(millis).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Terms a shard returns for a terms aggregation of <paramref name="size"/>: more than the size, so counts merged
    /// from several shards are exact for all but rare ties (one shard, the default, is always exact).
    /// </summary>
    public static int ShardSize(int size) => Math.Max(size * 10, 100);

    /// <summary>
    /// The facets as aggregations: <c>terms</c> on the normalized source (by count, then key), <c>date_histogram</c> by
    /// calendar month in UTC (months with documents only).
    /// </summary>
    public static Dictionary<string, Aggregation>? Facets(BackendSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        if (search.Facets.Count == 0)
        {
            return null;
        }

        var aggregations = new Dictionary<string, Aggregation>(StringComparer.Ordinal);
        foreach (var facet in search.Facets)
        {
            aggregations[DocumentKeys.Name(facet)] = facet == FacetField.Source
                ? new Aggregation
                {
                    Terms = new TermsAggregation
                    {
                        Field = EsFields.SourceKey,
                        Size = search.FacetSize,
                        ShardSize = ShardSize(search.FacetSize),
                        Order = ByCountThenKey,
                    },
                }
                : new Aggregation
                {
                    DateHistogram = new DateHistogramAggregation
                    {
                        Field = EsFields.PublishedAt,
                        CalendarInterval = CalendarInterval.Month,
                        Format = "yyyy-MM",
                        MinDocCount = 1,
                        TimeZone = "UTC",
                    },
                };
        }

        return aggregations;
    }

    /// <summary>A Lucene regular expression matching <paramref name="text"/> literally (for a terms aggregation's include).</summary>
    public static string RegexLiteral(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length * 2);
        foreach (var rune in text.EnumerateRunes())
        {
            // Regular-expression syntax is ASCII; escape every other character of the Basic Multilingual Plane too
            // (marks and punctuation), but never half of a surrogate pair.
            if (!Rune.IsLetterOrDigit(rune) && rune.IsBmp)
            {
                sb.Append('\\');
            }

            sb.Append(rune.ToString());
        }

        return sb.ToString();
    }

    /// <summary>The first phase: every document the query matches, ranked by BM25 on one term per word.</summary>
    public EsQuery FirstPhase(SearchQuery query) => Root(query, FirstPhaseAlternative, exclusions: true);

    /// <summary>
    /// The full ranking. For rescoring (<paramref name="exclusions"/> false) the excluded words are left out: the
    /// first phase has excluded their documents already.
    /// </summary>
    public EsQuery Build(SearchQuery query, bool exclusions = true)
    {
        var main = Root(query, Alternative, exclusions);
        return ranking.ProximityBoost > 0 && !query.IsExclusionOnly && Proximity(query) is { } proximity
            ? Bool(must: [main], should: [proximity])
            : main;
    }

    /// <summary>
    /// The full ranking of the documents with these ids only (the rescoring window): every one of them is a hit, with
    /// the full score (0 if it does not match, as a rescorer gives it).
    /// </summary>
    public EsQuery Rescore(SearchQuery query, IEnumerable<string> ids) => new BoolQuery
    {
        Should = [Build(query, exclusions: false)],
        Filter = [new TermsQuery { Field = EsFields.Id, Terms = new TermsQueryField([.. ids.Select(FieldValue.String)]) }],
    };

    private EsQuery Root(SearchQuery query, Func<QueryPhrase, EsQuery> alternative, bool exclusions)
    {
        ArgumentNullException.ThrowIfNull(query);
        var mustNot = exclusions ? query.Clauses.Where(c => c.Occur == Occur.MustNot).Select(c => Clause(c, alternative)).ToList() : [];
        if (query.IsExclusionOnly || query.ListsAll)
        {
            return Bool(must: [new MatchAllQuery()], mustNot: mustNot);
        }

        var scored = query.Clauses.Where(c => c.Occur != Occur.MustNot).ToList();
        if (scored.Count == 0)
        {
            return new MatchNoneQuery();
        }

        var main = Bool(
            must: [.. scored.Where(c => c.Occur == Occur.Must).Select(c => Clause(c, alternative))],
            should: [.. scored.Where(c => c.Occur == Occur.Should).Select(c => Clause(c, alternative))],
            mustNot: mustNot);
        return ranking.Coordination && ranking.CoordinationExponent > 0 && scored.Count > 1 ? Coordinated(main, scored) : main;
    }

    /// <summary>The phrase as the term fields' analyzer reads it: stems at their offsets, gaps as placeholders.</summary>
    public static string PhraseText(IReadOnlyList<QueryWord> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var byOffset = words.ToDictionary(w => w.Offset, w => w.Stem);
        var last = words.Max(w => w.Offset);
        var sb = new StringBuilder();
        for (var i = 0; i <= last; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(byOffset.TryGetValue(i, out var stem) ? stem : ElasticsearchAnalysis.Placeholder);
        }

        return sb.ToString();
    }

    private EsQuery Coordinated(EsQuery main, List<QueryClause> clauses)
    {
        var n = clauses.Count;
        var functions = new List<FunctionScore>();
        if (n <= MaxExactCoordinationClauses)
        {
            var e = (double)ranking.CoordinationExponent;
            for (var k = 1; k <= n; k++)
            {
                var filter = new BoolQuery { Should = [.. clauses.Select(MatchOnly)], MinimumShouldMatch = k };
                var weight = Math.Pow(k / (double)n, e) - Math.Pow((k - 1) / (double)n, e);
                functions.Add(new FunctionScore { Filter = filter, Weight = weight });
            }
        }
        else
        {
            functions.AddRange(clauses.Select(clause => new FunctionScore { Filter = MatchOnly(clause), Weight = 1.0 / n }));
        }

        return new FunctionScoreQuery { Query = main, Functions = functions, ScoreMode = FunctionScoreMode.Sum, BoostMode = FunctionBoostMode.Multiply };
    }

    // Query words near each other in the body (RankingOptions.ProximityPairs): each pair a sloppy phrase on the body's
    // keys or stems (RankingOptions.ProximityOnKeys), an optional extra score.
    private EsQuery? Proximity(SearchQuery query)
    {
        var pairs = ranking.ProximityPairs(query);
        var field = ranking.ProximityOnKeys ? EsFields.BodyKeys : EsFields.BodyTerms;
        return pairs.Count == 0
            ? null
            : Bool(should: [.. pairs.Select(p => MatchPhrase(field, $"{p.First} {p.Second}", ranking.ProximitySlop, ranking.ProximityBoost))]);
    }

    private static EsQuery Clause(QueryClause clause, Func<QueryPhrase, EsQuery> alternative) =>
        clause.Alternatives.Count == 1 ? alternative(clause.Alternatives[0]) : Bool(should: [.. clause.Alternatives.Select(alternative)]);

    /// <summary>
    /// One alternative in the first phase: a word with variants is its key on the body's keys (which hold every
    /// spelling sharing it), other words their stem, a phrase its stems in order; on the title too when the body does
    /// not hold it.
    /// </summary>
    private EsQuery FirstPhaseAlternative(QueryPhrase phrase)
    {
        var body = phrase.IsTerm
            ? phrase.Variants ? Term(EsFields.BodyKeys, phrase.Words[0].Key, 1f) : Term(EsFields.BodyTerms, phrase.Words[0].Stem, 1f)
            : MatchPhrase(EsFields.BodyTerms, PhraseText(phrase.Words), 0, 1f);
        if (ranking.TitleInBody)
        {
            return body;
        }

        var title = phrase.IsTerm ? Term(EsFields.TitleTerms, phrase.Words[0].Stem, 1f) : MatchPhrase(EsFields.TitleTerms, PhraseText(phrase.Words), 0, 1f);
        return Bool(should: [body, title]);
    }

    private EsQuery Alternative(QueryPhrase phrase)
    {
        var queries = new List<EsQuery>();
        foreach (var (stems, exact, title) in Fields)
        {
            var boost = title ? ranking.TitleBoost : 1f;
            if (phrase.IsTerm)
            {
                var word = phrase.Words[0];
                queries.Add(Term(stems, word.Stem, boost));
                if (ranking.ExactBoost > 0)
                {
                    queries.Add(Term(exact, word.Term, boost * ranking.ExactBoost));
                }

                // Spelling variants: the variant key on the body's keys (the body holds the title too, TitleInBody).
                if (phrase.Variants && !title)
                {
                    queries.Add(Term(EsFields.BodyKeys, word.Key, boost * ranking.VariantBoost));
                }
            }
            else
            {
                queries.Add(MatchPhrase(stems, PhraseText(phrase.Words), 0, boost));
            }
        }

        return Bool(should: queries);
    }

    // Whether a document matches the clause at all (for counting matched clauses): the stem fields only, since an
    // exact match implies a stem match; with the title in the body, the body field alone, since a title match implies
    // a body match. A word with spelling variants matches by its key on the body (a stem match implies a key match).
    private EsQuery MatchOnly(QueryClause clause)
    {
        var fields = ranking.TitleInBody ? [EsFields.BodyTerms] : new[] { EsFields.TitleTerms, EsFields.BodyTerms };
        var queries = new List<EsQuery>();
        foreach (var phrase in clause.Alternatives)
        {
            foreach (var field in fields)
            {
                queries.Add(phrase.IsTerm
                    ? phrase.Variants && field == EsFields.BodyTerms ? Term(EsFields.BodyKeys, phrase.Words[0].Key, 1f) : Term(field, phrase.Words[0].Stem, 1f)
                    : MatchPhrase(field, PhraseText(phrase.Words), 0, 1f));
            }
        }

        return queries.Count == 1 ? queries[0] : Bool(should: queries);
    }

    private static EsQuery Term(string field, string value, float boost) =>
        new TermQuery(field, FieldValue.String(value)) { Boost = Boost(boost) };

    private static EsQuery MatchPhrase(string field, string text, int slop, float boost) =>
        new MatchPhraseQuery(field, text) { Slop = slop > 0 ? slop : null, Boost = Boost(boost) };

    private static float? Boost(float boost) => boost != 1f ? boost : null;

    private static EsQuery Bool(List<EsQuery>? must = null, List<EsQuery>? should = null, List<EsQuery>? mustNot = null) => new BoolQuery
    {
        Must = must is { Count: > 0 } ? must : null,
        Should = should is { Count: > 0 } ? should : null,
        MustNot = mustNot is { Count: > 0 } ? mustNot : null,
    };
}
