namespace TextSearch.Search;

/// <summary>The service's input limits (documented in the README).</summary>
public static class Limits
{
    public const int MaxQueryChars = 1024;
    public const int MaxQueryTerms = 64;
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;
    public const int DefaultFragmentChars = 160;
    public const int MinFragmentChars = 20;
    public const int MaxFragmentChars = 1000;
    public const int DefaultSearchSnippets = 1;
    public const int DefaultSnippetRpcSnippets = 3;
    public const int MaxSnippets = 10;
    public const int MaxIdChars = 256;
    public const int MaxTitleChars = 4096;
    public const int MaxBodyChars = 2_000_000;
    public const int MaxSourceChars = 1024;
    public const int MaxMetadataEntries = 64;
    public const int MaxMetadataKeyChars = 128;
    public const int MaxMetadataValueChars = 4096;
    public const int DefaultFacetSize = 10;
    public const int MaxFacetSize = 100;
    public const int MaxFilterSources = 100;
    public const int MaxFilterMetadata = 64;
    public const int MaxSuggestPrefixChars = 256;
    public const int DefaultSuggestSize = 10;
    public const int MaxSuggestSize = 50;

    /// <summary>Related: the most distinctive terms of the document that make its query.</summary>
    public const int RelatedTerms = 25;

    /// <summary>Related: the stems a document uses most, among which the most distinctive are chosen.</summary>
    public const int RelatedCandidates = 500;

    /// <summary>The longest text the Normalize RPC takes.</summary>
    public const int MaxNormalizeChars = 1_000_000;

    /// <summary>The longest text the Analyze RPC takes (its answer holds a token for every word).</summary>
    public const int MaxAnalyzeChars = 200_000;

    /// <summary>Most documents of a bulk stream indexed as one batch (while the next is read).</summary>
    public const int BulkBatchDocuments = 2000;

    /// <summary>Most text (UTF-16 characters of titles and bodies) in one batch of a bulk stream.</summary>
    public const long BulkBatchChars = 4_000_000;

    /// <summary>
    /// Snippets and highlights look for matches in the first 100,000 characters of a field only (Elasticsearch's
    /// index.highlight.max_analyzed_offset): a match beyond is not highlighted, and a field with no match within
    /// gives its beginning. About 15,000 Arabic words, several times the longest news article, so real documents are
    /// analyzed whole; analyzing this much costs a few milliseconds, so a page of 100 hits of the largest documents
    /// (2,000,000 characters) stays well inside the default 5 s query time budget.
    /// </summary>
    public const int MaxSnippetAnalyzedChars = 100_000;

    /// <summary>
    /// Snippets consider the first 10,000 matches of a field at most (later ones are neither scored nor highlighted):
    /// the work and memory of one field stay bounded even when a long query matches nearly every word.
    /// </summary>
    public const int MaxSnippetMatches = 10_000;
}
