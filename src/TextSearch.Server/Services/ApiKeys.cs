using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Options;
using TextSearch.Server.Hosting;

namespace TextSearch.Server.Services;

/// <summary>
/// Optional API keys: `authorization: Bearer KEY` or `x-api-key: KEY`. Read keys may call SearchService and
/// NormalizationService; write keys may also call DocumentService. With no keys configured, auth is off. Keys are
/// compared as SHA-256 hashes in constant time and never logged. <see cref="AdmissionMiddleware"/> applies them.
/// </summary>
public sealed class ApiKeys
{
    private readonly byte[][] _readHashes;
    private readonly byte[][] _writeHashes;

    public ApiKeys(IOptions<TextSearchOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var auth = options.Value.Auth;
        _readHashes = Hashes(auth.ReadKeys);
        _writeHashes = Hashes(auth.WriteKeys);
    }

    public bool Enabled => _readHashes.Length > 0 || _writeHashes.Length > 0;

    /// <summary>Why a call that <paramref name="writes"/> (or only reads) may not go on, or null when it may.</summary>
    internal Refusal? Check(IHeaderDictionary headers, bool writes)
    {
        if (!Enabled)
        {
            return null;
        }

        var presented = PresentedKey(headers);
        if (presented is null)
        {
            return new Refusal(StatusCode.Unauthenticated, "an API key is required (authorization: Bearer KEY, or x-api-key: KEY).", "no API key");
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var isWrite = Matches(_writeHashes, hash);
        var isRead = Matches(_readHashes, hash);
        if (!isWrite && !isRead)
        {
            return new Refusal(StatusCode.Unauthenticated, "the API key is not valid.", "unknown API key");
        }

        return !isWrite && writes
            ? new Refusal(StatusCode.PermissionDenied, "this API key may only read; DocumentService needs a write key.", "read-only API key")
            : null;
    }

    private static string? PresentedKey(IHeaderDictionary headers)
    {
        var authorization = First(headers["authorization"]);
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var key = authorization["Bearer ".Length..].Trim();
            return key.Length > 0 ? key : null;
        }

        var apiKey = First(headers["x-api-key"])?.Trim();
        return string.IsNullOrEmpty(apiKey) ? null : apiKey;
    }

    private static string? First(Microsoft.Extensions.Primitives.StringValues values) => values.Count > 0 ? values[0] : null;

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
}

/// <summary>A call turned away: the status the client gets, and the reason for the log (fixed text, nothing the client sent).</summary>
internal sealed record Refusal(StatusCode Code, string Message, string Reason);
