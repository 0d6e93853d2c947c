namespace TextSearch.Search.Lucene;

/// <summary>Settings of the embedded engine (config section TextSearch).</summary>
public sealed class LuceneOptions
{
    /// <summary>Where the index lives on disk.</summary>
    public string IndexPath { get; set; } = "data/index";

    /// <summary>How much a title match counts against a body match.</summary>
    public float TitleBoost { get; set; } = 2.0f;

    /// <summary>BM25 term-frequency saturation.</summary>
    public float K1 { get; set; } = 1.2f;

    /// <summary>BM25 length normalization.</summary>
    public float B { get; set; } = 0.75f;

    /// <summary>Indexing buffer before a segment is flushed.</summary>
    public double RamBufferMB { get; set; } = 64;

    /// <summary>Most documents applied in one commit (writes queued together share one commit).</summary>
    public int MaxBatchDocuments { get; set; } = 5000;
}
