namespace TextSearch.Server.Hosting;

/// <summary>The TextSearch configuration section.</summary>
public sealed class TextSearchOptions
{
    public const string Section = "TextSearch";

    /// <summary>Lucene (the embedded default).</summary>
    public string Engine { get; set; } = "Lucene";

    /// <summary>The embedded index folder; relative paths are relative to the working directory.</summary>
    public string IndexPath { get; set; } = "data/index";

    /// <summary>Seed articles indexed at start-up; empty skips them.</summary>
    public string SeedsPath { get; set; } = "seeds";

    /// <summary>The synonyms file; empty uses the one that ships with the server.</summary>
    public string SynonymsPath { get; set; } = string.Empty;

    public float TitleBoost { get; set; } = 2.0f;

    public float K1 { get; set; } = 1.2f;

    public float B { get; set; } = 0.75f;
}
