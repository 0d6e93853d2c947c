using System.Text;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Search;
using Elastic.Clients.Elasticsearch.QueryDsl;
using TextSearch.Search.Query;
using EsQuery = Elastic.Clients.Elasticsearch.QueryDsl.Query;

namespace TextSearch.Search.Elasticsearch;

/// <summary>
/// Translates the shared query model into the Elasticsearch query DSL over the pre-analyzed term fields, clause for
/// clause as the embedded engine's LuceneQueryBuilder does:
/// <list type="bullet">
/// <item>a word: <c>term</c> on <c>title_terms</c> (boost TitleBoost) and <c>body_terms</c>, <c>term</c> on the
/// <c>*_exact</c> fields (× ExactBoost), and for spelling variants <c>fuzzy</c> (1 edit, prefix 1, 50 expansions,
/// transpositions, rewrite top_terms_50 as Lucene's FuzzyQuery, × FuzzyBoost) on the body (and the title when the
/// body does not hold it);</item>
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
    /// original fields of _source; partial results refused (every shard answers, or it fails); with several shards,
    /// dfs_query_then_fetch, so scores use the index's global statistics.
    /// </summary>
    public SearchRequest Search(string index, SearchQuery query, int size, SearchCursor? after, int shards) => new(index)
    {
        Size = size,
        TrackTotalHits = new TrackHits(true),
        Source = new SourceConfig(new SourceFilter { Includes = EsFields.Original }),
        Query = Build(query),
        Sort = [new SortOptions { Score = new ScoreSort { Order = SortOrder.Desc } }, new SortOptions { Field = new FieldSort(EsFields.Id) { Order = SortOrder.Asc } }],
        // The float score widened to double prints exactly the value Elasticsearch returned.
        SearchAfter = after is { } cursor ? [FieldValue.Double(cursor.Score), FieldValue.String(cursor.Id)] : null,
        AllowPartialSearchResults = false,
        SearchType = shards > 1 ? SearchType.DfsQueryThenFetch : null,
    };

    public EsQuery Build(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var mustNot = query.Clauses.Where(c => c.Occur == Occur.MustNot).Select(Clause).ToList();
        if (query.IsExclusionOnly)
        {
            return Bool(must: [new MatchAllQuery()], mustNot: mustNot);
        }

        var scored = query.Clauses.Where(c => c.Occur != Occur.MustNot).ToList();
        if (scored.Count == 0)
        {
            return new MatchNoneQuery();
        }

        var main = Bool(
            must: [.. scored.Where(c => c.Occur == Occur.Must).Select(Clause)],
            should: [.. scored.Where(c => c.Occur == Occur.Should).Select(Clause)],
            mustNot: mustNot);
        if (ranking.Coordination && ranking.CoordinationExponent > 0 && scored.Count > 1)
        {
            main = Coordinated(main, scored);
        }

        return ranking.ProximityBoost > 0 && Proximity(query) is { } proximity
            ? Bool(must: [main], should: [proximity])
            : main;
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

    // Adjacent query words near each other in the body: each pair a sloppy phrase, an optional extra score.
    private EsQuery? Proximity(SearchQuery query)
    {
        var words = query.Clauses.Where(c => c.Occur == Occur.Should && c.Alternatives[0].IsTerm)
            .Select(c => c.Alternatives[0].Words[0].Stem).ToList();
        if (words.Count < 2)
        {
            return null;
        }

        var pairs = new List<EsQuery>();
        for (var i = 0; i + 1 < words.Count; i++)
        {
            pairs.Add(MatchPhrase(EsFields.BodyTerms, $"{words[i]} {words[i + 1]}", ranking.ProximitySlop, ranking.ProximityBoost));
        }

        return Bool(should: pairs);
    }

    private EsQuery Clause(QueryClause clause) =>
        clause.Alternatives.Count == 1 ? Alternative(clause.Alternatives[0]) : Bool(should: [.. clause.Alternatives.Select(Alternative)]);

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

                // Spelling variants on the body only when it holds the title too (as the embedded engine does).
                if (phrase.Fuzzy && (!title || !ranking.TitleInBody))
                {
                    queries.Add(FuzzyQuery(stems, word.Stem, "top_terms_" + Fuzzy.MaxExpansions, boost * ranking.FuzzyBoost));
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
    // a body match. Spelling variants match by constant score (no clause expansion).
    private EsQuery MatchOnly(QueryClause clause)
    {
        var fields = ranking.TitleInBody ? [EsFields.BodyTerms] : new[] { EsFields.TitleTerms, EsFields.BodyTerms };
        var queries = new List<EsQuery>();
        foreach (var phrase in clause.Alternatives)
        {
            foreach (var field in fields)
            {
                queries.Add(phrase.IsTerm
                    ? phrase.Fuzzy ? FuzzyQuery(field, phrase.Words[0].Stem, "constant_score", 1f) : Term(field, phrase.Words[0].Stem, 1f)
                    : MatchPhrase(field, PhraseText(phrase.Words), 0, 1f));
            }
        }

        return queries.Count == 1 ? queries[0] : Bool(should: queries);
    }

    private static EsQuery Term(string field, string value, float boost) =>
        new TermQuery(field, FieldValue.String(value)) { Boost = Boost(boost) };

    private static EsQuery FuzzyQuery(string field, string value, string rewrite, float boost) => new FuzzyQuery(field, value)
    {
        Fuzziness = new Fuzziness(Fuzzy.MaxEdits),
        PrefixLength = Fuzzy.PrefixLength,
        MaxExpansions = Fuzzy.MaxExpansions,
        Transpositions = true,
        Rewrite = rewrite,
        Boost = Boost(boost),
    };

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
