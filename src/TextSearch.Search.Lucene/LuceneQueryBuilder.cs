using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using TextSearch.Search.Query;
using Occur = TextSearch.Search.Query.Occur;
using LuceneQuery = global::Lucene.Net.Search.Query;

namespace TextSearch.Search.Lucene;

/// <summary>Translates the shared query model into a Lucene query over the title and body fields.</summary>
public sealed class LuceneQueryBuilder(RankingOptions ranking)
{
    private readonly float _titleBoost = ranking.TitleBoost;

    public LuceneQuery Build(SearchQuery query)
    {
        var root = new BooleanQuery(disableCoord: !ranking.Coordination);
        foreach (var clause in query.Clauses)
        {
            LuceneQuery q;
            if (clause.Alternatives.Count == 1)
            {
                q = Alternative(clause.Alternatives[0]);
            }
            else
            {
                var any = new BooleanQuery(disableCoord: true);
                foreach (var alt in clause.Alternatives)
                {
                    any.Add(Alternative(alt), global::Lucene.Net.Search.Occur.SHOULD);
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

        if (query.IsExclusionOnly)
        {
            root.Add(new MatchAllDocsQuery(), global::Lucene.Net.Search.Occur.MUST);
        }

        return ranking.ProximityBoost > 0 && Proximity(query) is { } proximity ? WithBoost(root, proximity) : root;
    }

    // Adjacent query words found near each other in the body (each pair a sloppy phrase): an extra, optional score.
    private BooleanQuery? Proximity(SearchQuery query)
    {
        var words = query.Clauses.Where(c => c.Occur == Occur.Should && c.Alternatives[0].IsTerm)
            .Select(c => c.Alternatives[0].Words[0].Stem).ToList();
        if (words.Count < 2)
        {
            return null;
        }

        var pairs = new BooleanQuery(disableCoord: true);
        for (var i = 0; i + 1 < words.Count; i++)
        {
            var phrase = new PhraseQuery { Slop = ranking.ProximitySlop, Boost = ranking.ProximityBoost };
            phrase.Add(new Term(LuceneFields.Body, words[i]), 0);
            phrase.Add(new Term(LuceneFields.Body, words[i + 1]), 1);
            pairs.Add(phrase, global::Lucene.Net.Search.Occur.SHOULD);
        }

        return pairs;
    }

    private static BooleanQuery WithBoost(LuceneQuery main, LuceneQuery extra) => new(disableCoord: true)
    {
        { main, global::Lucene.Net.Search.Occur.MUST },
        { extra, global::Lucene.Net.Search.Occur.SHOULD },
    };

    private LuceneQuery Alternative(QueryPhrase phrase)
    {
        var fields = new BooleanQuery(disableCoord: true);
        foreach (var (field, exactField, boost) in new[] { (LuceneFields.Title, LuceneFields.TitleExact, _titleBoost), (LuceneFields.Body, LuceneFields.BodyExact, 1f) })
        {
            if (phrase.IsTerm)
            {
                var stem = phrase.Words[0].Stem;
                fields.Add(new TermQuery(new Term(field, stem)) { Boost = boost }, global::Lucene.Net.Search.Occur.SHOULD);
                if (ranking.ExactBoost > 0)
                {
                    fields.Add(new TermQuery(new Term(exactField, phrase.Words[0].Term)) { Boost = boost * ranking.ExactBoost }, global::Lucene.Net.Search.Occur.SHOULD);
                }

                // Spelling variants on the body only when it holds the title too (TitleInBody): the same matches
                // at half the cost of expanding the term in both fields.
                if (phrase.Fuzzy && (field == LuceneFields.Body || !ranking.TitleInBody))
                {
                    var fuzzy = new FuzzyQuery(new Term(field, stem), Fuzzy.MaxEdits, Fuzzy.PrefixLength, Fuzzy.MaxExpansions, transpositions: true)
                    {
                        Boost = boost * ranking.FuzzyBoost,
                    };
                    fields.Add(fuzzy, global::Lucene.Net.Search.Occur.SHOULD);
                }
            }
            else
            {
                var pq = new PhraseQuery { Boost = boost };
                foreach (var word in phrase.Words)
                {
                    pq.Add(new Term(field, word.Stem), word.Offset);
                }

                fields.Add(pq, global::Lucene.Net.Search.Occur.SHOULD);
            }
        }

        return fields;
    }
}

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
    public const string Source = "source";
    public const string PublishedAt = "published_at";
    public const string Metadata = "metadata";
}
