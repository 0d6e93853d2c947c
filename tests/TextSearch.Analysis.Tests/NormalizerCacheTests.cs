
namespace TextSearch.Analysis.Tests;

/// <summary>Normalizers and tables per rule set come from a bounded cache, least recently used out.</summary>
public sealed class NormalizerCacheTests
{
    [Fact]
    public void The_same_rule_set_gets_the_same_normalizer_and_the_default_gets_the_default()
    {
        var rules = NormalizationRules.Default & ~NormalizationRules.TehMarbuta;
        Assert.Same(ArabicNormalizer.For(rules), ArabicNormalizer.For(rules));
        Assert.Same(ArabicNormalizer.Default, ArabicNormalizer.For(NormalizationRules.Default));
        Assert.Equal(rules, ArabicNormalizer.For(rules).Rules);
        Assert.Equal("مدرسة", ArabicNormalizer.For(rules).NormalizeToString("مَدْرَسَة"));
    }

    [Fact]
    public void The_cache_stays_bounded_and_keeps_what_was_used_last()
    {
        var built = 0;
        var cache = new RuleSetCache<object>(4, _ =>
        {
            built++;
            return new object();
        });
        var first = cache.Get((NormalizationRules)1);
        for (var i = 2; i <= 100; i++)
        {
            cache.Get((NormalizationRules)i);
            Assert.Same(first, cache.Get((NormalizationRules)1)); // used again each time: never the oldest
        }

        Assert.Equal(4, cache.Count);
        Assert.Equal(100, built);
        cache.Get((NormalizationRules)2); // evicted long ago: built again
        Assert.Equal(101, built);
    }

    [Fact]
    public void Many_distinct_rule_sets_do_not_grow_the_shared_caches_past_their_bound()
    {
        for (var i = 0; i < 300; i++)
        {
            var rules = (NormalizationRules)(i * 13 % 4096) & NormalizationRules.All;
            Assert.Equal(rules, ArabicNormalizer.For(rules).Rules);
        }

        Assert.InRange(ArabicNormalizer.CachedCount, 1, NormalizationTable.MaxCachedTables);
        Assert.InRange(NormalizationTable.CachedCount, 1, NormalizationTable.MaxCachedTables);
        Assert.Same(ArabicNormalizer.For(NormalizationRules.All), ArabicNormalizer.For(NormalizationRules.All));
    }
}
