using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace TextSearch.Server.Web;

/// <summary>
/// The web search page at <c>/</c>: four files embedded in the assembly (no front-end build), served with an ETag
/// and a strict content security policy. The page itself calls the JSON API (<c>GET /v1/search</c>,
/// <c>/v1/suggest</c>, <c>/v1/documents/{id}/related</c> and <c>/v1/documents/{id}</c>).
/// </summary>
internal static class WebPage
{
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, Asset> Assets = new[]
    {
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "app.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "favicon.svg", "image/svg+xml"),
    }.ToFrozenDictionary(a => a.Item1, a => Asset.Load(a.Item2, a.Item3), StringComparer.Ordinal);

    public static IEndpointConventionBuilder MapWebPage(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty);
        foreach (var (path, asset) in Assets)
        {
            group.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) => Serve(context, asset));
        }

        return group;
    }

    private static Task Serve(HttpContext context, Asset asset)
    {
        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = Policy;
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Bytes.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(asset.Bytes, context.RequestAborted).AsTask();
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag)
    {
        public static Asset Load(string name, string contentType)
        {
            using var stream = typeof(WebPage).Assembly.GetManifestResourceStream("web/" + name)
                ?? throw new InvalidOperationException($"The web page asset '{name}' is not embedded.");
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var bytes = memory.ToArray();
            var tag = new EntityTagHeaderValue('"' + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + '"');
            return new Asset(bytes, contentType, tag.ToString());
        }
    }
}
