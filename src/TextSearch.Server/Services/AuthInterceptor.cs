using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using TextSearch.Server.Hosting;

namespace TextSearch.Server.Services;

/// <summary>
/// Optional API keys: `authorization: Bearer KEY` or `x-api-key: KEY`. Read keys may call SearchService and
/// NormalizationService; write keys may also call DocumentService. With no keys configured, auth is off. Health and
/// reflection are always open. Keys are compared as SHA-256 hashes in constant time and never logged.
/// </summary>
public sealed partial class AuthInterceptor : Interceptor
{
    private const string DocumentServicePrefix = "/textsearch.v1.DocumentService/";
    private readonly byte[][] _readHashes;
    private readonly byte[][] _writeHashes;
    private readonly ILogger<AuthInterceptor> _logger;

    public AuthInterceptor(IOptions<TextSearchOptions> options, ILogger<AuthInterceptor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var auth = options.Value.Auth;
        _readHashes = Hashes(auth.ReadKeys);
        _writeHashes = Hashes(auth.WriteKeys);
        _logger = logger;
    }

    public bool Enabled => _readHashes.Length > 0 || _writeHashes.Length > 0;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        if (!Enabled || ExemptMethods.IsExempt(context.Method))
        {
            return;
        }

        var presented = PresentedKey(context.RequestHeaders);
        if (presented is null)
        {
            LogRejected(_logger, context.Method, "no API key");
            throw new RpcException(new Status(StatusCode.Unauthenticated, "an API key is required (authorization: Bearer KEY, or x-api-key: KEY)."));
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var isWrite = Matches(_writeHashes, hash);
        var isRead = Matches(_readHashes, hash);
        if (!isWrite && !isRead)
        {
            LogRejected(_logger, context.Method, "unknown API key");
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the API key is not valid."));
        }

        if (!isWrite && context.Method.StartsWith(DocumentServicePrefix, StringComparison.Ordinal))
        {
            LogRejected(_logger, context.Method, "read-only API key");
            throw new RpcException(new Status(StatusCode.PermissionDenied, "this API key may only read; DocumentService needs a write key."));
        }
    }

    private static string? PresentedKey(Metadata headers)
    {
        var authorization = headers.GetValue("authorization");
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var key = authorization["Bearer ".Length..].Trim();
            return key.Length > 0 ? key : null;
        }

        var apiKey = headers.GetValue("x-api-key")?.Trim();
        return string.IsNullOrEmpty(apiKey) ? null : apiKey;
    }

    /// <summary>Compares against every configured hash without stopping early.</summary>
    private static bool Matches(byte[][] hashes, byte[] hash)
    {
        var found = false;
        foreach (var candidate in hashes)
        {
            found |= CryptographicOperations.FixedTimeEquals(candidate, hash);
        }

        return found;
    }

    private static byte[][] Hashes(IEnumerable<string>? keys) =>
        (keys ?? []).Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k.Trim()))).ToArray();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Method}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string method, string reason);
}
