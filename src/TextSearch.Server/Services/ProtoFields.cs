using TextSearch.Search;

namespace TextSearch.Server.Services;

/// <summary>
/// The proto field name of each domain parameter (<see cref="Parameter.Path"/>), for the field violations of
/// INVALID_ARGUMENT: the engine names its own parameters, and only the server knows the contract's names.
/// </summary>
internal static class ProtoFields
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        [Parameter.Query.Path] = "query",
        [Parameter.PageSize.Path] = "page_size",
        [Parameter.PageToken.Path] = "page_token",
        [Parameter.MaxSnippets.Path] = "max_snippets",
        [Parameter.FragmentChars.Path] = "fragment_chars",
        [Parameter.DocumentId.Path] = "document_id",
        [Parameter.Id.Path] = "id",
        [Parameter.Document.Path] = "document",
        [Parameter.DocumentIdField.Path] = "document.id",
        [Parameter.DocumentTitle.Path] = "document.title",
        [Parameter.DocumentBody.Path] = "document.body",
        [Parameter.DocumentSource.Path] = "document.source",
        [Parameter.DocumentPublishedAt.Path] = "document.published_at",
        [Parameter.DocumentMetadata.Path] = "document.metadata",
        [Parameter.Text.Path] = "text",
        [Parameter.FilterSources.Path] = "filter.sources",
        [Parameter.FilterPublishedAfter.Path] = "filter.published_after",
        [Parameter.FilterPublishedBefore.Path] = "filter.published_before",
        [Parameter.FilterMetadata.Path] = "filter.metadata",
        [Parameter.Sort.Path] = "sort",
        [Parameter.Facets.Path] = "facets",
        [Parameter.FacetSize.Path] = "facet_size",
        [Parameter.Prefix.Path] = "prefix",
        [Parameter.SuggestSize.Path] = "size",
    };

    /// <summary>The proto field name of a domain parameter; a name the server gave itself is already one.</summary>
    public static string Of(string field) => Names.GetValueOrDefault(field, field);

    /// <summary>Every domain parameter the contract knows (a test checks that each one of the domain is here).</summary>
    internal static IReadOnlyCollection<string> DomainPaths => Names.Keys;
}
