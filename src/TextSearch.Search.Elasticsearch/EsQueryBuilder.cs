using System.Text;
using System.Text.Json.Nodes;
using TextSearch.Search.Elasticsearch.Client;
using TextSearch.Search.Query;

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

    public JsonObject Build(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var mustNot = query.Clauses.Where(c => c.Occur == Occur.MustNot).Select(Clause).ToList();
        if (query.IsExclusionOnly)
        {
            return Bool(must: [new JsonObject { ["match_all"] = new JsonObject() }], mustNot: mustNot);
        }

        var scored = query.Clauses.Where(c => c.Occur != Occur.MustNot).ToList();
        if (scored.Count == 0)
        {
            return new JsonObject { ["match_none"] = new JsonObject() };
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

    private JsonObject Coordinated(JsonObject main, List<QueryClause> clauses)
    {
        var n = clauses.Count;
        var functions = new JsonArray();
        if (n <= MaxExactCoordinationClauses)
        {
            var e = (double)ranking.CoordinationExponent;
            for (var k = 1; k <= n; k++)
            {
                var filter = new JsonObject
                {
                    ["bool"] = new JsonObject
                    {
                        ["should"] = Array(clauses.Select(MatchOnly)),
                        ["minimum_should_match"] = k,
                    },
                };
                var weight = Math.Pow(k / (double)n, e) - Math.Pow((k - 1) / (double)n, e);
                functions.Add(new JsonObject { ["filter"] = filter, ["weight"] = weight });
            }
        }
        else
        {
            foreach (var clause in clauses)
            {
                functions.Add(new JsonObject { ["filter"] = MatchOnly(clause), ["weight"] = 1.0 / n });
            }
        }

        return new JsonObject
        {
            ["function_score"] = new JsonObject
            {
                ["query"] = main,
                ["functions"] = functions,
                ["score_mode"] = "sum",
                ["boost_mode"] = "multiply",
            },
        };
    }

    // Adjacent query words near each other in the body: each pair a sloppy phrase, an optional extra score.
    private JsonObject? Proximity(SearchQuery query)
    {
        var words = query.Clauses.Where(c => c.Occur == Occur.Should && c.Alternatives[0].IsTerm)
            .Select(c => c.Alternatives[0].Words[0].Stem).ToList();
        if (words.Count < 2)
        {
            return null;
        }

        var pairs = new List<JsonObject>();
        for (var i = 0; i + 1 < words.Count; i++)
        {
            pairs.Add(MatchPhrase(EsFields.BodyTerms, $"{words[i]} {words[i + 1]}", ranking.ProximitySlop, ranking.ProximityBoost));
        }

        return Bool(should: pairs);
    }

    private JsonObject Clause(QueryClause clause) =>
        clause.Alternatives.Count == 1 ? Alternative(clause.Alternatives[0]) : Bool(should: [.. clause.Alternatives.Select(Alternative)]);

    private JsonObject Alternative(QueryPhrase phrase)
    {
        var queries = new List<JsonObject>();
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
    private JsonObject MatchOnly(QueryClause clause)
    {
        var fields = ranking.TitleInBody ? [EsFields.BodyTerms] : new[] { EsFields.TitleTerms, EsFields.BodyTerms };
        var queries = new List<JsonObject>();
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

    private static JsonObject Term(string field, string value, float boost)
    {
        var body = new JsonObject { ["value"] = value };
        AddBoost(body, boost);
        return new JsonObject { ["term"] = new JsonObject { [field] = body } };
    }

    private static JsonObject FuzzyQuery(string field, string value, string rewrite, float boost)
    {
        var body = new JsonObject
        {
            ["value"] = value,
            ["fuzziness"] = Fuzzy.MaxEdits,
            ["prefix_length"] = Fuzzy.PrefixLength,
            ["max_expansions"] = Fuzzy.MaxExpansions,
            ["transpositions"] = true,
            ["rewrite"] = rewrite,
        };
        AddBoost(body, boost);
        return new JsonObject { ["fuzzy"] = new JsonObject { [field] = body } };
    }

    private static JsonObject MatchPhrase(string field, string text, int slop, float boost)
    {
        var body = new JsonObject { ["query"] = text };
        if (slop > 0)
        {
            body["slop"] = slop;
        }

        AddBoost(body, boost);
        return new JsonObject { ["match_phrase"] = new JsonObject { [field] = body } };
    }

    private static void AddBoost(JsonObject body, float boost)
    {
        if (boost != 1f)
        {
            body["boost"] = boost;
        }
    }

    private static JsonObject Bool(List<JsonObject>? must = null, List<JsonObject>? should = null, List<JsonObject>? mustNot = null)
    {
        var b = new JsonObject();
        if (must is { Count: > 0 })
        {
            b["must"] = Array(must);
        }

        if (should is { Count: > 0 })
        {
            b["should"] = Array(should);
        }

        if (mustNot is { Count: > 0 })
        {
            b["must_not"] = Array(mustNot);
        }

        return new JsonObject { ["bool"] = b };
    }

    private static JsonArray Array(IEnumerable<JsonObject> items)
    {
        var array = new JsonArray();
        foreach (var item in items)
        {
            array.Add(item);
        }

        return array;
    }
}
