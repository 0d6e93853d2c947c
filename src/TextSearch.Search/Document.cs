namespace TextSearch.Search;

/// <summary>A document as stored and returned: the original text, never the normalized one.</summary>
public sealed record Document
{
    public required string Id { get; init; }

    public string Title { get; init; } = string.Empty;

    public string Body { get; init; } = string.Empty;

    public string Source { get; init; } = string.Empty;

    public DateTimeOffset? PublishedAt { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = EmptyMetadata;

    public static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();
}
