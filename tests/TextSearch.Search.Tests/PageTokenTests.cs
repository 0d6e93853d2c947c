using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using TextSearch.Search.Paging;

namespace TextSearch.Search.Tests;

public sealed class PageTokenTests
{
    /// <summary>A key as an index would have one: 32 random bytes.</summary>
    internal static PageTokenKey NewKey() => new(RandomNumberGenerator.GetBytes(32));

    internal static PageTokenKey Key { get; } = NewKey();

    private static byte[] Bytes(string token) => Base64Url.DecodeFromChars(token);

    private static string Token(byte[] bytes) => Base64Url.EncodeToString(bytes);

    private static TextSearchException AssertRefused(string token, string query = "q", PageTokenKey? key = null)
    {
        var ex = TestSupport.AssertInvalid(() => PageToken.Decode(key ?? Key, token, query));
        Assert.Equal(Parameter.PageToken.Path, ex.Field);
        return ex;
    }

    [Fact]
    public void Round_trips()
    {
        var token = PageToken.Encode(Key, "q", new SearchCursor(1.25f, "doc-٣", Rescored: true), 20);
        var state = PageToken.Decode(Key, token, "q");
        Assert.Equal(1.25f, state.Cursor.Score);
        Assert.Equal("doc-٣", state.Cursor.Id);
        Assert.Equal(20, state.Returned);
        Assert.True(state.Cursor.Rescored);
    }

    [Fact]
    public void Tokens_are_url_safe_and_short()
    {
        var token = PageToken.Encode(Key, "قوات سوريا", new SearchCursor(3.5f, "000_e7c410046469def3"), 10);
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.InRange(token.Length, 1, 90);

        // The longest id (256 characters of 3 UTF-8 bytes) still fits the length a decoder accepts.
        var longest = PageToken.Encode(Key, "q", new SearchCursor(1f, new string('ك', Limits.MaxIdChars)), 10);
        Assert.Equal(new string('ك', Limits.MaxIdChars), PageToken.Decode(Key, longest, "q").Cursor.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("AAAA")]
    [InlineData("!!!!")]
    [InlineData("ASiuv0Apx0uaiuYeQAIAAAAUADAwMF9lN2M0MTAwNDY0NjlkZWYzlP-tTx")]
    public void Garbage_is_invalid(string token) => AssertRefused(token);

    [Fact]
    public void Any_single_byte_tampered_is_refused()
    {
        var bytes = Bytes(PageToken.Encode(Key, "q", new SearchCursor(1f, "doc-1"), 10));
        for (var i = 0; i < bytes.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0x20, 0x80, 0xFF })
            {
                var copy = (byte[])bytes.Clone();
                copy[i] ^= mask;
                AssertRefused(Token(copy));
            }
        }
    }

    [Fact]
    public void Truncated_extended_and_re_spelled_tokens_are_refused()
    {
        var token = PageToken.Encode(Key, "q", new SearchCursor(1f, "doc-1"), 10);
        AssertRefused(token[..^1]);
        AssertRefused(token + "A");
        AssertRefused(token + "=");
        AssertRefused(token.Replace('-', '+').Replace('_', '/') + "x");
        AssertRefused(" " + token);

        // The last character of a token may carry spare bits (40 bytes take 53⅓ characters): another spelling of
        // the same bytes is still not a token this server issued.
        var bytes = Bytes(token);
        var last = token[^1];
        var sameBytes = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .Select(c => token[..^1] + c)
            .Where(t => t[^1] != last && Base64Url.IsValid(t) && Bytes(t).AsSpan().SequenceEqual(bytes));
        foreach (var respelled in sameBytes)
        {
            AssertRefused(respelled);
        }
    }

    [Fact]
    public void A_token_of_another_query_is_invalid()
    {
        var token = PageToken.Encode(Key, "q1", new SearchCursor(1f, "a"), 10);
        var ex = AssertRefused(token, "q2");
        Assert.Contains("different query", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_of_another_index_is_refused()
    {
        var other = NewKey();
        var token = PageToken.Encode(other, "q", new SearchCursor(1f, "a"), 10);
        Assert.Equal("a", PageToken.Decode(other, token, "q").Cursor.Id);
        AssertRefused(token, key: Key);
    }

    [Fact]
    public void A_token_re_signed_without_the_key_is_refused()
    {
        // Before tokens were signed, the checksum was the first 4 bytes of an unkeyed SHA-256 of the rest, and the
        // query fingerprint the first 8 bytes of an unkeyed SHA-256 of the query: anyone could write a token.
        static ulong UnkeyedFingerprint(string query) => BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(query)));

        static string OldScheme(byte version, ulong fingerprint, float score, int returned, string id, int checksumBytes)
        {
            var idBytes = Encoding.UTF8.GetBytes(id);
            var buffer = new byte[19 + idBytes.Length + checksumBytes];
            buffer[0] = version;
            BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(1), fingerprint);
            BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(9), score);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(13), returned);
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(17), (ushort)idBytes.Length);
            idBytes.CopyTo(buffer.AsSpan(19));
            SHA256.HashData(buffer.AsSpan(0, buffer.Length - checksumBytes)).AsSpan(0, checksumBytes).CopyTo(buffer.AsSpan(buffer.Length - checksumBytes));
            return Token(buffer);
        }

        // The old format exactly (version 1, 4-byte checksum), and the new layout with an unkeyed 16-byte "tag", with
        // the unkeyed fingerprint and with the real one copied from a genuine token of the query.
        var genuine = Bytes(PageToken.Encode(Key, "q", new SearchCursor(1f, "a"), 10));
        var realFingerprint = BinaryPrimitives.ReadUInt64LittleEndian(genuine.AsSpan(1));
        AssertRefused(OldScheme(1, UnkeyedFingerprint("q"), 1f, 10, "a", 4));
        AssertRefused(OldScheme(2, UnkeyedFingerprint("q"), 1f, 10, "a", 16));
        AssertRefused(OldScheme(2, realFingerprint, 99f, 1000, "z", 16));
        AssertRefused(OldScheme(2, realFingerprint, 1f, 10, "a", 16));
    }

    public static TheoryData<string, float, int, byte[]> ForgedFields => new()
    {
        { "infinite score", float.PositiveInfinity, 10, "a"u8.ToArray() },
        { "negative infinite score", float.NegativeInfinity, 10, "a"u8.ToArray() },
        { "NaN score", float.NaN, 10, "a"u8.ToArray() },
        { "negative returned", 1f, -1, "a"u8.ToArray() },
        { "int.MinValue returned", 1f, int.MinValue, "a"u8.ToArray() },
        { "NUL id", 1f, 10, "\0"u8.ToArray() },
        { "id with a NUL", 1f, 10, "a\0b"u8.ToArray() },
        { "id with a line break", 1f, 10, "a\nb"u8.ToArray() },
        { "empty id", 1f, 10, [] },
        { "id that is not UTF-8", 1f, 10, [0x61, 0xFF, 0x62] },
        { "id with a lone surrogate in UTF-8", 1f, 10, [0xED, 0xA0, 0x80] },
        { "id over the length limit", 1f, 10, Encoding.UTF8.GetBytes(new string('a', Limits.MaxIdChars + 1)) },
    };

    [Theory]
    [MemberData(nameof(ForgedFields))]
    public void Forged_fields_are_refused_even_when_signed_with_the_right_key(string what, float score, int returned, byte[] id)
    {
        var token = PageToken.EncodeRaw(Key, 4, PageToken.Fingerprint(Key, "q"), score, returned, id);
        var ex = Record.Exception(() => PageToken.Decode(Key, token, "q"));
        var invalid = Assert.IsType<TextSearchException>(ex);
        Assert.True(invalid.Kind == ErrorKind.InvalidArgument, what);
        Assert.Equal(Parameter.PageToken.Path, invalid.Field);
    }

    [Fact]
    public void The_raw_encoder_makes_tokens_the_decoder_accepts()
    {
        // The control for the forgeries above: the same helper with valid fields gives a valid token.
        var token = PageToken.EncodeRaw(Key, 4, PageToken.Fingerprint(Key, "q"), 2.5f, 7, "doc"u8);
        Assert.Equal(new PageToken.State(new SearchCursor(2.5f, "doc"), 7), PageToken.Decode(Key, token, "q"));
        var inWindow = PageToken.EncodeRaw(Key, 4, PageToken.Fingerprint(Key, "q"), 2.5f, 7, "doc"u8, flags: 1);
        Assert.Equal(new PageToken.State(new SearchCursor(2.5f, "doc", Rescored: true), 7), PageToken.Decode(Key, inWindow, "q"));
        AssertRefused(PageToken.EncodeRaw(Key, 1, PageToken.Fingerprint(Key, "q"), 2.5f, 7, "doc"u8));
        AssertRefused(PageToken.EncodeRaw(Key, 2, PageToken.Fingerprint(Key, "q"), 2.5f, 7, "doc"u8));
        AssertRefused(PageToken.EncodeRaw(Key, 3, PageToken.Fingerprint(Key, "q"), 2.5f, 7, "doc"u8));
        AssertRefused(PageToken.EncodeRaw(Key, 5, PageToken.Fingerprint(Key, "q"), 2.5f, 7, "doc"u8));
        var dated = PageToken.EncodeRaw(Key, 4, PageToken.Fingerprint(Key, "q"), 2.5f, 7, "doc"u8, sortValue: long.MinValue);
        Assert.Equal(new PageToken.State(new SearchCursor(2.5f, "doc", SortValue: long.MinValue), 7), PageToken.Decode(Key, dated, "q"));
        AssertRefused(PageToken.EncodeRaw(Key, 4, PageToken.Fingerprint(Key, "q"), 2.5f, 7, "doc"u8, flags: 2)); // unknown flag
    }

    [Theory]
    [InlineData(float.NaN, "a", 1)]
    [InlineData(float.PositiveInfinity, "a", 1)]
    [InlineData(1f, "", 1)]
    [InlineData(1f, "a\0", 1)]
    [InlineData(1f, "a", -1)]
    public void Encode_refuses_a_cursor_no_token_may_carry(float score, string id, int returned) =>
        Assert.ThrowsAny<ArgumentException>(() => PageToken.Encode(Key, "q", new SearchCursor(score, id), returned));

    [Fact]
    public void A_secret_shorter_than_32_bytes_is_refused() =>
        Assert.Throws<ArgumentException>(() => new PageTokenKey(new byte[31]));

    [Fact]
    public void An_oversized_token_is_invalid() => AssertRefused(new string('A', 5000));
}
