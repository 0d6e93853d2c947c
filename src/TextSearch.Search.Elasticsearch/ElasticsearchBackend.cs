using System.Text.Json;
using Microsoft.Extensions.Logging;
using TextSearch.Analysis;
using TextSearch.Search.Elasticsearch.Client;
using TextSearch.Search.Query;

namespace TextSearch.Search.Elasticsearch;

/// <summary>
/// The Elasticsearch engine (8.x/9.x). Documents are stored with their original fields and with term fields our
/// analysis core computed, and queries are built from the shared query model at term level, so results match the
/// embedded engine. Writes use refresh=wait_for: acknowledged documents are searchable (and, with Elasticsearch's
/// default request durability, fsynced to the translog). The index (an alias over a versioned index) is created on
/// first use; nothing is sent at construction, so a server whose cluster is down starts, reports NOT_SERVING, and
/// fails calls with UNAVAILABLE until the cluster answers.
/// </summary>
public sealed partial class ElasticsearchBackend : ISearchBackend
{
    /// <summary>Bulk requests are cut at this many bytes (Elasticsearch's default limit is 100 MB).</summary>
    internal const int MaxBulkBytes = 8 * 1024 * 1024;

    /// <summary>…or at this many documents.</summary>
    internal const int MaxBulkDocuments = 1000;

    private readonly ElasticsearchOptions _options;
    private readonly RankingOptions _ranking;
    private readonly SynonymMap _synonyms;
    private readonly ILogger _logger;
    private readonly ElasticsearchClient _client;
    private readonly EsDocumentMapper _mapper;
    private readonly EsQueryBuilder _queries;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly SemaphoreSlim _ensureLock = new(1, 1);
    private volatile bool _indexReady;
    private volatile byte[]? _secret;
    private volatile bool _disposed;

    public ElasticsearchBackend(
        ElasticsearchOptions options, RankingOptions ranking, TextAnalyzer analyzer, SynonymMap synonyms, ILogger<ElasticsearchBackend> logger)
        : this(options, ranking, analyzer, synonyms, logger, handler: null, delay: null)
    {
    }

    /// <summary>For tests: a fake transport, and a delay function that need not wait.</summary>
    internal ElasticsearchBackend(
        ElasticsearchOptions options,
        RankingOptions ranking,
        TextAnalyzer analyzer,
        SynonymMap synonyms,
        ILogger logger,
        HttpMessageHandler? handler,
        Func<TimeSpan, CancellationToken, Task>? delay)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentNullException.ThrowIfNull(synonyms);
        if (options.Validate() is [var first, ..])
        {
            throw new ArgumentException(first, nameof(options));
        }

        _options = options;
        _ranking = ranking;
        _synonyms = synonyms;
        _logger = logger;
        _delay = delay ?? Task.Delay;
        _client = new ElasticsearchClient(options, logger, handler, _delay, indexMissing: () => _indexReady = false);
        _mapper = new EsDocumentMapper(analyzer, ranking);
        _queries = new EsQueryBuilder(ranking);
        LogConfigured(_logger, options.ToString());
    }

    public string Name => "elasticsearch";

    /// <summary>Bulk with refresh=wait_for: stored (fsynced to the translog by Elasticsearch's default durability) and searchable.</summary>
    public Task<IReadOnlyList<DocumentFailure>> UpsertAsync(IReadOnlyList<Document> documents, CancellationToken cancellationToken) =>
        UpsertAsync(documents, refresh: true, cancellationToken);

    /// <summary>
    /// A bulk stream: batches are indexed without waiting for a refresh, and the commit refreshes once. Elasticsearch
    /// cannot take back documents it has indexed, so a stream that fails keeps those already sent (they become
    /// searchable with the index's next refresh), unlike the embedded engine, which stages them.
    /// </summary>
    public IBulkWriter BeginBulk() => new BulkWriter(this);

    private sealed class BulkWriter(ElasticsearchBackend backend) : IBulkWriter
    {
        private bool _added;

        public Task<IReadOnlyList<DocumentFailure>> AddAsync(IReadOnlyList<Document> documents, CancellationToken cancellationToken)
        {
            _added |= documents.Count > 0;
            return backend.UpsertAsync(documents, refresh: false, cancellationToken);
        }

        /// <summary>POST _refresh: every document of the stream becomes searchable.</summary>
        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            if (!_added)
            {
                return;
            }

            await backend.EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
            await backend._client.RefreshAsync(backend._options.Index, backend._client.Policy, cancellationToken).ConfigureAwait(false);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private async Task<IReadOnlyList<DocumentFailure>> UpsertAsync(IReadOnlyList<Document> documents, bool refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
        {
            return [];
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var failures = new List<DocumentFailure>();
        var start = 0;
        while (start < documents.Count)
        {
            var (body, count) = BuildBulk(documents, start);
            failures.AddRange(await BulkWithRetriesAsync(documents, start, count, body, refresh, cancellationToken).ConfigureAwait(false));
            start += count;
        }

        // Every document failed for an engine-side reason (no shard, rejected, timed out): the batch failed, which the
        // interface reports by throwing (document-level problems stay in the list).
        if (failures.Count == documents.Count && failures.All(f => f.Kind is ErrorKind.Unavailable or ErrorKind.ResourceExhausted or ErrorKind.DeadlineExceeded))
        {
            throw new TextSearchException(failures[0].Kind, failures[0].Reason);
        }

        return failures;
    }

    public async Task<Document?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var es = await _client.GetAsync(_options.Index, EsDocumentMapper.EsId(id), _client.Policy, cancellationToken).ConfigureAwait(false);
        return es is null ? null : EsDocumentMapper.FromEs(es, id);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        return await _client.DeleteAsync(_options.Index, EsDocumentMapper.EsId(id), _client.Policy, cancellationToken).ConfigureAwait(false);
    }

    public async Task<BackendPage> SearchAsync(SearchQuery query, int size, SearchCursor? after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (size <= 0 || (query.IsEmpty && !query.IsExclusionOnly))
        {
            return new BackendPage([], 0);
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var body = EsRequests.Search(_queries.Build(query), size, after);
        var response = await _client.SearchAsync(_options.Index, body, dfs: _options.Shards > 1, _client.Policy, cancellationToken).ConfigureAwait(false);
        var hits = new List<BackendHit>(response.Hits.Hits.Count);
        foreach (var hit in response.Hits.Hits)
        {
            var doc = EsDocumentMapper.FromEs(hit.Source ?? new EsDocument(), hit.Id ?? string.Empty);
            hits.Add(new BackendHit(doc.Id, SortScore(hit), doc));
        }

        return new BackendPage(hits, response.Hits.Total?.Value ?? hits.Count);
    }

    /// <summary>
    /// Derived from the uuid Elasticsearch gave the index (read once): every server on the index derives the same
    /// secret, clients of this service never see it, and an index created anew (a reindex) gets a new one.
    /// </summary>
    public async Task<byte[]> GetSecretAsync(CancellationToken cancellationToken)
    {
        if (_secret is { } cached)
        {
            return cached;
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var uuid = await _client.IndexUuidAsync(_options.Index, _client.Policy, cancellationToken).ConfigureAwait(false);
        return _secret = System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes("textsearch page tokens"), System.Text.Encoding.UTF8.GetBytes(uuid));
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        return await _client.CountAsync(_options.Index, _client.Policy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Serving when the index exists (it is created if needed) and _cluster/health for it says green or yellow (every
    /// primary shard allocated). A short timeout and no retries: a probe never hangs.
    /// </summary>
    public async Task<BackendHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return BackendHealth.NotServing;
        }

        try
        {
            await EnsureIndexAsync(cancellationToken, _client.HealthPolicy).ConfigureAwait(false);
            var health = await _client.HealthAsync(_options.Index, _client.HealthPolicy, cancellationToken).ConfigureAwait(false);
            return health.Status is "green" or "yellow" && !health.TimedOut ? BackendHealth.Serving : BackendHealth.NotServing;
        }
        catch (TextSearchException ex)
        {
            LogUnhealthy(_logger, ex.Message);
            return BackendHealth.NotServing;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _client.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Deletes the versioned index (and so its alias). For tests against a live cluster.</summary>
    internal Task DropIndexAsync(CancellationToken cancellationToken) =>
        _client.DeleteIndexAsync(_options.VersionedIndex, _client.Policy, cancellationToken);

    /// <summary>
    /// Creates the versioned index with its alias unless the alias (or an index of that name) exists. Races with
    /// another server are harmless: an index that already exists only gets the alias added.
    /// </summary>
    internal async Task EnsureIndexAsync(CancellationToken cancellationToken, RequestPolicy? policy = null)
    {
        if (_disposed)
        {
            Throw.Unavailable("the Elasticsearch engine is shutting down.");
        }

        if (_indexReady)
        {
            return;
        }

        policy ??= _client.Policy;
        await _ensureLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_indexReady)
            {
                return;
            }

            if (!await _client.ExistsAsync(_options.Index, policy, cancellationToken).ConfigureAwait(false))
            {
                var body = EsRequests.CreateIndex(_options, _ranking, _mapper.Analyzer.Options, _synonyms);
                if (await _client.CreateIndexAsync(_options.VersionedIndex, body, policy, cancellationToken).ConfigureAwait(false))
                {
                    LogCreated(_logger, _options.VersionedIndex, _options.Index);
                }
                else
                {
                    await _client.AddAliasAsync(_options.VersionedIndex, _options.Index, policy, cancellationToken).ConfigureAwait(false);
                    LogAliased(_logger, _options.VersionedIndex, _options.Index);
                }
            }

            _indexReady = true;
        }
        finally
        {
            _ensureLock.Release();
        }
    }

    /// <summary>One bulk request's NDJSON, from <paramref name="start"/>, cut by size and count.</summary>
    private (byte[] Body, int Count) BuildBulk(IReadOnlyList<Document> documents, int start)
    {
        using var ndjson = new MemoryStream();
        var count = 0;
        while (start + count < documents.Count && count < MaxBulkDocuments && (count == 0 || ndjson.Length < MaxBulkBytes))
        {
            var doc = documents[start + count];
            EsRequests.AppendIndexOperation(ndjson, EsDocumentMapper.EsId(doc.Id), _mapper.ToEs(doc));
            count++;
        }

        return (ndjson.ToArray(), count);
    }

    /// <summary>
    /// Sends a bulk request and reads every item's result (never the HTTP status alone). Items rejected for a reason a
    /// retry may cure (429, 502, 503, 504) are sent again, alone, with backoff; the others are reported as failures.
    /// </summary>
    private async Task<List<DocumentFailure>> BulkWithRetriesAsync(
        IReadOnlyList<Document> documents, int start, int count, byte[] body, bool refresh, CancellationToken cancellationToken)
    {
        var pending = Enumerable.Range(start, count).ToList();
        var failures = new List<DocumentFailure>();
        for (var attempt = 0; ; attempt++)
        {
            var response = await _client.BulkAsync(_options.Index, body, refresh, _client.Policy, cancellationToken).ConfigureAwait(false);
            if (response.Items.Count != pending.Count)
            {
                throw new TextSearchException(
                    ErrorKind.Unavailable, $"Elasticsearch answered a bulk request of {pending.Count} documents with {response.Items.Count} results.");
            }

            var retry = new List<int>();
            for (var i = 0; i < pending.Count; i++)
            {
                var item = response.Items[i].Values.FirstOrDefault() ?? new BulkItemResult { Status = 500 };
                if (item.Status is >= 200 and < 300 && item.Error is null)
                {
                    continue;
                }

                var doc = documents[pending[i]];
                if (item.Error?.Type == "index_not_found_exception")
                {
                    _indexReady = false;
                }

                if (EsErrors.IsRetryable(item.Status) && attempt < _options.MaxRetries)
                {
                    retry.Add(pending[i]);
                }
                else
                {
                    var failure = EsErrors.ItemFailure(doc.Id, item);
                    LogItemFailed(_logger, doc.Id, failure.Reason);
                    failures.Add(failure);
                }
            }

            if (retry.Count == 0)
            {
                return failures;
            }

            var delay = ElasticsearchClient.Backoff(attempt, null, Random.Shared.NextDouble());
            LogBulkRetry(_logger, retry.Count, attempt + 1, _options.MaxRetries, delay.TotalMilliseconds);
            await _delay(delay, cancellationToken).ConfigureAwait(false);
            using var ndjson = new MemoryStream();
            foreach (var index in retry)
            {
                EsRequests.AppendIndexOperation(ndjson, EsDocumentMapper.EsId(documents[index].Id), _mapper.ToEs(documents[index]));
            }

            body = ndjson.ToArray();
            pending = retry;
        }
    }

    // The score as Elasticsearch sorted by it (sort[0]), so a page token's cursor matches the sort exactly.
    private static float SortScore(SearchHit hit) =>
        hit.Sort is [{ ValueKind: JsonValueKind.Number } score, ..] ? score.GetSingle() : hit.Score ?? 0f;

    [LoggerMessage(Level = LogLevel.Information, Message = "Elasticsearch engine: {Settings}")]
    private static partial void LogConfigured(ILogger logger, string settings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created Elasticsearch index {Index} with alias {Alias}")]
    private static partial void LogCreated(ILogger logger, string index, string alias);

    [LoggerMessage(Level = LogLevel.Information, Message = "Elasticsearch index {Index} existed; alias {Alias} added")]
    private static partial void LogAliased(ILogger logger, string index, string alias);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch did not store document {Id}: {Reason}")]
    private static partial void LogItemFailed(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch rejected {Count} documents for now; retry {Attempt} of {MaxRetries} in {DelayMs:F0} ms")]
    private static partial void LogBulkRetry(ILogger logger, int count, int attempt, int maxRetries, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch engine is not serving: {Reason}")]
    private static partial void LogUnhealthy(ILogger logger, string reason);
}
