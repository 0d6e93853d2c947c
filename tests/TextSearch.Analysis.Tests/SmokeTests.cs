using TextSearch.Analysis;

namespace TextSearch.Analysis.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Normalizes_the_issue_example() =>
        Assert.Equal("الرحمن", ArabicNormalizer.Default.Normalize("ٱلرَّحْمَٰنِ").Text);
}
