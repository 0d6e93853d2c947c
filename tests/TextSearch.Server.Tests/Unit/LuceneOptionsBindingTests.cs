using Microsoft.Extensions.Configuration;
using TextSearch.Search;
using TextSearch.Server.Hosting;

namespace TextSearch.Server.Tests.Unit;

/// <summary>The embedded engine's settings come from TextSearch:Lucene, its index path and ranking from TextSearch.</summary>
public sealed class LuceneOptionsBindingTests
{
    [Fact]
    public void Lucene_settings_are_read_from_their_section_and_the_shared_ones_from_TextSearch()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TextSearch:Lucene:CompactWhenIdleAboveSegments"] = "9",
            ["TextSearch:Lucene:CompactIdleDelay"] = "00:00:30",
            ["TextSearch:Lucene:CompactAfterBulkMaxMB"] = "512",
            ["TextSearch:Lucene:IndexPath"] = "ignored", // the index path is TextSearch:IndexPath, shared by every engine
        }).Build();
        var shared = new TextSearchOptions { IndexPath = "some/index", Ranking = new RankingOptions { RescoreWindow = 50 } };

        var options = TextSearchServer.LuceneOptionsFrom(configuration, shared);

        Assert.Equal(9, options.CompactWhenIdleAboveSegments);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CompactIdleDelay);
        Assert.Equal(512, options.CompactAfterBulkMaxMB);
        Assert.Equal(Path.GetFullPath("some/index"), options.IndexPath);
        Assert.Equal(50, options.Ranking.RescoreWindow);
    }

    [Fact]
    public void Without_the_section_the_defaults_hold()
    {
        var options = TextSearchServer.LuceneOptionsFrom(new ConfigurationBuilder().Build(), new TextSearchOptions());
        Assert.Equal(4, options.CompactWhenIdleAboveSegments);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CompactIdleDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MergeWaitOnClose);
        Assert.Equal(Math.Min(Environment.ProcessorCount, 4), options.BulkIndexThreads);
        Assert.Equal(Path.GetFullPath("data/index"), options.IndexPath);
    }

    [Theory]
    [InlineData("CompactIdleDelay", "-00:00:02")]
    [InlineData("MergeWaitOnClose", "2.00:00:00")]
    [InlineData("BulkIndexThreads", "0")]
    public void A_setting_out_of_range_is_refused_naming_the_setting(string setting, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"TextSearch:Lucene:{setting}"] = value,
        }).Build();
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => TextSearchServer.LuceneOptionsFrom(configuration, new TextSearchOptions()));
        Assert.Contains($"TextSearch:Lucene:{setting}", ex.Message, StringComparison.Ordinal);
    }
}
