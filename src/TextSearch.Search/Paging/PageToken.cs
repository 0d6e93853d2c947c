using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace TextSearch.Search.Paging;

/// <summary>
/// The key page tokens are signed with, derived from the index's secret (<see cref="ISearchBackend.GetSecretAsync"/>):
/// one key for the tag, another for the query fingerprint, so the secret itself is used for nothing else.
/// </summary>
public sealed class PageTokenKey
{
    /// <summary>The shortest secret accepted: 256 bits.</summary>
    public const int MinSecretBytes = 32;

    private readonly byte[] _tagKey;
    private readonly byte[] _queryKey;

    public PageTokenKey(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < MinSecretBytes)
        {
            throw new ArgumentException($"the page token secret must be at least {MinSecretBytes} bytes; got {secret.Length}.", nameof(secret));
        }

        _tagKey = HMACSHA256.HashData(secret, "textsearch page token v2: tag"u8);
        _queryKey = HMACSHA256.HashData(secret, "textsearch page token v2: query"u8);
    }

    /// <summary>
    /// The query's fingerprint: keyed, so that nobody without the key can look for two queries whose fingerprints
    /// collide (64 bits would otherwise fall to a birthday search) and move a token from one to the other.
    /// </summary>
    internal ulong Fingerprint(string canonicalQuery)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_queryKey, Encoding.UTF8.GetBytes(canonicalQuery), mac);
        return BinaryPrimitives.ReadUInt64LittleEndian(mac);
    }

    /// <summary>The tag of <paramref name="data"/>: HMAC-SHA256 truncated to <paramref name="tag"/>'s length.</summary>
    internal void Sign(ReadOnlySpan<byte> data, Span<byte> tag)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_tagKey, data, mac);
        mac[..tag.Length].CopyTo(tag);
    }
}

/// <summary>
/// The opaque page token: where the next page starts (the last hit's score and id), how many hits came before,
/// and a fingerprint of the query it belongs to, signed with the index's key (HMAC-SHA256, a 128-bit tag over every
/// other byte). A token cannot be forged or altered without the key, and only works on the index that issued it
/// and for the query that returned it. Tokens survive index changes and restarts: they hold no engine-internal
/// document numbers. Base64url without padding: 84 characters for a 20-character id.
/// </summary>
/// <remarks>
/// Layout (little-endian): version (1 byte, 4) · flags (1: bit 0 set when the cursor is inside the rescoring window)
/// · fingerprint of the query, sort order and filter (8) · score (float32) · returned (int32) · id length (uint16) ·
/// sort value (int64: the date of a date sort) · id (UTF-8) · tag (16). Tokens of earlier versions (1: an unkeyed
/// checksum; 2: no window flag; 3: no sort value) are refused: a client holding one repeats its query from the first
/// page.
/// </remarks>
public static class PageToken
{
    private const byte Version = 4;
    private const byte RescoredFlag = 1;
    private const int HeaderBytes = 1 + 1 + 8 + 4 + 4 + 2 + 8;
    private const int TagBytes = 16;

    // An id of MaxIdChars UTF-16 units is at most 3 UTF-8 bytes per unit.
    private const int MaxIdBytes = Limits.MaxIdChars * 3;
    private const int MaxBytes = HeaderBytes + MaxIdBytes + TagBytes;
    private const int MaxTokenChars = ((MaxBytes * 4) + 2) / 3;

    private const string Malformed = "the page token is malformed (not a token this server issued).";

    public readonly record struct State(SearchCursor Cursor, int Returned);

    /// <summary>
    /// A token for the page after <paramref name="cursor"/>. Throws <see cref="ArgumentException"/> for a cursor no
    /// token may carry (a score that is not finite, an id that breaks the document id rules, a negative count).
    /// </summary>
    public static string Encode(PageTokenKey key, string canonicalQuery, SearchCursor cursor, int returned)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(canonicalQuery);
        ArgumentOutOfRangeException.ThrowIfNegative(returned);
        if (!float.IsFinite(cursor.Score) || IdError(cursor.Id) is not null)
        {
            throw new ArgumentException($"a page token cannot carry this cursor ({IdError(cursor.Id) ?? "the score is not finite"}).", nameof(cursor));
        }

        return EncodeRaw(
            key, Version, key.Fingerprint(canonicalQuery), cursor.Score, returned, Encoding.UTF8.GetBytes(cursor.Id), cursor.Rescored ? RescoredFlag : (byte)0, cursor.SortValue);
    }

    /// <summary>Writes and signs any fields, valid or not (tests forge tokens with it).</summary>
    internal static string EncodeRaw(PageTokenKey key, byte version, ulong fingerprint, float score, int returned, ReadOnlySpan<byte> id, byte flags = 0, long sortValue = 0)
    {
        var buffer = new byte[HeaderBytes + id.Length + TagBytes];
        var span = buffer.AsSpan();
        span[0] = version;
        span[1] = flags;
        BinaryPrimitives.WriteUInt64LittleEndian(span[2..], fingerprint);
        BinaryPrimitives.WriteSingleLittleEndian(span[10..], score);
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], returned);
        BinaryPrimitives.WriteUInt16LittleEndian(span[18..], checked((ushort)id.Length));
        BinaryPrimitives.WriteInt64LittleEndian(span[20..], sortValue);
        id.CopyTo(span[HeaderBytes..]);
        key.Sign(span[..^TagBytes], span[^TagBytes..]);
        return Base64Url.EncodeToString(buffer);
    }

    /// <summary>The keyed fingerprint of a query, for <see cref="EncodeRaw"/>.</summary>
    internal static ulong Fingerprint(PageTokenKey key, string canonicalQuery) => key.Fingerprint(canonicalQuery);

    /// <summary>
    /// Decodes a token for this query on this index; throws InvalidArgument for a malformed, altered, forged or
    /// foreign token, and for one whose fields break the rules (a score that is not finite, a negative count, an
    /// id that is empty, too long, not UTF-8 or holds control characters), even when it is correctly signed.
    /// </summary>
    public static State Decode(PageTokenKey key, string token, string canonicalQuery)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(canonicalQuery);
        if (token is null || token.Length > MaxTokenChars)
        {
            return Throw.Invalid<State>(Parameter.PageToken, "the page token is malformed (too long).");
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return Throw.Invalid<State>(Parameter.PageToken, Malformed);
        }

        // One spelling per token: no padding, no other alphabet, no stray bits in the last character.
        var span = bytes.AsSpan();
        if (span.Length < HeaderBytes + 1 + TagBytes || span[0] != Version
            || HeaderBytes + BinaryPrimitives.ReadUInt16LittleEndian(span[18..]) + TagBytes != span.Length
            || !string.Equals(Base64Url.EncodeToString(span), token, StringComparison.Ordinal))
        {
            return Throw.Invalid<State>(Parameter.PageToken, Malformed);
        }

        Span<byte> tag = stackalloc byte[TagBytes];
        key.Sign(span[..^TagBytes], tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, span[^TagBytes..]))
        {
            return Throw.Invalid<State>(Parameter.PageToken, "the page token is not valid here (altered, or issued by another index); repeat the query from the first page.");
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(span[2..]) != key.Fingerprint(canonicalQuery))
        {
            return Throw.Invalid<State>(Parameter.PageToken, "the page token belongs to a different query, sort order or filter; repeat the search that returned it.");
        }

        // Signed by this index, but the fields are checked all the same: a leaked key or a bug must not turn into
        // a cursor the backends were never meant to see.
        var flags = span[1];
        var score = BinaryPrimitives.ReadSingleLittleEndian(span[10..]);
        var returned = BinaryPrimitives.ReadInt32LittleEndian(span[14..]);
        var sortValue = BinaryPrimitives.ReadInt64LittleEndian(span[20..]);
        var idBytes = span[HeaderBytes..^TagBytes];
        if ((flags & ~RescoredFlag) != 0 || !float.IsFinite(score) || returned < 0 || !Utf8.IsValid(idBytes))
        {
            return Throw.Invalid<State>(Parameter.PageToken, Malformed);
        }

        var id = Encoding.UTF8.GetString(idBytes);
        return IdError(id) is { } error
            ? Throw.Invalid<State>(Parameter.PageToken, $"the page token is malformed ({error}).")
            : new State(new SearchCursor(score, id, (flags & RescoredFlag) != 0, sortValue), returned);
    }

    /// <summary>The document id rules (as <see cref="SearchEngine"/> applies them to ids callers send).</summary>
    private static string? IdError(string? id) =>
        string.IsNullOrEmpty(id) ? "the id is empty"
        : id.Length > Limits.MaxIdChars ? $"the id is longer than {Limits.MaxIdChars} characters"
        : id.Any(char.IsControl) ? "the id holds control characters"
        : null;
}
