using TextSearch.Analysis;
using TextSearch.Search.Query;

namespace TextSearch.Search.Tests;

/// <summary>Which query words pair for the proximity score (<see cref="RankingOptions.ProximityPairs"/>), shared by every backend.</summary>
public sealed class ProximityPairsTests
{
    private static readonly QueryParser Parser = new(TextAnalyzer.Default, SynonymMap.Empty);

    private static string[] Pairs(string query, RankingOptions ranking) =>
        [.. ranking.ProximityPairs(Parser.Parse(query)).Select(p => $"{p.First}+{p.Second}")];

    private static string[] Keys(string query) => [.. Parser.Parse(query).Stems.Select(VariantKey.Of)];

    [Fact]
    public void Each_word_pairs_with_the_next_by_default()
    {
        var stems = Keys("مقاتلي التنظيم الرقة");
        Assert.Equal(3, stems.Length);
        Assert.Equal([$"{stems[0]}+{stems[1]}", $"{stems[1]}+{stems[2]}"], Pairs("مقاتلي التنظيم الرقة", new RankingOptions()));
    }

    [Fact]
    public void Pairs_are_of_variant_keys_so_other_forms_of_the_words_pair_too()
    {
        // تأسست and تأسس share a key (the final ت dropped), and so do بمصر and مصر (the proclitic dropped).
        Assert.Equal(Pairs("تأسس مصر", new RankingOptions()), Pairs("تأسست بمصر", new RankingOptions()));
        Assert.NotEqual(Parser.Parse("تأسست").Stems.Single(), Parser.Parse("تأسس").Stems.Single());
        Assert.True(new RankingOptions().ProximityOnKeys);
    }

    [Fact]
    public void With_variants_off_pairs_are_of_stems()
    {
        var ranking = new RankingOptions { VariantBoost = 0 };
        Assert.False(ranking.ProximityOnKeys);
        var stems = Parser.Parse("تأسست بمصر").Stems.ToArray();
        Assert.Equal([$"{stems[0]}+{stems[1]}"], Pairs("تأسست بمصر", ranking));
        Assert.NotEqual(Pairs("تأسس مصر", ranking), Pairs("تأسست بمصر", ranking));
    }

    [Fact]
    public void A_longer_reach_pairs_words_further_apart_in_query_order()
    {
        var stems = Keys("مقاتلي التنظيم الرقة سوريا");
        Assert.Equal(
            [$"{stems[0]}+{stems[1]}", $"{stems[0]}+{stems[2]}", $"{stems[1]}+{stems[2]}", $"{stems[1]}+{stems[3]}", $"{stems[2]}+{stems[3]}"],
            Pairs("مقاتلي التنظيم الرقة سوريا", new RankingOptions { ProximityReach = 2 }));
    }

    [Fact]
    public void A_question_that_asks_when_or_how_many_also_pairs_each_word_with_any_number()
    {
        var keys = Keys("افتتح المتحف 1999");
        Assert.Equal(
            [$"{keys[0]}+{keys[1]}", $"{keys[1]}+{keys[2]}", $"{keys[0]}+{VariantKey.NumberClass}", $"{keys[1]}+{VariantKey.NumberClass}"],
            Pairs("متى افتتح المتحف 1999؟", new RankingOptions())); // the number itself pairs with no number class
        Assert.Equal([$"{keys[0]}+{keys[1]}", $"{keys[1]}+{keys[2]}"], Pairs("افتتح المتحف 1999", new RankingOptions()));
        Assert.Equal([$"{keys[0]}+{keys[1]}", $"{keys[1]}+{keys[2]}"], Pairs("متى افتتح المتحف 1999؟", new RankingOptions { NumberProximity = false }));

        // Only the keys' field holds the number class: with pairs of stems, no number pairs.
        Assert.DoesNotContain(Pairs("متى افتتح المتحف؟", new RankingOptions { VariantBoost = 0 }), p => p.EndsWith(VariantKey.NumberClass, StringComparison.Ordinal));
        Assert.Equal([$"{keys[0]}+{VariantKey.NumberClass}"], Pairs("كم افتتح؟", new RankingOptions()));
    }

    [Fact]
    public void Exclusions_and_phrases_do_not_pair_and_proximity_off_pairs_nothing()
    {
        var stems = Keys("مقاتلي الرقة");
        Assert.Equal([$"{stems[0]}+{stems[1]}"], Pairs("مقاتلي -سوريا \"دير الزور\" الرقة", new RankingOptions { ProximityReach = 3 }));
        Assert.Empty(Pairs("مقاتلي التنظيم الرقة", new RankingOptions { ProximityBoost = 0 }));
        Assert.Empty(Pairs("الرقة", new RankingOptions()));
    }
}
