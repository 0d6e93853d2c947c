using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TextSearch.Search.Paging;

/// <summary>
/// The opaque page token: where the next page starts (the last hit's score and id), how many hits came before,
/// and a fingerprint of the query it belongs to, with a checksum. Tokens survive index changes and restarts:
/// they hold no engine-internal document numbers.
/// </summary>
public static class PageToken
{
    private const byte Version = 1;
    private const int MaxTokenChars = 2048;

    public readonly record struct State(SearchCursor Cursor, int Returned);

    public static string Encode(string canonicalQuery, SearchCursor cursor, int returned)
    {
        var id = Encoding.UTF8.GetBytes(cursor.Id);
        var buffer = new byte[1 + 8 + 4 + 4 + 2 + id.Length + 4];
        var span = buffer.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteUInt64LittleEndian(span[1..], Fingerprint(canonicalQuery));
        BinaryPrimitives.WriteSingleLittleEndian(span[9..], cursor.Score);
        BinaryPrimitives.WriteInt32LittleEndian(span[13..], returned);
        BinaryPrimitives.WriteUInt16LittleEndian(span[17..], (ushort)id.Length);
        id.CopyTo(span[19..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[^4..], Checksum(span[..^4]));
        return Convert.ToBase64String(buffer).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Decodes a token for this query; throws InvalidArgument for a malformed, tampered or foreign token.</summary>
    public static State Decode(string token, string canonicalQuery)
    {
        if (token.Length > MaxTokenChars)
        {
            return Throw.InvalidArgument<State>("page_token is malformed (too long).");
        }

        byte[] bytes;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            bytes = Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '='));
        }
        catch (FormatException)
        {
            return Throw.InvalidArgument<State>("page_token is malformed (not a token this server issued).");
        }

        var span = bytes.AsSpan();
        if (span.Length < 23 || span[0] != Version
            || BinaryPrimitives.ReadUInt32LittleEndian(span[^4..]) != Checksum(span[..^4]))
        {
            return Throw.InvalidArgument<State>("page_token is malformed (not a token this server issued).");
        }

        var idLength = BinaryPrimitives.ReadUInt16LittleEndian(span[17..]);
        var score = BinaryPrimitives.ReadSingleLittleEndian(span[9..]);
        var returned = BinaryPrimitives.ReadInt32LittleEndian(span[13..]);
        if (19 + idLength + 4 != span.Length || returned < 0 || float.IsNaN(score))
        {
            return Throw.InvalidArgument<State>("page_token is malformed (not a token this server issued).");
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(span[1..]) != Fingerprint(canonicalQuery))
        {
            return Throw.InvalidArgument<State>("page_token belongs to a different query; repeat the query that returned it.");
        }

        return new State(new SearchCursor(score, Encoding.UTF8.GetString(span.Slice(19, idLength))), returned);
    }

    private static ulong Fingerprint(string canonicalQuery)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonicalQuery), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return BinaryPrimitives.ReadUInt32LittleEndian(hash);
    }
}
