using TextSearch.Search.Paging;

namespace TextSearch.Search.Tests;

public sealed class PageTokenTests
{
    [Fact]
    public void Round_trips()
    {
        var token = PageToken.Encode("q", new SearchCursor(1.25f, "doc-٣"), 20);
        var state = PageToken.Decode(token, "q");
        Assert.Equal(1.25f, state.Cursor.Score);
        Assert.Equal("doc-٣", state.Cursor.Id);
        Assert.Equal(20, state.Returned);
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("AAAA")]
    [InlineData("!!!!")]
    [InlineData("ASiuv0Apx0uaiuYeQAIAAAAUADAwMF9lN2M0MTAwNDY0NjlkZWYzlP-tTx")]
    public void Garbage_is_invalid(string token) => TestSupport.AssertInvalid(() => PageToken.Decode(token, "q"));

    [Fact]
    public void A_flipped_bit_is_detected()
    {
        var token = PageToken.Encode("q", new SearchCursor(1f, "a"), 10).ToCharArray();
        token[5] = token[5] == 'A' ? 'B' : 'A';
        TestSupport.AssertInvalid(() => PageToken.Decode(new string(token), "q"));
    }

    [Fact]
    public void A_token_of_another_query_is_invalid()
    {
        var token = PageToken.Encode("q1", new SearchCursor(1f, "a"), 10);
        var ex = TestSupport.AssertInvalid(() => PageToken.Decode(token, "q2"));
        Assert.Contains("different query", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_token_is_invalid() => TestSupport.AssertInvalid(() => PageToken.Decode(new string('A', 5000), "q"));
}
