using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using TextSearch.Cli.Ingest;
using TextSearch.Cli.Syntax;
using TextSearch.V1;

namespace TextSearch.Cli.Bench;

/// <summary>
/// The requests of a run, built once before it starts, and the call that sends them. Request N of the run (warm-up
/// included) is item N modulo the number of items, so the workers take the queries or documents in turn.
/// </summary>
internal sealed class BenchWorkload
{
    /// <summary>The longest document id the server accepts.</summary>
    internal const int MaxIdLength = 256;

    private readonly IMessage[] _items;
    private readonly Func<BenchWorkload, CallInvoker, Func<long, CallOptions, Task>> _callerFactory;

    private BenchWorkload(MethodDescriptor method, IMessage[] items, Func<BenchWorkload, CallInvoker, Func<long, CallOptions, Task>> callerFactory, string? uniqueIdTag)
    {
        Method = method.FullName;
        Path = $"/{method.Service.FullName}/{method.Name}";
        _items = items;
        _callerFactory = callerFactory;
        UniqueIdTag = uniqueIdTag;
    }

    /// <summary>The fully qualified method: textsearch.v1.SearchService.Search.</summary>
    public string Method { get; }

    /// <summary>The HTTP/2 path of the method: /textsearch.v1.SearchService/Search.</summary>
    public string Path { get; }

    /// <summary>The distinct requests (queries, texts or documents) taken in turn.</summary>
    public int ItemCount => _items.Length;

    /// <summary>With --unique-ids, the part of the ids that is the same in the whole run (ID-TAG-N).</summary>
    public string? UniqueIdTag { get; }

    /// <summary>Reads the queries or documents the settings name. A missing or empty input file is a usage error.</summary>
    public static BenchWorkload Load(BenchSettings settings, int? pageSize, int? snippets, Action<SearchRequest>? shape = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        switch (settings.Call)
        {
            case BenchCall.Search:
                var searches = ReadLines(settings).Select(q =>
                {
                    var request = new SearchRequest { Query = q, PageSize = pageSize ?? 0, MaxSnippets = snippets ?? 0 };
                    shape?.Invoke(request); // the filter, sort and facets of the search options
                    return (IMessage)request;
                }).ToArray();
                return new BenchWorkload(SearchService.Descriptor.FindMethodByName("Search"), searches, (workload, invoker) =>
                {
                    var client = new SearchService.SearchServiceClient(invoker);
                    return (n, options) => Await(client.SearchAsync((SearchRequest)workload.Request(n), options));
                }, null);

            case BenchCall.Normalize:
                var texts = ReadLines(settings).Select(t => (IMessage)new NormalizeRequest { Text = t }).ToArray();
                return new BenchWorkload(NormalizationService.Descriptor.FindMethodByName("Normalize"), texts, (workload, invoker) =>
                {
                    var client = new NormalizationService.NormalizationServiceClient(invoker);
                    return (n, options) => Await(client.NormalizeAsync((NormalizeRequest)workload.Request(n), options));
                }, null);

            case BenchCall.Upsert:
                // With --count, documents past warm-up + count would never be sent: they are not read.
                var limit = settings.Count is { } count ? settings.Warmup + count : long.MaxValue;
                var documents = ReadDocuments(settings.DocsPath!, limit);
                var tag = settings.UniqueIds ? RunTag() : null;
                return new BenchWorkload(DocumentService.Descriptor.FindMethodByName("UpsertDocument"), documents, (workload, invoker) =>
                {
                    var client = new DocumentService.DocumentServiceClient(invoker);
                    return (n, options) => Await(client.UpsertDocumentAsync((UpsertDocumentRequest)workload.Request(n), options));
                }, tag);

            default:
                throw new InvalidOperationException($"unknown call {settings.Call}.");
        }
    }

    /// <summary>The function a worker calls for request N, bound to one channel.</summary>
    public Func<long, CallOptions, Task> CreateCaller(CallInvoker invoker) => _callerFactory(this, invoker);

    /// <summary>Request N of the run (0-based, warm-up included).</summary>
    public IMessage Request(long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var item = _items[n % _items.Length];
        if (UniqueIdTag is null || item is not UpsertDocumentRequest upsert)
        {
            return item;
        }

        var suffix = string.Create(CultureInfo.InvariantCulture, $"-{UniqueIdTag}-{n}");
        var id = upsert.Document.Id;
        if (id.Length + suffix.Length > MaxIdLength)
        {
            id = id[..(MaxIdLength - suffix.Length)];
        }

        return new UpsertDocumentRequest { Document = new Document(upsert.Document) { Id = id + suffix } };
    }

    /// <summary>
    /// Request N as the body of a gRPC call: one length-prefixed message (a 0 byte for "not compressed", the length
    /// as 4 bytes big-endian, the protobuf bytes), which is what h2load -d sends.
    /// </summary>
    public byte[] Frame(long n) => Frame(Request(n));

    public static byte[] Frame(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var size = message.CalculateSize();
        var frame = new byte[5 + size];
        frame[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)size);
        message.WriteTo(frame.AsSpan(5));
        return frame;
    }

    /// <summary>The non-blank lines of --queries (trimmed), or the one --query.</summary>
    internal static string[] ReadLines(BenchSettings settings)
    {
        if (settings.Query is { } query)
        {
            return [query];
        }

        var path = settings.QueriesPath!;
        if (!File.Exists(path))
        {
            throw new UsageException($"bench: --queries '{path}' does not exist.", "bench");
        }

        var lines = File.ReadLines(path, Encoding.UTF8).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        return lines.Length > 0 ? lines : throw new UsageException($"bench: --queries '{path}' has no non-blank line.", "bench");
    }

    private static IMessage[] ReadDocuments(string path, long limit)
    {
        var source = DocumentSource.Open(path, "bench");
        var documents = new List<IMessage>();
        foreach (var item in source.Read())
        {
            if (item.Request is null)
            {
                throw new InvalidDataException($"{item.Origin}: {item.Error}");
            }

            documents.Add(item.Request);
            if (documents.Count >= limit)
            {
                break;
            }
        }

        return documents.Count > 0
            ? [.. documents]
            : throw new UsageException($"bench: --docs '{path}' holds no document.", "bench");
    }

    /// <summary>Six random hex digits: unique enough between runs, short in an id.</summary>
    private static string RunTag() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    private static async Task Await<T>(AsyncUnaryCall<T> call)
    {
        using (call)
        {
            await call.ResponseAsync.ConfigureAwait(false);
        }
    }
}
