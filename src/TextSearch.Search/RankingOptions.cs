namespace TextSearch.Search;

/// <summary>
/// How results are ranked, shared by every backend (config section TextSearch:Ranking). The defaults are the
/// configuration chosen by the relevance evaluation (docs/relevance.md).
/// </summary>
public sealed record RankingOptions
{
    /// <summary>Extra weight of a match in the title field (on top of the title words counted in the body, see
    /// <see cref="TitleInBody"/>).</summary>
    public float TitleBoost { get; init; } = 0.5f;

    /// <summary>Also index the title at the head of the body field, so body statistics see it; the title field's
    /// boost then comes on top. Needs a reindex.</summary>
    public bool TitleInBody { get; init; } = true;

    /// <summary>BM25 term-frequency saturation.</summary>
    public float K1 { get; init; } = 1.5f;

    /// <summary>BM25 length normalization.</summary>
    public float B { get; init; } = 0.9f;

    /// <summary>Scale scores by the share of query clauses a document matches (more words matched ranks first).</summary>
    public bool Coordination { get; init; } = true;

    /// <summary>How strongly coordination counts: the score is multiplied by (matched / total) to this power.</summary>
    public float CoordinationExponent { get; init; } = 0.5f;

    /// <summary>Extra weight of a match on the unstemmed (normalized) form; 0 turns the exact fields off. Needs a reindex.</summary>
    public float ExactBoost { get; init; } = 0.5f;

    /// <summary>Extra weight when adjacent query words appear near each other in the body (each pair a sloppy phrase); 0 turns it off.</summary>
    public float ProximityBoost { get; init; } = 0.5f;

    /// <summary>How many positions apart the words may be for <see cref="ProximityBoost"/>.</summary>
    public int ProximitySlop { get; init; } = 4;

    /// <summary>
    /// Which query words pair for <see cref="ProximityBoost"/>: 1 pairs each word with the next; 2 also with the one
    /// after (so "a b c" gives a-b, b-c and a-c), and so on.
    /// </summary>
    public int ProximityReach { get; init; } = 1;

    /// <summary>
    /// Whether a question that asks when or how many (<see cref="Query.SearchQuery.AsksForNumber"/>) also pairs each
    /// of its words with any number (<see cref="Analysis.VariantKey.NumberClass"/>, which the keys' field holds at
    /// every number's position): the text that dates or counts what the question names, near its words, ranks higher.
    /// Only where pairs are measured on the keys (<see cref="ProximityOnKeys"/>).
    /// </summary>
    public bool NumberProximity { get; init; } = true;

    /// <summary>
    /// The proximity pairs of a query, in query order (by first word, then second): its optional single-word clauses,
    /// each with the next <see cref="ProximityReach"/> of them, then, for a question that asks for a number
    /// (<see cref="NumberProximity"/>), each with <see cref="Analysis.VariantKey.NumberClass"/>. None when proximity
    /// is off. A word is its variant key when <see cref="ProximityOnKeys"/>, its stem otherwise: every backend scores
    /// each pair as a sloppy phrase on the body's keys or stems accordingly.
    /// </summary>
    public IReadOnlyList<(string First, string Second)> ProximityPairs(Query.SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (ProximityBoost <= 0)
        {
            return [];
        }

        var onKeys = ProximityOnKeys;
        var words = query.Clauses
            .Where(c => c.Occur == Query.Occur.Should && c.Alternatives[0].IsTerm)
            .Select(c => onKeys ? c.Alternatives[0].Words[0].Key : c.Alternatives[0].Words[0].Stem)
            .ToList();
        var pairs = new List<(string, string)>();
        for (var i = 0; i < words.Count; i++)
        {
            for (var j = i + 1; j < words.Count && j - i <= ProximityReach; j++)
            {
                pairs.Add((words[i], words[j]));
            }
        }

        if (onKeys && NumberProximity && query.AsksForNumber)
        {
            pairs.AddRange(words.Where(w => !Analysis.VariantKey.IsNumber(w)).Select(w => (w, Analysis.VariantKey.NumberClass)));
        }

        return pairs;
    }

    /// <summary>
    /// Whether proximity pairs are measured between the words' variant keys (<see cref="Analysis.VariantKey"/>), so
    /// that two forms of the query's words near each other count (تأسست الشركة finds "تأسس ... الشركة"): whenever
    /// variants are on (<see cref="VariantBoost"/> above 0). With variants off, between the stems.
    /// </summary>
    public bool ProximityOnKeys => VariantBoost > 0;

    /// <summary>
    /// Weight of a variant (a word sharing the query word's variant key: another spelling, or the same word with a
    /// proclitic, a person prefix or a final ت, <see cref="Analysis.VariantKey"/>) against an exact match; 0 turns
    /// variant matching off.
    /// </summary>
    public float VariantBoost { get; init; } = DefaultVariantBoost;

    /// <summary>The default <see cref="VariantBoost"/>; snippets weigh a variant's match by it too.</summary>
    public const float DefaultVariantBoost = 0.35f;

    /// <summary>
    /// The rescoring window: a cheap first phase (BM25 on the variant keys) ranks every match, and only its top
    /// <see cref="RescoreWindow"/> are ranked by the full score (title, exact forms, variants, proximity,
    /// coordination). Hits past the window keep the first phase's order and score.
    /// </summary>
    public int RescoreWindow { get; init; } = 200;
}
