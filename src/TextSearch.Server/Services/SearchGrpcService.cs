using Grpc.Core;
using TextSearch.Search;
using TextSearch.V1;

namespace TextSearch.Server.Services;

public sealed class SearchGrpcService(SearchEngine engine) : SearchService.SearchServiceBase
{
    public override async Task<SearchResponse> Search(SearchRequest request, ServerCallContext context)
    {
        var unit = ProtoMapper.ToUnit(request.OffsetEncoding);
        var result = await engine.SearchAsync(
            new SearchRequestModel(request.Query, request.PageSize, request.PageToken, request.MaxSnippets, request.FragmentChars),
            context.CancellationToken).ConfigureAwait(false);

        var response = new SearchResponse
        {
            TotalHits = result.TotalHits,
            NextPageToken = result.NextPageToken ?? string.Empty,
            NormalizedQuery = result.Query.Normalized,
        };
        response.Terms.Add(result.Query.Stems);
        foreach (var hit in result.Hits)
        {
            var doc = hit.Document;
            var proto = new SearchHit
            {
                Id = doc.Id,
                Score = hit.Score,
                Title = doc.Title,
                Source = doc.Source,
                PublishedAt = doc.PublishedAt is { } p ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(p) : null,
            };
            proto.Snippets.Add(hit.Snippets.Select(f => ProtoMapper.ToProto(f, doc.Body, unit)));
            proto.TitleHighlights.Add(ProtoMapper.ToProto(doc.Title, hit.TitleHighlights, unit));
            response.Hits.Add(proto);
        }

        return response;
    }

    public override async Task<SnippetResponse> Snippet(SnippetRequest request, ServerCallContext context)
    {
        var unit = ProtoMapper.ToUnit(request.OffsetEncoding);
        var (doc, fragments) = await engine.SnippetAsync(
            request.DocumentId, request.Query, request.MaxSnippets, request.FragmentChars, context.CancellationToken).ConfigureAwait(false);
        var response = new SnippetResponse();
        response.Snippets.Add(fragments.Select(f => ProtoMapper.ToProto(f, doc.Body, unit)));
        return response;
    }
}
