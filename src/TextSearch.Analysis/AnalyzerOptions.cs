namespace TextSearch.Analysis;

/// <summary>How <see cref="TextAnalyzer"/> turns text into terms.</summary>
public sealed record AnalyzerOptions
{
    public static AnalyzerOptions Default { get; } = new();

    public NormalizationRules Rules { get; init; } = NormalizationRules.Default;

    /// <summary>Apply the light stemmer.</summary>
    public bool Stem { get; init; } = true;

    /// <summary>Flag stopwords (the index drops them; their positions still count).</summary>
    public bool Stopwords { get; init; } = true;

    /// <summary>Treat question words (ما، ماذا، متى...) as stopwords too.</summary>
    public bool QuestionWordsAreStopwords { get; init; } = true;
}
