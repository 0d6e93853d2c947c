using TextSearch.Analysis;

namespace TextSearch.Search.Query;

public enum Occur
{
    /// <summary>Ranks; documents matching more should-clauses come first.</summary>
    Should,

    /// <summary>Must match (quoted phrases).</summary>
    Must,

    /// <summary>Must not match (-word, -"phrase").</summary>
    MustNot,
}

/// <summary>
/// An analyzed query word: its normalized term, its stem, its spelling-variant key (<see cref="VariantKey"/>), and its
/// position relative to the first word of its phrase.
/// </summary>
public sealed record QueryWord(string Term, string Stem, int Offset)
{
    public string Key { get; } = VariantKey.Of(Stem);
}

/// <summary>
/// A sequence of words that must appear in order (one word: a term). A word with <see cref="Variants"/> also matches
/// the spellings that share its variant key, ranked below exact matches.
/// </summary>
public sealed record QueryPhrase(IReadOnlyList<QueryWord> Words, bool Variants, bool FromSynonym)
{
    public bool IsTerm => Words.Count == 1;

    public override string ToString() => (Words.Count == 1 ? Words[0].Stem : $"\"{string.Join(' ', Words.Select(w => w.Stem))}\"")
        + (Variants ? "~" : string.Empty) + (FromSynonym ? "(syn)" : string.Empty);
}

/// <summary>One clause of the query: any of its alternatives (a word, a phrase, synonyms) matches it.</summary>
public sealed record QueryClause(Occur Occur, IReadOnlyList<QueryPhrase> Alternatives)
{
    public override string ToString() => (Occur switch { Occur.Must => "+", Occur.MustNot => "-", _ => string.Empty })
        + (Alternatives.Count == 1 ? Alternatives[0].ToString() : $"({string.Join(" | ", Alternatives)})");
}

/// <summary>The parsed, analyzed query every backend ranks.</summary>
public sealed record SearchQuery(string Raw, string Normalized, IReadOnlyList<QueryClause> Clauses)
{
    /// <summary>Nothing to search for: no hits.</summary>
    public static SearchQuery Empty { get; } = new(string.Empty, string.Empty, []);

    /// <summary>A blank query with a filter or facets: every document matches (the filter then decides), score 1.</summary>
    public static SearchQuery All { get; } = new(string.Empty, string.Empty, []) { ListsAll = true };

    /// <summary>True for <see cref="All"/>.</summary>
    public bool ListsAll { get; private init; }

    /// <summary>
    /// Whether the query is a question whose answer is a number or a date: its first word is متى or كم
    /// (<see cref="TextAnalyzer.AsksForNumber"/>). Its words are then also scored by how near they stand to any number
    /// (<see cref="RankingOptions.NumberProximity"/>).
    /// </summary>
    public bool AsksForNumber { get; init; }

    /// <summary>True when nothing searchable is left (punctuation, emoji, only stopwords): no hits, no error.</summary>
    public bool IsEmpty => !Clauses.Any(c => c.Occur != Occur.MustNot);

    /// <summary>True when no document can match: nothing searchable, no exclusion to invert, not a listing.</summary>
    public bool FindsNothing => IsEmpty && !IsExclusionOnly && !ListsAll;

    /// <summary>True when the query only excludes (then every other document matches).</summary>
    public bool IsExclusionOnly => Clauses.Count > 0 && Clauses.All(c => c.Occur == Occur.MustNot);

    /// <summary>The query's canonical form; page tokens are bound to it.</summary>
    public string Canonical => string.Join(' ', Clauses);

    public IEnumerable<string> Stems => Clauses.Where(c => c.Occur != Occur.MustNot)
        .SelectMany(c => c.Alternatives).Where(a => !a.FromSynonym).SelectMany(a => a.Words).Select(w => w.Stem).Distinct();

    public override string ToString() => Canonical;
}
