using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Aggregations;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using Elastic.Clients.Elasticsearch.Core.Search;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Clients.Elasticsearch.Mapping;
using Elastic.Clients.Elasticsearch.QueryDsl;
using Microsoft.Extensions.Logging;
using Polly;
using TextSearch.Analysis;
using TextSearch.Search.Elasticsearch.Client;
using TextSearch.Search.Query;
using EsQuery = Elastic.Clients.Elasticsearch.QueryDsl.Query;
using HealthStatus = Elastic.Clients.Elasticsearch.HealthStatus;

namespace TextSearch.Search.Elasticsearch;

/// <summary>
/// The Elasticsearch engine (9.x), on the official client (<see cref="EsCluster"/>). Documents are stored with their
/// original fields and with term fields our analysis core computed, and queries are built from the shared query model at term level, so results match the
/// embedded engine. Writes use refresh=wait_for: acknowledged documents are searchable (and, with Elasticsearch's
/// default request durability, fsynced to the translog). The index (an alias over a versioned index) is created on
/// first use; nothing is sent at construction, so a server whose cluster is down starts, reports NOT_SERVING, and
/// fails calls with UNAVAILABLE until the cluster answers.
/// </summary>
public sealed partial class ElasticsearchBackend : ISearchBackend
{
    /// <summary>
    /// Bulk requests are cut at about this many bytes, estimated from the text: Elasticsearch's own need (its limit is
    /// 100 MB; smaller requests keep memory and a retry small). How many documents go together is the engine's batch
    /// policy (<see cref="Limits.BulkBatchDocuments"/>), not this layer's.
    /// </summary>
    internal const int MaxBulkBytes = 8 * 1024 * 1024;

    private readonly ElasticsearchOptions _options;
    private readonly RankingOptions _ranking;
    private readonly SynonymMap _synonyms;
    private readonly ILogger _logger;
    private readonly EsCluster _es;
    private readonly EsDocumentMapper _mapper;
    private readonly EsQueryBuilder _queries;
    private readonly SemaphoreSlim _ensureLock = new(1, 1);
    private volatile bool _indexReady;
    private (long At, TextSearchException Error)? _ensureFailure;
    private volatile byte[]? _secret;
    private volatile bool _disposed;

    public ElasticsearchBackend(
        ElasticsearchOptions options, RankingOptions ranking, TextAnalyzer analyzer, SynonymMap synonyms, ILogger<ElasticsearchBackend> logger)
        : this(options, ranking, analyzer, synonyms, logger, handler: null, time: null)
    {
    }

    /// <summary>For tests: the HTTP handler under the client (a fake cluster), and the time backoff and timeouts wait on.</summary>
    internal ElasticsearchBackend(
        ElasticsearchOptions options,
        RankingOptions ranking,
        TextAnalyzer analyzer,
        SynonymMap synonyms,
        ILogger logger,
        Func<HttpMessageHandler, HttpMessageHandler>? handler,
        TimeProvider? time)
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
        _es = new EsCluster(options, logger, time ?? TimeProvider.System, handler);
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
            await backend.CallAsync("refresh the index", (c, t) => c.Indices.RefreshAsync(new RefreshRequest(backend._options.Index), t), cancellationToken).ConfigureAwait(false);
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
            var count = BatchSize(documents, start);
            failures.AddRange(await BulkAsync(documents, start, count, refresh, cancellationToken).ConfigureAwait(false));
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
        var request = new GetRequest(_options.Index, EsDocumentMapper.EsId(id)) { SourceIncludes = EsFields.Original };
        var response = await CallAsync("get the document", (c, t) => c.GetAsync<EsDocument>(request, t), cancellationToken, missingIsValid: true).ConfigureAwait(false);
        return response.Found ? EsDocumentMapper.FromEs(response.Source ?? new EsDocument(), id) : null;
    }

    /// <summary>DELETE with refresh=wait_for: false when there was no such document.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var request = new DeleteRequest(_options.Index, EsDocumentMapper.EsId(id)) { Refresh = Refresh.WaitFor };
        var response = await CallAsync("delete the document", (c, t) => c.DeleteAsync(request, t), cancellationToken, missingIsValid: true).ConfigureAwait(false);
        return response.Result == Result.Deleted;
    }

    public async Task<BackendPage> SearchAsync(BackendSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var (query, size, after) = (search.Query, search.Size, search.After);
        if (size <= 0 || query.FindsNothing)
        {
            return new BackendPage([], 0);
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var facets = EsQueryBuilder.Facets(search);
        var window = _ranking.RescoreWindow;
        if (search.RanksInOnePhase(window))
        {
            return await PageAsync(EsQueryBuilder.Filtered(_queries.Build(query), search), search, rescored: false, facets, cancellationToken).ConfigureAwait(false);
        }

        // Two phases, as ISearchBackend defines them. Past the window, the first phase pages on by itself.
        var first = EsQueryBuilder.Filtered(_queries.FirstPhase(query), search);
        if (after is { Rescored: false })
        {
            return await PageAsync(first, search, rescored: false, facets, cancellationToken).ConfigureAwait(false);
        }

        // The window: the first phase's top, ids and scores only (no _source); the facets count every match with it.
        var top = await SearchAsync(EsQueryBuilder.Search(_options.Index, first, window, null, _options.Shards, source: false, aggregations: facets), cancellationToken).ConfigureAwait(false);
        var ranked = top.Hits.Select(h => (Score: SortScore(h, 0), Id: SortId(h, 1))).ToList();
        var total = TotalHits(top);
        var facetResults = Facets(search, top);
        if (ranked.Count == 0)
        {
            return new BackendPage([], total) { Facets = facetResults };
        }

        // The window ranked by the full score: the page after the cursor, with the documents.
        var page = await PageAsync(_queries.Rescore(query, ranked.Select(r => r.Id)), new BackendSearch(query, size, after), rescored: true, null, cancellationToken, countTotal: false).ConfigureAwait(false);
        var hits = page.Hits.ToList();
        if (hits.Count < size && ranked.Count == window && total > window)
        {
            // Past the window: the first phase's order, after the window's last hit in it.
            var (score, id) = ranked[^1];
            var more = await PageAsync(first, new BackendSearch(query, size - hits.Count, new SearchCursor(score, id)), rescored: false, null, cancellationToken, countTotal: false).ConfigureAwait(false);
            hits.AddRange(more.Hits);
        }

        return new BackendPage(hits, total) { Facets = facetResults };
    }

    /// <summary>One page of a query in the search's order after its cursor, with the documents (and the facets, when asked).</summary>
    private async Task<BackendPage> PageAsync(
        EsQuery query, BackendSearch search, bool rescored, Dictionary<string, Aggregation>? facets, CancellationToken cancellationToken, bool countTotal = true)
    {
        var request = EsQueryBuilder.Search(_options.Index, query, search.Size, search.After, _options.Shards, total: countTotal, order: search.Sort, aggregations: facets);
        var response = await SearchAsync(request, cancellationToken).ConfigureAwait(false);
        var hits = new List<BackendHit>(response.Hits.Count);
        var dated = search.Sort != SortOrder.Relevance;
        foreach (var hit in response.Hits)
        {
            var doc = EsDocumentMapper.FromEs(hit.Source ?? new EsDocument(), hit.Id ?? string.Empty);
            hits.Add(new BackendHit(doc.Id, SortScore(hit, dated ? 1 : 0), doc, rescored) { SortValue = dated ? SortDate(hit, search.Sort) : 0 });
        }

        return new BackendPage(hits, countTotal ? TotalHits(response) : hits.Count) { Facets = facets is null ? [] : Facets(search, response) };
    }

    /// <summary>The facet counts of a response's aggregations, in the order asked.</summary>
    private static List<FacetResult> Facets(BackendSearch search, SearchResponse<EsDocument> response)
    {
        var results = new List<FacetResult>(search.Facets.Count);
        foreach (var facet in search.Facets)
        {
            var name = DocumentKeys.Name(facet);
            IEnumerable<FacetCount> counts = facet == FacetField.Source
                ? response.Aggregations?.GetStringTerms(name)?.Buckets.Select(b => new FacetCount(b.Key.ToString(), b.DocCount)) ?? []
                : response.Aggregations?.GetDateHistogram(name)?.Buckets.Select(b => new FacetCount(b.KeyAsString ?? DocumentKeys.Month(b.Key.ToUnixTimeMilliseconds()), b.DocCount)) ?? [];
            results.Add(new FacetResult(facet, [.. counts]));
        }

        return results;
    }

    /// <summary>
    /// Completions in two requests: the words with the prefix held by most documents (a <c>terms</c> aggregation on
    /// the completion terms, restricted by <c>include</c> to words, by count then key), then each word's spelling held
    /// by most documents (one <c>terms</c> aggregation of size 1 per word, restricted to its spelling terms).
    /// </summary>
    public async Task<IReadOnlyList<SuggestEntry>> SuggestAsync(string prefix, int size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var words = await SearchAsync(
            Aggregate(new PrefixQuery(EsFields.Suggest, prefix), new Dictionary<string, Aggregation>
            {
                ["words"] = new() { Terms = new TermsAggregation { Field = EsFields.Suggest, Include = new TermsInclude(EsQueryBuilder.RegexLiteral(prefix) + "[^ ]*"), Size = size, ShardSize = EsQueryBuilder.ShardSize(size), Order = EsQueryBuilder.ByCountThenKey } },
            }),
            cancellationToken).ConfigureAwait(false);
        var found = words.Aggregations?.GetStringTerms("words")?.Buckets.Select(b => (Word: b.Key.ToString(), Count: b.DocCount)).ToList() ?? [];
        if (found.Count == 0)
        {
            return [];
        }

        // Each word's marker and spellings (terms only for words some document writes otherwise), by count.
        var spellingAggregations = new Dictionary<string, Aggregation>(StringComparer.Ordinal);
        for (var i = 0; i < found.Count; i++)
        {
            spellingAggregations[$"s{i}"] = new()
            {
                Terms = new TermsAggregation
                {
                    Field = EsFields.Suggest,
                    Include = new TermsInclude(EsQueryBuilder.RegexLiteral(found[i].Word + SuggestTerms.Separator) + ".*"),
                    Size = MaxSpellings,
                    ShardSize = EsQueryBuilder.ShardSize(MaxSpellings),
                    Order = EsQueryBuilder.ByCountThenKey,
                },
            };
        }

        var spellings = await SearchAsync(
            Aggregate(new TermsQuery { Field = EsFields.Suggest, Terms = new TermsQueryField([.. found.Select(f => FieldValue.String(f.Word + SuggestTerms.Separator))]) }, spellingAggregations),
            cancellationToken).ConfigureAwait(false);
        return [.. found.Select((f, i) =>
        {
            var buckets = spellings.Aggregations?.GetStringTerms($"s{i}")?.Buckets.Select(b => (Term: b.Key.ToString(), Count: b.DocCount)).ToList() ?? [];
            var marker = buckets.Where(b => b.Term.Length == f.Word.Length + 1).Sum(b => b.Count);
            var forms = buckets.Where(b => b.Term.Length > f.Word.Length + 1).Select(b => (SuggestTerms.Split(b.Term).Spelling, b.Count)).ToList();
            return new SuggestEntry(f.Word, SuggestTerms.BestSpelling(f.Word, f.Count, marker, forms).Spelling, f.Count);
        })];
    }

    /// <summary>The most spellings of one word Suggest weighs on Elasticsearch (the commonest, by documents).</summary>
    private const int MaxSpellings = 100;

    /// <summary>
    /// The live documents holding each stem in body_terms: one <c>filters</c> aggregation with a <c>term</c> filter per
    /// stem, in order.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> DocumentFrequenciesAsync(IReadOnlyCollection<string> stems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stems);
        var list = stems.ToList();
        var result = new Dictionary<string, long>(list.Count, StringComparer.Ordinal);
        if (list.Count == 0)
        {
            return result;
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var response = await SearchAsync(
            Aggregate(new MatchAllQuery(), new Dictionary<string, Aggregation>
            {
                ["df"] = new()
                {
                    Filters = new FiltersAggregation
                    {
                        Filters = new Buckets<EsQuery>([.. list.Select(stem => (EsQuery)new TermQuery(EsFields.BodyTerms, FieldValue.String(stem)))]),
                    },
                },
            }),
            cancellationToken).ConfigureAwait(false);
        var buckets = response.Aggregations?.GetFilters("df")?.Buckets;
        List<long> counts = buckets is null ? [] : [.. buckets.Select(b => b.DocCount)];
        for (var i = 0; i < list.Count; i++)
        {
            result[list[i]] = i < counts.Count ? counts[i] : 0;
        }

        return result;
    }

    /// <summary>A search for aggregations only (no hits, no total).</summary>
    private SearchRequest Aggregate(EsQuery query, Dictionary<string, Aggregation> aggregations) => new(_options.Index)
    {
        Size = 0,
        TrackTotalHits = new TrackHits(false),
        Query = query,
        Aggregations = aggregations,
        AllowPartialSearchResults = false,
    };

    private async Task<SearchResponse<EsDocument>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var response = await CallAsync("search", (c, t) => c.SearchAsync<EsDocument>(request, t), cancellationToken).ConfigureAwait(false);
        if (response.TimedOut || response.Shards is { Failed: > 0 })
        {
            var reason = response.Shards?.Failures?.FirstOrDefault()?.Reason ?? new ErrorCause { Type = "partial_results", Reason = "some shards failed or timed out" };
            throw EsErrors.ToException("search on every shard", EsErrors.Of(503, reason));
        }

        return response;
    }

    private static long TotalHits(SearchResponse<EsDocument> response) =>
        response.HitsMetadata?.Total?.Match(t => t?.Value, n => n) ?? response.Hits.Count;

    /// <summary>
    /// Derived from the uuid Elasticsearch gave the index (GET /{alias}/_settings, read once): every server on the
    /// index derives the same secret, clients of this service never see it, and an index created anew (a reindex)
    /// gets a new one.
    /// </summary>
    public async Task<byte[]> GetSecretAsync(CancellationToken cancellationToken)
    {
        if (_secret is { } cached)
        {
            return cached;
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var request = new GetIndicesSettingsRequest(_options.Index, "index.uuid");
        var response = await CallAsync("read the index settings", (c, t) => c.Indices.GetSettingsAsync(request, t), cancellationToken).ConfigureAwait(false);
        var uuid = response.Settings?.Values.Select(s => s.Settings?.Uuid ?? s.Settings?.Index?.Uuid).FirstOrDefault(u => !string.IsNullOrEmpty(u))
            ?? throw new TextSearchException(ErrorKind.Unavailable, "Elasticsearch answered the index settings request without the index's uuid.");
        return _secret = System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes("textsearch page tokens"), System.Text.Encoding.UTF8.GetBytes(uuid));
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var response = await CallAsync("count the documents", (c, t) => c.CountAsync(new CountRequest(_options.Index), t), cancellationToken).ConfigureAwait(false);
        return response.Count;
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
            await EnsureIndexAsync(cancellationToken, _es.Probe).ConfigureAwait(false);
            var health = await CallAsync(
                "report its health", (c, t) => c.Cluster.HealthAsync(new Elastic.Clients.Elasticsearch.Cluster.HealthRequest(_options.Index), t), cancellationToken, pipeline: _es.Probe).ConfigureAwait(false);
            return health.Status is HealthStatus.Green or HealthStatus.Yellow && !health.TimedOut ? BackendHealth.Serving : BackendHealth.NotServing;
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
            _es.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Deletes the versioned index (and so its alias). For tests against a live cluster.</summary>
    internal Task DropIndexAsync(CancellationToken cancellationToken) =>
        CallAsync("delete the index", (c, t) => c.Indices.DeleteAsync(new DeleteIndexRequest(_options.VersionedIndex), t), cancellationToken, missingIsValid: true);

    /// <summary>
    /// Creates the versioned index with its alias unless the alias (or an index of that name) exists. Races with
    /// another server are harmless: an index that already exists only gets the alias added.
    /// </summary>
    internal async Task EnsureIndexAsync(CancellationToken cancellationToken, ResiliencePipeline? pipeline = null)
    {
        if (_disposed)
        {
            Throw.Unavailable("the Elasticsearch engine is shutting down.");
        }

        if (_indexReady)
        {
            return;
        }

        var waitingSince = System.Diagnostics.Stopwatch.GetTimestamp();
        await _ensureLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_indexReady)
            {
                return;
            }

            // Callers that queued behind an attempt share its failure instead of each retrying in turn: an unreachable
            // cluster fails every waiting call within the one attempt's retries.
            if (_ensureFailure is { } failure && failure.At > waitingSince)
            {
                throw new TextSearchException(failure.Error.Kind, failure.Error.Message, failure.Error);
            }

            var exists = await _es.CallAsync(
                "check the index", pipeline ?? _es.Ordinary, (c, t) => c.Indices.ExistsAsync(new Elastic.Clients.Elasticsearch.IndexManagement.ExistsRequest(_options.Index), t), cancellationToken).ConfigureAwait(false);
            if (exists.ApiCallDetails.HttpStatusCode == 400)
            {
                // A HEAD has no body to say why; on a valid name, what answers 400 is an 8.x node refusing compatible-with=9.
                throw new TextSearchException(
                    ErrorKind.FailedPrecondition,
                    $"Elasticsearch refused to check the index '{_options.Index}' (400). This engine needs Elasticsearch 9.x: its client asks for compatible-with=9, which an 8.x node refuses.");
            }

            if (!exists.IsValidResponse)
            {
                throw Fail("check the index", exists);
            }

            if (!exists.Exists)
            {
                var create = EsIndex.Create(_options, _ranking, _mapper.Analyzer.Options, _synonyms);
                var created = await _es.CallAsync($"create the index '{_options.VersionedIndex}'", pipeline ?? _es.Ordinary, (c, t) => c.Indices.CreateAsync(create, t), cancellationToken).ConfigureAwait(false);
                if (created.IsValidResponse)
                {
                    LogCreated(_logger, _options.VersionedIndex, _options.Index);
                }
                else if (EsErrors.Of(created) is { Status: 400, Type: "resource_already_exists_exception" })
                {
                    var alias = EsIndex.AddAlias(_options.VersionedIndex, _options.Index);
                    await CallAsync($"point the alias '{_options.Index}' at '{_options.VersionedIndex}'", (c, t) => c.Indices.UpdateAliasesAsync(alias, t), cancellationToken, pipeline).ConfigureAwait(false);
                    LogAliased(_logger, _options.VersionedIndex, _options.Index);

                    // An index of that name made by another version (before the alias was set) is checked like any other.
                    await CheckMappingAsync(pipeline, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    throw Fail($"create the index '{_options.VersionedIndex}'", created);
                }
            }
            else
            {
                await CheckMappingAsync(pipeline, cancellationToken).ConfigureAwait(false);
            }

            _indexReady = true;
        }
        catch (TextSearchException ex)
        {
            _ensureFailure = (System.Diagnostics.Stopwatch.GetTimestamp(), ex);
            throw;
        }
        finally
        {
            _ensureLock.Release();
        }
    }

    /// <summary>
    /// An index that exists already must have every term field this version writes and searches: one created before
    /// the variant keys (body_keys) would refuse every document (the mapping is strict) and find no spelling variants.
    /// It is refused with what to do, as the embedded engine refuses an index of an older layout; so is one whose
    /// variant keys were indexed without positions (before proximity was measured on them), one whose term fields are
    /// indexed with other analyzers than this version's (<see cref="EsIndex.IndexAnalyzer"/>: the keys without the number
    /// class), and one whose variant keys (computed here, not by Elasticsearch) are of another revision
    /// (<see cref="EsIndex.VariantKeysMeta"/>).
    /// </summary>
    private async Task CheckMappingAsync(ResiliencePipeline? pipeline, CancellationToken cancellationToken)
    {
        var response = await CallAsync(
            "read the index mapping",
            (c, t) => c.Indices.GetMappingAsync(new Elastic.Clients.Elasticsearch.IndexManagement.GetMappingRequest(_options.Index), t),
            cancellationToken,
            pipeline).ConfigureAwait(false);
        // A cluster that answers without mappings (not Elasticsearch's own answer) cannot be checked: let it be.
        foreach (var (index, record) in response.Mappings ?? new Dictionary<string, Elastic.Clients.Elasticsearch.IndexManagement.IndexMappingRecord>())
        {
            var fields = record.Mappings?.Properties?.Select(p => p.Key.ToString()).ToHashSet(StringComparer.Ordinal) ?? [];
            var missing = EsFields.Required.Where(f => !fields.Contains(f)).ToList();
            var reindex = $"Create the next index (TextSearch:Elasticsearch:IndexVersion {_options.IndexVersion + 1}), reindex into it and move the alias (docs/elasticsearch.md).";
            if (missing.Count > 0)
            {
                throw new TextSearchException(
                    ErrorKind.FailedPrecondition,
                    $"the Elasticsearch index '{index}' behind '{_options.Index}' was created by an older TextSearch: it has no {string.Join(", ", missing)} field. " + reindex);
            }

            // Proximity is measured on the variant keys since they have positions; an older index has them without.
            var withoutPositions = record.Mappings?.Properties?
                .Where(p => EsFields.Positional.Contains(p.Key.ToString()) && p.Value is TextProperty { IndexOptions: IndexOptions.Docs or IndexOptions.Freqs })
                .Select(p => p.Key.ToString())
                .Order(StringComparer.Ordinal)
                .ToList() ?? [];
            if (withoutPositions.Count > 0)
            {
                throw new TextSearchException(
                    ErrorKind.FailedPrecondition,
                    $"the Elasticsearch index '{index}' behind '{_options.Index}' was created by an older TextSearch: its {string.Join(", ", withoutPositions)} field has no positions, "
                    + "which phrases and proximity need. " + reindex);
            }

            // The keys' index analyzer adds the number class (number proximity); an index whose term fields are
            // analyzed otherwise would search terms its documents were not written with.
            var otherAnalysis = record.Mappings?.Properties?
                .Select(p => (Field: p.Key.ToString(), Text: p.Value as TextProperty))
                .Where(f => f.Text is not null && EsFields.Terms.Contains(f.Field))
                .Select(f => (f.Field, Actual: f.Text!.Analyzer, Expected: EsIndex.IndexAnalyzer(f.Field)))
                .Where(f => f.Actual != f.Expected)
                .Select(f => $"its {f.Field} field is indexed with the analyzer '{f.Actual ?? "standard"}', not '{f.Expected}'")
                .Order(StringComparer.Ordinal)
                .ToList() ?? [];
            if (otherAnalysis.Count > 0)
            {
                throw new TextSearchException(
                    ErrorKind.FailedPrecondition,
                    $"the Elasticsearch index '{index}' behind '{_options.Index}' was created by another TextSearch: {string.Join("; ", otherAnalysis)}. " + reindex);
            }

            var revision = record.Mappings?.Meta is { } meta && meta.TryGetValue(EsIndex.VariantKeysMeta, out var value) ? value?.ToString() : null;
            if (revision != EsIndex.Revision)
            {
                throw new TextSearchException(
                    ErrorKind.FailedPrecondition,
                    $"the Elasticsearch index '{index}' behind '{_options.Index}' holds variant keys of revision {revision ?? "1"} (_meta.{EsIndex.VariantKeysMeta}); "
                    + $"this version writes and searches revision {EsIndex.Revision}. " + reindex);
            }
        }
    }

    /// <summary>How many documents from <paramref name="start"/> go into one bulk request (cut by size).</summary>
    private static int BatchSize(IReadOnlyList<Document> documents, int start)
    {
        var count = 0;
        long bytes = 0;
        while (start + count < documents.Count && (count == 0 || bytes < MaxBulkBytes))
        {
            var doc = documents[start + count];
            // At most 3 UTF-8 bytes a character, for the original text and the five term fields (the title is in the body's).
            bytes += 3L * ((6 * doc.Title.Length) + (4 * doc.Body.Length));
            count++;
        }

        return count;
    }

    /// <summary>
    /// Sends a bulk request and reads every item's result (never the HTTP status alone). Items refused for a reason a
    /// retry may cure (429, 502, 503, 504) are sent again, alone, by the retry policy (<see cref="EsCluster"/>); the
    /// others, and those still refused when the retries run out, are reported as failures.
    /// </summary>
    private async Task<List<DocumentFailure>> BulkAsync(IReadOnlyList<Document> documents, int start, int count, bool refresh, CancellationToken cancellationToken)
    {
        var failures = new List<DocumentFailure>();
        var pending = Enumerable.Range(start, count).ToList();
        var last = await _es.RunAsync("store the documents", _es.Ordinary, async token =>
        {
            var request = new BulkRequest(_options.Index)
            {
                Refresh = refresh ? Refresh.WaitFor : null,
                Operations = [.. pending.Select(i => new BulkIndexOperation<EsDocument>(_mapper.ToEs(documents[i])) { Id = EsDocumentMapper.EsId(documents[i].Id) })],
            };
            var response = EsCluster.Check("store the documents", await _es.Client.BulkAsync(request, token).ConfigureAwait(false), token);
            if (!response.IsValidResponse && response.ApiCallDetails.HttpStatusCode is not (>= 200 and < 300))
            {
                throw Fail("store the documents", response);
            }

            if (response.Items.Count != pending.Count)
            {
                throw new TextSearchException(
                    ErrorKind.Unavailable, $"Elasticsearch answered a bulk request of {pending.Count} documents with {response.Items.Count} results.");
            }

            var refused = new BulkRefused([]);
            foreach (var (index, item) in pending.Zip(response.Items))
            {
                if (item.Status is >= 200 and < 300 && item.Error is null)
                {
                    continue;
                }

                if (item.Error?.Type == "index_not_found_exception")
                {
                    _indexReady = false;
                }

                if (EsErrors.IsRetryable(item.Status))
                {
                    refused.Items.Add((index, item));
                }
                else
                {
                    failures.Add(ItemFailure(documents[index].Id, item));
                }
            }

            pending = [.. refused.Items.Select(r => r.Index)];
            return refused;
        }, cancellationToken).ConfigureAwait(false);

        failures.AddRange(last.Items.Select(r => ItemFailure(documents[r.Index].Id, r.Item)));
        return failures;
    }

    private DocumentFailure ItemFailure(string id, ResponseItem item)
    {
        var failure = EsErrors.ItemFailure(id, item);
        LogItemFailed(_logger, id, failure.Reason);
        return failure;
    }

    /// <summary>Sends one request through the retry policy (or <paramref name="pipeline"/>); an error answer becomes a <see cref="TextSearchException"/>.</summary>
    private async Task<T> CallAsync<T>(
        string operation, Func<ElasticsearchClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken, ResiliencePipeline? pipeline = null, bool missingIsValid = false)
        where T : Elastic.Transport.Products.Elasticsearch.ElasticsearchResponse
    {
        var response = await _es.CallAsync(operation, pipeline ?? _es.Ordinary, call, cancellationToken).ConfigureAwait(false);
        var missing = response.ApiCallDetails.HttpStatusCode == 404 && response.ElasticsearchServerError?.Error is null;
        return response.IsValidResponse && (!missing || missingIsValid) ? response : throw Fail(operation, response);
    }

    private TextSearchException Fail(string operation, Elastic.Transport.Products.Elasticsearch.ElasticsearchResponse response)
    {
        var error = EsErrors.Of(response);
        if (error.Type == "index_not_found_exception" || error.RootCauseType == "index_not_found_exception")
        {
            _indexReady = false;
        }

        return EsErrors.ToException(operation, error);
    }

    /// <summary>The items of a bulk attempt refused for now (sent again while retries remain).</summary>
    private sealed record BulkRefused(List<(int Index, ResponseItem Item)> Items) : IRetryableOutcome
    {
        public bool ShouldRetry => Items.Count > 0;

        public string Reason => $"{Items.Count} documents refused for now ({Items[0].Item.Status} {Items[0].Item.Error?.Type})";
    }

    // The score as Elasticsearch sorted by it (sort[0]), so a page token's cursor matches the sort exactly.
    /// <summary>The document id a hit sorted by (its second sort value; _id may be a hash of it).</summary>
    private static string SortId(Hit<EsDocument> hit, int at) =>
        hit.Sort is { } sort && sort.Count > at && sort.ElementAt(at).TryGetString(out var id) ? id! : hit.Id ?? string.Empty;

    private static float SortScore(Hit<EsDocument> hit, int at) =>
        hit.Sort is { } sort && sort.Count > at && (sort.ElementAt(at) is var value && (value.TryGetDouble(out var d) ? d : value.TryGetLong(out var l) ? l : null) is { } score)
            ? (float)score
            : (float)(hit.Score ?? 0);

    /// <summary>The date a hit was sorted by (its first sort value): epoch milliseconds, or the missing value for an undated one.</summary>
    private static long SortDate(Hit<EsDocument> hit, SortOrder order) =>
        hit.Sort?.FirstOrDefault() is { } value && (value.TryGetLong(out var l) ? l : value.TryGetDouble(out var d) ? (long?)d : null) is { } millis
            ? millis
            : BackendSearch.MissingDate(order);

    [LoggerMessage(Level = LogLevel.Information, Message = "Elasticsearch engine: {Settings}")]
    private static partial void LogConfigured(ILogger logger, string settings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created Elasticsearch index {Index} with alias {Alias}")]
    private static partial void LogCreated(ILogger logger, string index, string alias);

    [LoggerMessage(Level = LogLevel.Information, Message = "Elasticsearch index {Index} existed; alias {Alias} added")]
    private static partial void LogAliased(ILogger logger, string index, string alias);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch did not store document {Id}: {Reason}")]
    private static partial void LogItemFailed(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch engine is not serving: {Reason}")]
    private static partial void LogUnhealthy(ILogger logger, string reason);
}
