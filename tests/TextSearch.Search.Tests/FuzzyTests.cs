using TextSearch.Search.Query;

namespace TextSearch.Search.Tests;

public sealed class FuzzyTests
{
    [Theory]
    [InlineData("ديمقراط", "ديموقراط", true)]   // insertion
    [InlineData("ديموقراط", "ديمقراط", true)]   // deletion
    [InlineData("ديمقراط", "ديمقراز", true)]    // substitution
    [InlineData("ديمقراط", "ديمقارط", true)]    // transposition
    [InlineData("ديمقراط", "ديمقراط", true)]    // equal
    [InlineData("ديمقراط", "ديموقراطي", false)] // two edits
    [InlineData("ديمقراط", "زيمقراط", false)]   // first letter differs
    [InlineData("رقه", "رقم", false)]            // too short for variants
    public void Matches_within_one_edit_sharing_the_first_letter(string stem, string candidate, bool expected) =>
        Assert.Equal(expected, Fuzzy.Matches(stem, candidate));
}
