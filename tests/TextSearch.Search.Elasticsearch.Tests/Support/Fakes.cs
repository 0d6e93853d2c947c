using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TextSearch.Analysis;

namespace TextSearch.Search.Elasticsearch.Tests.Support;

internal static class Fakes
{
    /// <summary>
    /// Settings of the backends under test (the default alias, two retries). The request timeout is
    /// <paramref name="requestTimeout"/>, by default ten minutes: one no test reaches unless it means to, however busy the
    /// machine (on the real clock, large documents are analysed, serialised and compressed within it; on fake time,
    /// <see cref="Pump"/> moves on whether or not the call does). Tests of the timeout itself set theirs.
    /// </summary>
    public static ElasticsearchOptions Options(int maxRetries = 2, TimeSpan? requestTimeout = null) => new()
    {
        Url = "http://localhost:9200",
        Index = "textsearch",
        Replicas = 0,
        MaxRetries = maxRetries,
        RequestTimeout = requestTimeout ?? TimeSpan.FromMinutes(10),
    };

    /// <summary>A backend whose client sends through <paramref name="handler"/> (a fake cluster under the client's own invoker).</summary>
    public static ElasticsearchBackend Backend(
        HttpMessageHandler handler, ElasticsearchOptions? options = null, RankingOptions? ranking = null, TimeProvider? time = null, ILogger? logger = null) =>
        new(
            options ?? Options(),
            ranking ?? new RankingOptions(),
            TextAnalyzer.Default,
            TestSupport.Synonyms,
            logger ?? NullLogger.Instance,
            Unowned.Wrap(handler),
            time);

    /// <summary>
    /// A cluster where the alias exists (HEAD answers 200) and every other request gets what
    /// <paramref name="respond"/> says (200 {} when it returns null).
    /// </summary>
    /// <summary>
    /// A cluster whose index exists with this version's mapping (HEAD and GET _mapping answered); every other request
    /// goes to <paramref name="respond"/>.
    /// </summary>
    public static FakeHandler Cluster(Func<RecordedRequest, HttpResponseMessage?> respond) =>
        new((request, _) => request.Method == "HEAD"
            ? FakeHandler.Json(200, string.Empty)
            : request.Method == "GET" && request.PathAndQuery.Contains("/_mapping", StringComparison.Ordinal)
                ? FakeHandler.Json(200, CurrentMapping)
                : respond(request) ?? FakeHandler.Json(200, "{}"));

    /// <summary>GET /textsearch/_mapping of an index created by this version: every term field.</summary>
    public static string CurrentMapping => Mapping(EsFields.Required);

    /// <summary>GET /textsearch/_mapping of textsearch-v1 with these text fields, its variant keys of this version's revision.</summary>
    public static string Mapping(IEnumerable<string> fields) => Mapping(fields, EsIndex.Revision);

    /// <summary>
    /// GET /textsearch/_mapping of textsearch-v1 with these text fields and its <c>_meta</c> naming variant keys of
    /// <paramref name="revision"/> (none when null, as an index created before revisions were named).
    /// </summary>
    public static string Mapping(IEnumerable<string> fields, string? revision) => Mapping(fields, revision, EsFields.TermByTerm);

    /// <summary>
    /// GET /textsearch/_mapping of textsearch-v1 with these text fields, its <c>_meta</c> naming variant keys of
    /// <paramref name="revision"/>, and <paramref name="withoutPositions"/> mapped with <c>index_options: freqs</c>.
    /// Each term field names the analyzer this version indexes it with, unless <paramref name="analyzers"/> names
    /// another (null: none named, as Elasticsearch answers for a field of the default analyzer).
    /// </summary>
    public static string Mapping(IEnumerable<string> fields, string? revision, IEnumerable<string> withoutPositions, IReadOnlyDictionary<string, string?>? analyzers = null)
    {
        var properties = new JsonObject(fields.Select(f => KeyValuePair.Create(f, (JsonNode?)Property(f, withoutPositions.Contains(f), analyzers))));
        var mappings = new JsonObject
        {
            ["_meta"] = revision is null ? null : new JsonObject { [EsIndex.VariantKeysMeta] = revision },
            ["properties"] = properties,
        };
        return new JsonObject { ["textsearch-v1"] = new JsonObject { ["mappings"] = mappings } }.ToJsonString();
    }

    private static JsonObject Property(string field, bool withoutPositions, IReadOnlyDictionary<string, string?>? analyzers)
    {
        var property = new JsonObject { ["type"] = "text" };
        var analyzer = analyzers is not null && analyzers.TryGetValue(field, out var other) ? other
            : EsFields.Terms.Contains(field) ? EsIndex.IndexAnalyzer(field) : null;
        if (analyzer is not null)
        {
            property["analyzer"] = analyzer;
        }

        if (withoutPositions)
        {
            property["index_options"] = "freqs";
        }

        return property;
    }

    /// <summary>
    /// Runs <paramref name="operation"/> while moving <paramref name="time"/> forward in steps, so backoff delays and
    /// timeouts that wait on it pass without real waiting. Returns how much fake time passed. The steps follow the real
    /// clock, not the operation's progress: with <paramref name="from"/>, time stands still until it says the operation
    /// has reached what should time out (a request left hanging), so that nothing before it (the index check, the
    /// request's serialisation) can time out on a busy machine.
    /// </summary>
    public static async Task<TimeSpan> Pump(FakeTimeProvider time, Func<Task> operation, TimeSpan? step = null, Func<bool>? from = null)
    {
        var start = time.GetUtcNow();
        var task = operation();
        var ready = Stopwatch.StartNew();
        while (from is not null && !from() && !task.IsCompleted)
        {
            Assert.True(ready.Elapsed < TimeSpan.FromMinutes(1), "the operation never reached what was to time out");
            await Task.Delay(1);
        }

        for (var i = 0; !task.IsCompleted && i < 100_000; i++)
        {
            await Task.Delay(1);
            time.Advance(step ?? TimeSpan.FromMilliseconds(20));
        }

        await task;
        return time.GetUtcNow() - start;
    }

    public const string EmptySearch = """
        {"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"total":{"value":0,"relation":"eq"},"max_score":null,"hits":[]}}
        """;
}

/// <summary>Keeps what was logged (level, message, and the structured values).</summary>
internal sealed class LogRecorder : ILogger
{
    private readonly Lock _gate = new();

    public List<(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Values)> Entries { get; } = [];

    /// <summary>The delays the retry policy announced before waiting them.</summary>
    public List<TimeSpan> RetryDelays
    {
        get
        {
            lock (_gate)
            {
                return [.. Entries.Where(e => e.Values.ContainsKey("DelayMs")).Select(e => TimeSpan.FromMilliseconds((double)e.Values["DelayMs"]!))];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        lock (_gate)
        {
            Entries.Add((logLevel, formatter(state, exception), values.ToDictionary(kv => kv.Key, kv => kv.Value)));
        }
    }
}
