using CsCheck;

namespace TextSearch.Analysis.Tests;

public sealed class OffsetMapHintTests
{
    [Fact]
    public void Hinted_lookups_in_increasing_order_equal_plain_lookups() =>
        Generators.Text().Sample(text =>
        {
            foreach (var rules in new[] { NormalizationRules.Default, NormalizationRules.Default & ~NormalizationRules.Diacritics, NormalizationRules.All })
            {
                var result = new ArabicNormalizer(rules).Normalize(text);
                var map = result.Map;
                var hint = 0;
                var n = result.Text.Length;
                for (var start = 0; start < n; start += 1 + (start % 3))
                {
                    var end = Math.Min(n, start + 1 + (start % 4));
                    Assert.Equal(map.ToOriginal(start, end), map.ToOriginal(start, end, ref hint));
                }
            }
        }, iter: 300, print: Generators.Print);

    [Fact]
    public void A_hint_from_another_position_is_still_correct()
    {
        var result = ArabicNormalizer.Default.Normalize("ٱلرَّحْمَٰنِ الرَّحِيمِ مَـٰلِكِ يَوْمِ ٱلدِّينِ");
        var hint = result.Map.SegmentCount - 1; // far ahead: must fall back, not return a wrong range
        Assert.Equal(result.Map.ToOriginal(0, 3), result.Map.ToOriginal(0, 3, ref hint));
        hint = -5;
        Assert.Equal(result.Map.ToOriginal(4, 9), result.Map.ToOriginal(4, 9, ref hint));
    }
}
