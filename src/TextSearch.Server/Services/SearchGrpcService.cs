using Grpc.Core;
using TextSearch.Search;
using TextSearch.V1;

namespace TextSearch.Server.Services;

public sealed class SearchGrpcService(ISearchEngine engine) : SearchService.SearchServiceBase
{
    public override async Task<SearchResponse> Search(SearchRequest request, ServerCallContext context)
    {
        var unit = ProtoMapper.ToUnit(request.OffsetEncoding);
        var result = await engine.SearchAsync(
            new SearchRequestModel(request.Query, request.PageSize, request.PageToken, request.MaxSnippets, request.FragmentChars)
            {
                Filter = ProtoMapper.ToDomain(request.Filter),
                Sort = ProtoMapper.ToDomain(request.Sort),
                Facets = request.Facets,
                FacetSize = request.FacetSize,
            },
            context.CancellationToken).ConfigureAwait(false);

        return ProtoMapper.ToProto(result, unit);
    }

    public override async Task<SuggestResponse> Suggest(SuggestRequest request, ServerCallContext context)
    {
        var suggestions = await engine.SuggestAsync(request.Prefix, request.Size, context.CancellationToken).ConfigureAwait(false);
        var response = new SuggestResponse();
        response.Suggestions.Add(suggestions.Select(s => new Suggestion { Text = s.Text, Normalized = s.Normalized, Count = s.Count }));
        return response;
    }

    public override async Task<SearchResponse> Related(RelatedRequest request, ServerCallContext context)
    {
        var unit = ProtoMapper.ToUnit(request.OffsetEncoding);
        var result = await engine.RelatedAsync(
            request.DocumentId, request.PageSize, ProtoMapper.ToDomain(request.Filter), 0, 0, context.CancellationToken).ConfigureAwait(false);
        return ProtoMapper.ToProto(result, unit);
    }

    public override async Task<SnippetResponse> Snippet(SnippetRequest request, ServerCallContext context)
    {
        var unit = ProtoMapper.ToUnit(request.OffsetEncoding);
        var (doc, fragments) = await engine.SnippetAsync(
            request.DocumentId, request.Query, request.MaxSnippets, request.FragmentChars, context.CancellationToken).ConfigureAwait(false);
        var response = new SnippetResponse();
        response.Snippets.Add(ProtoMapper.ToProto(fragments, doc.Body, unit));
        return response;
    }
}
