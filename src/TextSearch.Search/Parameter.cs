namespace TextSearch.Search;

/// <summary>
/// A request parameter as the domain names it: its path in the domain's models (<see cref="Path"/>, what
/// <see cref="TextSearchException.Field"/> carries and transports map to their own field names) and the words error
/// messages use for it (<see cref="Words"/>).
/// </summary>
public sealed record Parameter(string Path, string Words)
{
    public static readonly Parameter Query = new(nameof(SearchRequestModel.Query), "query");
    public static readonly Parameter PageSize = new(nameof(SearchRequestModel.PageSize), "page size");
    public static readonly Parameter PageToken = new(nameof(SearchRequestModel.PageToken), "page token");
    public static readonly Parameter MaxSnippets = new(nameof(SearchRequestModel.MaxSnippets), "number of snippets");
    public static readonly Parameter FragmentChars = new(nameof(SearchRequestModel.FragmentChars), "snippet length");

    public static readonly Parameter FilterSources = new("Filter.Sources", "source filter");
    public static readonly Parameter FilterPublishedAfter = new("Filter.PublishedAfter", "published_after bound");
    public static readonly Parameter FilterPublishedBefore = new("Filter.PublishedBefore", "published_before bound");
    public static readonly Parameter FilterMetadata = new("Filter.Metadata", "metadata filter");
    public static readonly Parameter Sort = new(nameof(SearchRequestModel.Sort), "sort order");
    public static readonly Parameter Facets = new(nameof(SearchRequestModel.Facets), "facets");
    public static readonly Parameter FacetSize = new(nameof(SearchRequestModel.FacetSize), "facet size");
    public static readonly Parameter Prefix = new("Prefix", "prefix");
    public static readonly Parameter SuggestSize = new("Size", "number of suggestions");

    /// <summary>The document a snippet is cut from.</summary>
    public static readonly Parameter DocumentId = new("DocumentId", "document id");

    /// <summary>The id of a document to get or delete.</summary>
    public static readonly Parameter Id = new(nameof(Search.Document.Id), "id");

    public static readonly Parameter Document = new(nameof(Search.Document), "document");
    public static readonly Parameter DocumentIdField = Member(nameof(Search.Document.Id), "document id");
    public static readonly Parameter DocumentTitle = Member(nameof(Search.Document.Title), "document title");
    public static readonly Parameter DocumentBody = Member(nameof(Search.Document.Body), "document body");
    public static readonly Parameter DocumentSource = Member(nameof(Search.Document.Source), "document source");
    public static readonly Parameter DocumentPublishedAt = Member(nameof(Search.Document.PublishedAt), "document date");
    public static readonly Parameter DocumentMetadata = Member(nameof(Search.Document.Metadata), "document metadata");

    /// <summary>Text to normalize or analyze.</summary>
    public static readonly Parameter Text = new("Text", "text");

    private static Parameter Member(string member, string words) => new($"{nameof(Search.Document)}.{member}", words);
}
