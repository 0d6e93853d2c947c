using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Net.Client;
using TextSearch.V1;

namespace TextSearch.Client;

/// <summary>
/// The typed client of the TextSearch service. Every call carries a deadline (the call's own, or the client's
/// default timeout) and the API key; unary calls are retried on UNAVAILABLE by the channel's retry policy, and
/// <see cref="IndexAsync"/> retries whole batches. Failures surface as <see cref="RpcException"/> with the server's
/// status code and message, unchanged. Thread-safe; create it once (or let dependency injection do it).
/// </summary>
public sealed class TextSearchClient : IDisposable
{
    private readonly TextSearchClientOptions _options;
    private readonly NormalizationService.NormalizationServiceClient _normalization;
    private readonly SearchService.SearchServiceClient _search;
    private readonly DocumentService.DocumentServiceClient _documents;
    private readonly GrpcChannel? _ownedChannel;

    /// <summary>
    /// A client over any call invoker (a channel's, or one with interceptors). The invoker's channel decides unary
    /// retries: build it with <see cref="TextSearchServiceConfig.Apply"/> to get them.
    /// </summary>
    public TextSearchClient(CallInvoker callInvoker, TextSearchClientOptions options)
        : this(callInvoker, options, ownedChannel: null)
    {
    }

    /// <summary>A client over a channel you own (and dispose). See <see cref="TextSearchClient(CallInvoker, TextSearchClientOptions)"/>.</summary>
    public TextSearchClient(GrpcChannel channel, TextSearchClientOptions options)
        : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker(), options, ownedChannel: null)
    {
    }

    private TextSearchClient(CallInvoker callInvoker, TextSearchClientOptions options, GrpcChannel? ownedChannel)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        if (copy.Address is null)
        {
            // The address belongs to the channel; only the other settings matter here.
            copy.Address = new Uri("http://localhost");
        }

        copy.ThrowIfInvalid();
        _options = copy;
        _ownedChannel = ownedChannel;
        _normalization = new NormalizationService.NormalizationServiceClient(callInvoker);
        _search = new SearchService.SearchServiceClient(callInvoker);
        _documents = new DocumentService.DocumentServiceClient(callInvoker);
    }

    /// <summary>
    /// A client with a channel of its own to <see cref="TextSearchClientOptions.Address"/>, with the retry policy of
    /// <paramref name="options"/>. Dispose the client to close the channel.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    public static TextSearchClient Create(TextSearchClientOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var channelOptions = new GrpcChannelOptions();
        if (handler is not null)
        {
            channelOptions.HttpHandler = handler;
            channelOptions.DisposeHttpClient = true;
        }

        TextSearchServiceConfig.Apply(channelOptions, options);
        var channel = GrpcChannel.ForAddress(options.Address!, channelOptions);
        return new TextSearchClient(channel.CreateCallInvoker(), options, channel);
    }

    /// <summary>Closes the channel when <see cref="Create"/> made it; otherwise does nothing.</summary>
    public void Dispose() => _ownedChannel?.Dispose();

    /// <summary>Normalizes <paramref name="text"/> (Search's normalization: hamza forms, diacritics, tatweel, ...).</summary>
    public async Task<NormalizeResponse> NormalizeAsync(string text, NormalizeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var request = new NormalizeRequest
        {
            Text = text,
            IncludeOffsets = options?.IncludeOffsets ?? false,
            OffsetEncoding = options?.OffsetEncoding ?? OffsetEncoding.Unspecified,
        };
        if (options?.Rules is { } rules)
        {
            request.Options = rules;
        }

        using var call = _normalization.NormalizeAsync(request, Unary(options, cancellationToken));
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>Tokens of <paramref name="text"/> with terms, stems and offsets into the original.</summary>
    public async Task<AnalyzeResponse> AnalyzeAsync(string text, AnalyzeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var request = new AnalyzeRequest { Text = text, OffsetEncoding = options?.OffsetEncoding ?? OffsetEncoding.Unspecified };
        using var call = _normalization.AnalyzeAsync(request, Unary(options, cancellationToken));
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>One page of ranked hits for <paramref name="query"/>; the next page's token is in the response.</summary>
    public async Task<SearchResponse> SearchAsync(string query, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var request = new SearchRequest
        {
            Query = query,
            PageSize = options?.PageSize ?? 0,
            PageToken = options?.PageToken ?? string.Empty,
            OffsetEncoding = options?.OffsetEncoding ?? OffsetEncoding.Unspecified,
            MaxSnippets = options?.MaxSnippets ?? 0,
            FragmentChars = options?.FragmentChars ?? 0,
            Filter = DocumentFilter.ToProto(options?.Filter),
            Sort = options?.Sort ?? SortOrder.Unspecified,
            FacetSize = options?.FacetSize ?? 0,
        };
        if (options?.Facets is { } facets)
        {
            foreach (var facet in facets)
            {
                request.Facets.Add(facet ?? throw new ArgumentException("a facet name is null.", nameof(options)));
            }
        }

        using var call = _search.SearchAsync(request, Unary(options, cancellationToken));
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>
    /// Every hit of <paramref name="query"/>, page after page (starting at <see cref="SearchOptions.PageToken"/> if
    /// given), with the options' filter and sort order. Each page is its own call with its own deadline (an explicit
    /// <see cref="RequestOptions.Deadline"/> bounds them all). Facets are not asked for: only hits are returned.
    /// </summary>
    public async IAsyncEnumerable<SearchHit> SearchAllAsync(string query, SearchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = new SearchOptions
        {
            PageSize = options?.PageSize ?? 0,
            PageToken = options?.PageToken,
            OffsetEncoding = options?.OffsetEncoding ?? OffsetEncoding.Unspecified,
            MaxSnippets = options?.MaxSnippets ?? 0,
            FragmentChars = options?.FragmentChars ?? 0,
            Filter = options?.Filter,
            Sort = options?.Sort ?? SortOrder.Unspecified,
            Deadline = options?.Deadline,
            Timeout = options?.Timeout,
            Headers = options?.Headers,
        };
        while (true)
        {
            var response = await SearchAsync(query, page, cancellationToken).ConfigureAwait(false);
            foreach (var hit in response.Hits)
            {
                yield return hit;
            }

            if (string.IsNullOrEmpty(response.NextPageToken) || response.Hits.Count == 0)
            {
                yield break;
            }

            page.PageToken = response.NextPageToken;
        }
    }

    /// <summary>Snippets of one document for <paramref name="query"/>. NOT_FOUND when the document does not exist.</summary>
    public async Task<SnippetResponse> SnippetAsync(string documentId, string query, SnippetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        ArgumentNullException.ThrowIfNull(query);
        var request = new SnippetRequest
        {
            DocumentId = documentId,
            Query = query,
            MaxSnippets = options?.MaxSnippets ?? 0,
            FragmentChars = options?.FragmentChars ?? 0,
            OffsetEncoding = options?.OffsetEncoding ?? OffsetEncoding.Unspecified,
        };
        using var call = _search.SnippetAsync(request, Unary(options, cancellationToken));
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>
    /// Completions of the last word of <paramref name="prefix"/> (the words before it are kept as typed), from the
    /// words of the indexed titles and bodies, ranked by the number of documents holding them. INVALID_ARGUMENT
    /// (field <c>prefix</c>) when it is blank or longer than 256 characters.
    /// </summary>
    public async Task<SuggestResponse> SuggestAsync(string prefix, SuggestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var request = new SuggestRequest { Prefix = prefix, Size = options?.Size ?? 0 };
        using var call = _search.SuggestAsync(request, Unary(options, cancellationToken));
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>
    /// The documents most like <paramref name="documentId"/> (its most distinctive terms as a query), never the document
    /// itself; one page, with snippets. NOT_FOUND when the document does not exist.
    /// </summary>
    public async Task<SearchResponse> RelatedAsync(string documentId, RelatedOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        var request = new RelatedRequest
        {
            DocumentId = documentId,
            PageSize = options?.PageSize ?? 0,
            Filter = DocumentFilter.ToProto(options?.Filter),
            OffsetEncoding = options?.OffsetEncoding ?? OffsetEncoding.Unspecified,
        };
        using var call = _search.RelatedAsync(request, Unary(options, cancellationToken));
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>The stored document. NOT_FOUND when it does not exist.</summary>
    public async Task<Document> GetAsync(string id, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var call = _documents.GetDocumentAsync(new GetDocumentRequest { Id = id }, Unary(options, cancellationToken));
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>Stores (or replaces) a document; returns once it is durable and searchable.</summary>
    public async Task<UpsertDocumentResponse> UpsertAsync(Document document, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var call = _documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = document }, Unary(options, cancellationToken));
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>Deletes a document. NOT_FOUND when it does not exist.</summary>
    public async Task<DeleteDocumentResponse> DeleteAsync(string id, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var call = _documents.DeleteDocumentAsync(new DeleteDocumentRequest { Id = id }, Unary(options, cancellationToken));
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>
    /// Indexes a stream of documents in batches: one BulkUpsertDocuments call per batch
    /// (<see cref="TextSearchClientOptions.IndexBatchSize"/> documents or <see cref="TextSearchClientOptions.IndexBatchMaxBytes"/>),
    /// each acknowledged by the server after one commit before the next starts. A batch that fails with UNAVAILABLE
    /// is sent again whole (upserts by id are idempotent), up to <see cref="TextSearchClientOptions.MaxAttempts"/>.
    /// Documents the server refuses do not fail the call: they are in <see cref="IndexResult.Failures"/>. Any other
    /// failure throws an <see cref="IndexException"/> (an <see cref="RpcException"/> with the server's status) whose
    /// <see cref="IndexException.Acknowledged"/> is what the batches acknowledged before it stored and refused; they
    /// stay stored.
    /// </summary>
    public async Task<IndexResult> IndexAsync(IAsyncEnumerable<Document> documents, IndexOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var batchSize = options?.BatchSize ?? _options.IndexBatchSize;
        var maxBytes = options?.BatchMaxBytes ?? _options.IndexBatchMaxBytes;
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1, "options.BatchSize");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1L, "options.BatchMaxBytes");

        var state = new IndexState(options?.Progress);
        var batch = new List<UpsertDocumentRequest>();
        long batchBytes = 0;
        BatchCall? live = null;
        try
        {
            await foreach (var document in documents.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (document is null)
                {
                    throw new ArgumentException($"document #{state.Sent} of the sequence is null.", nameof(documents));
                }

                var request = new UpsertDocumentRequest { Document = document };
                var size = request.CalculateSize();
                if (batch.Count > 0 && (batch.Count >= batchSize || batchBytes + size > maxBytes))
                {
                    var finishing = live!;
                    live = null;
                    await FinishBatchAsync(finishing, batch, state, options, cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                    batchBytes = 0;
                }

                live ??= StartBatch(BatchDeadline(options), options, cancellationToken);
                batch.Add(request);
                batchBytes += size;
                var written = await live.WriteAsync(request, cancellationToken).ConfigureAwait(false);
                state.Sent++;
                state.Report();
                if (!written)
                {
                    // The call is over: settle this batch now (a retry, or its status) rather than read on.
                    var finishing = live;
                    live = null;
                    await FinishBatchAsync(finishing, batch, state, options, cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                    batchBytes = 0;
                }
            }

            if (batch.Count > 0)
            {
                var finishing = live!;
                live = null;
                await FinishBatchAsync(finishing, batch, state, options, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RpcException ex) when (ex is not IndexException)
        {
            // Keep what the acknowledged batches said, refused documents included.
            throw new IndexException(ex, new IndexResult(state.Sent, state.Upserted, state.Failures, state.Batches, state.Retries));
        }
        finally
        {
            live?.Dispose();
        }

        return new IndexResult(state.Sent, state.Upserted, state.Failures, state.Batches, state.Retries);
    }

    /// <summary>Completes a batch's call and waits for its acknowledgement, sending the batch again on UNAVAILABLE.</summary>
    private async Task FinishBatchAsync(BatchCall call, List<UpsertDocumentRequest> batch, IndexState state, IndexOptions? options, CancellationToken cancellationToken)
    {
        var attempt = 1;
        try
        {
            while (true)
            {
                try
                {
                    var response = await call.CompleteAsync(cancellationToken).ConfigureAwait(false);
                    state.Acknowledge(response, batch.Count);
                    return;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && attempt < _options.MaxAttempts && !cancellationToken.IsCancellationRequested)
                {
                    call.Dispose();
                    await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                    attempt++;
                    state.Retries++;
                    call = StartBatch(call.Deadline, options, cancellationToken);
                    foreach (var request in batch)
                    {
                        if (!await call.WriteAsync(request, cancellationToken).ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                }
            }
        }
        finally
        {
            call.Dispose();
        }
    }

    private BatchCall StartBatch(DateTime? deadline, IndexOptions? options, CancellationToken cancellationToken) =>
        new(_documents.BulkUpsertDocuments(new CallOptions(Headers(options), deadline, cancellationToken)), deadline);

    private DateTime? BatchDeadline(IndexOptions? options) => Deadline(options, _options.IndexBatchTimeout);

    /// <summary>Exponential backoff with full jitter, like gRPC's own retries.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var ceiling = _options.InitialBackoff.TotalMilliseconds * Math.Pow(_options.BackoffMultiplier, attempt - 1);
        ceiling = Math.Min(ceiling, _options.MaxBackoff.TotalMilliseconds);
#pragma warning disable CA5394 // Jitter, not security.
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
#pragma warning restore CA5394
    }

    private CallOptions Unary(RequestOptions? options, CancellationToken cancellationToken) =>
        new(Headers(options), Deadline(options, _options.Timeout), cancellationToken);

    /// <summary>The call's deadline: its explicit deadline, else now + its timeout, else now + the default; null for none.</summary>
    internal static DateTime? Deadline(RequestOptions? options, TimeSpan defaultTimeout)
    {
        if (options?.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            return deadline.Kind switch
            {
                DateTimeKind.Local => deadline.ToUniversalTime(),
                DateTimeKind.Unspecified => DateTime.SpecifyKind(deadline, DateTimeKind.Utc),
                _ => deadline,
            };
        }

        var timeout = options?.Timeout ?? defaultTimeout;
        return TextSearchClientOptions.IsInfinite(timeout) ? null : DateTime.UtcNow + timeout;
    }

    private Metadata? Headers(RequestOptions? options)
    {
        var hasKey = !string.IsNullOrEmpty(_options.ApiKey);
        if (!hasKey && options?.Headers is null)
        {
            return null;
        }

        var headers = new Metadata();
        if (options?.Headers is { } extra)
        {
            foreach (var entry in extra)
            {
                headers.Add(entry);
            }
        }

        if (hasKey)
        {
            if (_options.ApiKeyHeader == ApiKeyHeader.XApiKey)
            {
                headers.Add("x-api-key", _options.ApiKey!);
            }
            else
            {
                headers.Add("authorization", "Bearer " + _options.ApiKey);
            }
        }

        return headers;
    }

    /// <summary>One attempt at sending a batch. A failed write only marks it broken: the call's status says why.</summary>
    private sealed class BatchCall(AsyncClientStreamingCall<UpsertDocumentRequest, BulkUpsertDocumentsResponse> call, DateTime? deadline) : IDisposable
    {
        private Exception? _writeFailure;

        public DateTime? Deadline { get; } = deadline;

        /// <summary>Writes one document; false when the call is over (its status comes with <see cref="CompleteAsync"/>).</summary>
        public async Task<bool> WriteAsync(UpsertDocumentRequest request, CancellationToken cancellationToken)
        {
            if (_writeFailure is not null)
            {
                return false;
            }

            try
            {
                await call.RequestStream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (ex is RpcException or InvalidOperationException or IOException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _writeFailure = ex;
                return false;
            }
        }

        /// <summary>Ends the request stream and waits for the acknowledgement; throws the call's status on failure.</summary>
        public async Task<BulkUpsertDocumentsResponse> CompleteAsync(CancellationToken cancellationToken)
        {
            if (_writeFailure is RpcException rpc)
            {
                throw rpc;
            }

            if (_writeFailure is null)
            {
                try
                {
                    await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is InvalidOperationException or IOException)
                {
                    _writeFailure = ex;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            var response = await call.ResponseAsync.ConfigureAwait(false);
            if (_writeFailure is not null)
            {
                throw new IOException($"the upload was interrupted: {_writeFailure.Message}", _writeFailure);
            }

            return response;
        }

        public void Dispose() => call.Dispose();
    }

    private sealed class IndexState(IProgress<IndexProgress>? progress)
    {
        private readonly List<IndexFailure> _failures = [];

        public long Sent { get; set; }

        public long Acknowledged { get; private set; }

        public long Upserted { get; private set; }

        public int Batches { get; private set; }

        public int Retries { get; set; }

        public IReadOnlyList<IndexFailure> Failures => _failures;

        public void Acknowledge(BulkUpsertDocumentsResponse response, int count)
        {
            var start = Acknowledged;
            Upserted += response.Upserted;
            foreach (var failure in response.Failures)
            {
                var index = failure.Index >= 0 && failure.Index < count ? start + failure.Index : -1;
                _failures.Add(new IndexFailure(failure.Id, failure.Reason, index));
            }

            Acknowledged += count;
            Batches++;
            Report();
        }

        public void Report() => progress?.Report(new IndexProgress(Sent, Acknowledged, Batches));
    }
}
