using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using TextSearch.Search.Query;
using Occur = TextSearch.Search.Query.Occur;
using LuceneQuery = global::Lucene.Net.Search.Query;

namespace TextSearch.Search.Lucene;

/// <summary>
/// Translates the shared query model into Lucene queries: the first phase (cheap: a word is one term on the body's
/// variant keys, a phrase its stems on the body) and the full ranking (title and body, stemmed and exact, variants,
/// proximity of neighbouring words, coordination) that rescores the first phase's top window.
/// </summary>
internal sealed class LuceneQueryBuilder(RankingOptions ranking)
{
    private readonly float _titleBoost = ranking.TitleBoost;

    /// <summary>
    /// The first phase: every document the query matches, ranked by BM25 on one term per word; its term states looked
    /// up through <paramref name="terms"/>.
    /// </summary>
    public LuceneQuery FirstPhase(SearchQuery query, TermLookup terms) => Root(query, phrase => FirstPhaseAlternative(phrase, terms), exclusions: true);

    /// <summary>
    /// The full ranking, its term states looked up through <paramref name="terms"/>. For rescoring
    /// (<paramref name="exclusions"/> false) the excluded words are left out: the first phase has excluded their
    /// documents already.
    /// </summary>
    public LuceneQuery Build(SearchQuery query, bool exclusions, TermLookup terms)
    {
        var root = Root(query, phrase => Alternative(phrase, terms), exclusions);
        return ranking.ProximityBoost > 0 && Proximity(query) is { } proximity ? WithBoost(root, proximity) : root;
    }

    private BooleanQuery Root(SearchQuery query, Func<QueryPhrase, LuceneQuery> alternative, bool exclusions)
    {
        var root = new BooleanQuery(disableCoord: !ranking.Coordination);
        foreach (var clause in query.Clauses)
        {
            if (clause.Occur == Occur.MustNot && !exclusions)
            {
                continue;
            }

            LuceneQuery q;
            if (clause.Alternatives.Count == 1)
            {
                q = alternative(clause.Alternatives[0]);
            }
            else
            {
                var any = new BooleanQuery(disableCoord: true);
                foreach (var alt in clause.Alternatives)
                {
                    any.Add(alternative(alt), global::Lucene.Net.Search.Occur.SHOULD);
                }

                q = any;
            }

            root.Add(q, clause.Occur switch
            {
                Occur.Must => global::Lucene.Net.Search.Occur.MUST,
                Occur.MustNot => global::Lucene.Net.Search.Occur.MUST_NOT,
                _ => global::Lucene.Net.Search.Occur.SHOULD,
            });
        }

        if (query.IsExclusionOnly || query.ListsAll)
        {
            root.Add(new MatchAllDocsQuery(), global::Lucene.Net.Search.Occur.MUST);
        }

        return root;
    }

    /// <summary>The field proximity pairs are measured on: the body's variant keys, or its stems (<see cref="RankingOptions.ProximityOnKeys"/>).</summary>
    internal static string ProximityField(RankingOptions ranking) => ranking.ProximityOnKeys ? LuceneFields.BodyKey : LuceneFields.Body;

    // Query words found near each other in the body (each pair a sloppy phrase): an extra, optional score.
    private BooleanQuery? Proximity(SearchQuery query)
    {
        var pairs = ranking.ProximityPairs(query);
        if (pairs.Count == 0)
        {
            return null;
        }

        var field = ProximityField(ranking);
        var any = new BooleanQuery(disableCoord: true);
        foreach (var (first, second) in pairs)
        {
            var phrase = new PhraseQuery { Slop = ranking.ProximitySlop, Boost = ranking.ProximityBoost };
            phrase.Add(new Term(field, first), 0);
            phrase.Add(new Term(field, second), 1);
            any.Add(phrase, global::Lucene.Net.Search.Occur.SHOULD);
        }

        return any;
    }

    /// <summary>
    /// The full ranking of <see cref="Build"/> (without exclusions) as term features, for <see cref="WindowScorer"/>:
    /// each optional clause's alternatives with their term clauses, and the proximity pairs. Null for the shapes it
    /// does not describe (required clauses, phrases, a listing or exclusions alone, a pair of one stem twice), which
    /// are rescored through <see cref="Build"/>.
    /// </summary>
    public RescorePlan? Plan(SearchQuery query)
    {
        if (query.ListsAll || query.IsExclusionOnly)
        {
            return null;
        }

        var clauses = new List<TermFeature[][]>(query.Clauses.Count);
        foreach (var clause in query.Clauses)
        {
            if (clause.Occur == Occur.MustNot)
            {
                continue;
            }

            if (clause.Occur != Occur.Should || clause.Alternatives.Any(a => !a.IsTerm))
            {
                return null;
            }

            clauses.Add([.. clause.Alternatives.Select(a => TermFeatures(a.Words[0], a.Variants).ToArray())]);
        }

        var pairs = ranking.ProximityPairs(query);
        return pairs.Any(p => p.First == p.Second) ? null : new RescorePlan(clauses, pairs, ProximityField(ranking), ranking.Coordination, ranking.ProximitySlop, ranking.ProximityBoost);
    }

    private static BooleanQuery WithBoost(LuceneQuery main, LuceneQuery extra) => new(disableCoord: true)
    {
        { main, global::Lucene.Net.Search.Occur.MUST },
        { extra, global::Lucene.Net.Search.Occur.SHOULD },
    };

    /// <summary>
    /// One alternative in the first phase. A word with variants is its key on the body's key field (the key's postings
    /// hold every spelling that shares it); other words their stem; a phrase its stems in order. The body holds the
    /// title unless <see cref="RankingOptions.TitleInBody"/> is off, when the title is searched as well.
    /// </summary>
    private LuceneQuery FirstPhaseAlternative(QueryPhrase phrase, TermLookup terms)
    {
        LuceneQuery body = phrase.IsTerm
            ? phrase.Variants ? terms.Query(LuceneFields.BodyKey, phrase.Words[0].Key) : terms.Query(LuceneFields.Body, phrase.Words[0].Stem)
            : Phrase(LuceneFields.Body, phrase, 1f);
        if (ranking.TitleInBody)
        {
            return body;
        }

        LuceneQuery title = phrase.IsTerm ? terms.Query(LuceneFields.Title, phrase.Words[0].Stem) : Phrase(LuceneFields.Title, phrase, 1f);
        return new BooleanQuery(disableCoord: true) { { body, global::Lucene.Net.Search.Occur.SHOULD }, { title, global::Lucene.Net.Search.Occur.SHOULD } };
    }

    private LuceneQuery Alternative(QueryPhrase phrase, TermLookup terms)
    {
        var fields = new BooleanQuery(disableCoord: true);
        if (phrase.IsTerm)
        {
            foreach (var feature in TermFeatures(phrase.Words[0], phrase.Variants))
            {
                fields.Add(terms.Query(feature.Field, feature.Text, feature.Boost), global::Lucene.Net.Search.Occur.SHOULD);
            }
        }
        else
        {
            fields.Add(Phrase(LuceneFields.Title, phrase, _titleBoost), global::Lucene.Net.Search.Occur.SHOULD);
            fields.Add(Phrase(LuceneFields.Body, phrase, 1f), global::Lucene.Net.Search.Occur.SHOULD);
        }

        return fields;
    }

    /// <summary>
    /// The term clauses of one word in the full ranking: its stem on the title and body, its exact form on both (unless
    /// <see cref="RankingOptions.ExactBoost"/> is 0), and with variants its key on the body (which holds the title too,
    /// <see cref="RankingOptions.TitleInBody"/>).
    /// </summary>
    private IEnumerable<TermFeature> TermFeatures(QueryWord word, bool variants)
    {
        foreach (var (field, exactField, boost) in new[] { (LuceneFields.Title, LuceneFields.TitleExact, _titleBoost), (LuceneFields.Body, LuceneFields.BodyExact, 1f) })
        {
            yield return new TermFeature(field, word.Stem, boost);
            if (ranking.ExactBoost > 0)
            {
                yield return new TermFeature(exactField, word.Term, boost * ranking.ExactBoost);
            }

            if (variants && field == LuceneFields.Body)
            {
                yield return new TermFeature(LuceneFields.BodyKey, word.Key, boost * ranking.VariantBoost);
            }
        }
    }

    private static PhraseQuery Phrase(string field, QueryPhrase phrase, float boost)
    {
        var pq = new PhraseQuery { Boost = boost };
        foreach (var word in phrase.Words)
        {
            pq.Add(new Term(field, word.Stem), word.Offset);
        }

        return pq;
    }
}

/// <summary>A term clause of the full ranking: a BM25 term query on a field, with its boost.</summary>
internal readonly record struct TermFeature(string Field, string Text, float Boost);

/// <summary>
/// The full ranking as <see cref="LuceneQueryBuilder.Plan"/> describes it: per optional clause, its alternatives' term
/// clauses; the proximity pairs (<see cref="RankingOptions.ProximityPairs"/>, a sloppy phrase each on <paramref name="PairField"/>,
/// <paramref name="Slop"/> apart, boosted by <paramref name="PairBoost"/>); and whether the clauses' sum is coordinated.
/// </summary>
internal sealed record RescorePlan(IReadOnlyList<TermFeature[][]> Clauses, IReadOnlyList<(string First, string Second)> Pairs, string PairField, bool Coordination, int Slop, float PairBoost);

/// <summary>BM25 with a coordination factor: documents that match more of the query's clauses come first.</summary>
public sealed class CoordinatedBm25Similarity(float k1, float b, float exponent) : BM25Similarity(k1, b)
{
    public override float Coord(int overlap, int maxOverlap) =>
        maxOverlap <= 1 ? 1f : exponent == 1f ? overlap / (float)maxOverlap : MathF.Pow(overlap / (float)maxOverlap, exponent);
}

public static class LuceneFields
{
    public const string Id = "id";
    public const string IdSort = "id_sort";
    public const string Title = "title";
    public const string Body = "body";
    public const string TitleExact = "title_exact";
    public const string BodyExact = "body_exact";

    /// <summary>
    /// The variant keys of the body's stems (<see cref="Analysis.VariantKey"/>), the title's first, with positions:
    /// proximity pairs are measured on them (<see cref="RankingOptions.ProximityOnKeys"/>).
    /// </summary>
    public const string BodyKey = "body_key";
    public const string Source = "source";
    public const string PublishedAt = "published_at";
    public const string Metadata = "metadata";

    /// <summary>The normalized source (<see cref="DocumentKeys.SourceKey"/>): a term for filters, doc values for the facet.</summary>
    public const string SourceKey = "source_key";

    /// <summary>The date in Unix milliseconds: an indexed long for range filters, doc values for sorting and the facet.</summary>
    public const string PublishedMillis = "published_ms";

    /// <summary>One term per metadata entry (<see cref="DocumentKeys.MetadataPair"/>).</summary>
    public const string MetadataPairs = "meta";

    /// <summary>The completion terms of the title and body (<see cref="Analysis.SuggestTerms"/>).</summary>
    public const string Suggest = "suggest";
}
