using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search.Tests;

namespace TextSearch.Search.Elasticsearch.Tests.Support;

internal static class Fakes
{
    /// <summary>Settings of the backends under test (the default alias, two retries).</summary>
    public static ElasticsearchOptions Options(int maxRetries = 2) => new()
    {
        Url = "http://localhost:9200",
        Index = "textsearch",
        Replicas = 0,
        MaxRetries = maxRetries,
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>A backend over a scripted Elasticsearch; backoff delays are recorded, not waited.</summary>
    public static ElasticsearchBackend Backend(
        HttpMessageHandler handler, ElasticsearchOptions? options = null, RankingOptions? ranking = null, List<TimeSpan>? delays = null) =>
        new(
            options ?? Options(),
            ranking ?? new RankingOptions(),
            TextAnalyzer.Default,
            TestSupport.Synonyms,
            NullLogger.Instance,
            handler,
            (delay, _) =>
            {
                lock (delays ?? [])
                {
                    delays?.Add(delay);
                }

                return Task.CompletedTask;
            });

    /// <summary>
    /// A cluster where the alias exists (HEAD answers 200) and every other request gets what
    /// <paramref name="respond"/> says (200 {} when it returns null).
    /// </summary>
    public static FakeHandler Cluster(Func<RecordedRequest, HttpResponseMessage?> respond) =>
        new((request, _) => request.Method == "HEAD" ? FakeHandler.Json(200, string.Empty) : respond(request) ?? FakeHandler.Json(200, "{}"));

    public const string EmptySearch = """
        {"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"total":{"value":0,"relation":"eq"},"max_score":null,"hits":[]}}
        """;
}
