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

    /// <summary>Most documents of a bulk stream indexed as one batch (while the next is read).</summary>
    public const int BulkBatchDocuments = 2000;

    /// <summary>Most text (UTF-16 characters of titles and bodies) in one batch of a bulk stream.</summary>
    public const long BulkBatchChars = 4_000_000;
}
