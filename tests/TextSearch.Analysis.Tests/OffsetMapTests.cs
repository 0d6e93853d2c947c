using R = TextSearch.Analysis.NormalizationRules;

namespace TextSearch.Analysis.Tests;

/// <summary>The map from each normalized character back to the range of input it came from.</summary>
public sealed class OffsetMapTests
{
    private static (int Start, int End)[] Ranges(OffsetMap map) =>
        Enumerable.Range(0, map.NormalizedLength).Select(k => (map.SourceStart(k), map.SourceEnd(k))).ToArray();

    [Fact]
    public void Unchanged_text_has_the_identity_map()
    {
        const string text = "كتب الولد";
        var result = ArabicNormalizer.Default.Normalize(text);
        Assert.Same(text, result.Text);
        Assert.False(result.Changed);
        Assert.True(result.Map.IsIdentity);
        Assert.Equal(0, result.Map.SegmentCount);
        Assert.Equal(text.Length, result.Map.NormalizedLength);
        Assert.Equal(text.Length, result.Map.OriginalLength);
        Assert.Equal(Enumerable.Range(0, text.Length).Select(i => (i, i + 1)), Ranges(result.Map));
        Assert.Equal((2, 7), result.Map.ToOriginal(2, 7));
    }

    [Fact]
    public void One_for_one_replacements_need_a_single_segment()
    {
        // أحمد → احمد, إلى → الي: same length, every character maps to itself.
        const string text = "أحمد إلى";
        var result = ArabicNormalizer.Default.Normalize(text);
        Assert.Equal("احمد الي", result.Text);
        Assert.True(result.Changed);
        Assert.Equal(1, result.Map.SegmentCount);
        Assert.Equal(Enumerable.Range(0, text.Length).Select(i => (i, i + 1)), Ranges(result.Map));
    }

    [Fact]
    public void Removed_marks_belong_to_the_character_before_them()
    {
        // ٱ ل ر ّ َ ح ْ م َ ٰ ن ِ  →  ا ل ر ح م ن
        const string word = "ٱلرَّحْمَٰنِ";
        var result = ArabicNormalizer.Default.Normalize(word);
        Assert.Equal("الرحمن", result.Text);
        Assert.Equal([(0, 1), (1, 2), (2, 5), (5, 7), (7, 10), (10, 12)], Ranges(result.Map));
        Assert.Equal((0, word.Length), result.Map.ToOriginal(0, result.Text.Length));
    }

    [Fact]
    public void A_token_maps_back_to_the_whole_original_word_including_the_trailing_kasra()
    {
        const string text = "بِسْمِ ٱللَّهِ ٱلرَّحْمَٰنِ ٱلرَّحِيمِ";
        var tokens = TextAnalyzer.Default.Analyze(text);
        Assert.Equal(["بسم", "الله", "الرحمن", "الرحيم"], tokens.Select(t => t.Term));
        Assert.Equal(["بِسْمِ", "ٱللَّهِ", "ٱلرَّحْمَٰنِ", "ٱلرَّحِيمِ"], tokens.Select(t => t.Text));

        var rahman = tokens[2];
        Assert.Equal(text.IndexOf("ٱلرَّحْمَٰنِ", StringComparison.Ordinal), rahman.Start);
        Assert.Equal('\u0650', text[rahman.End - 1]);
        Assert.Equal(' ', text[rahman.End]);
    }

    [Fact]
    public void An_expansion_maps_every_output_character_to_the_one_input_character()
    {
        var alone = ArabicNormalizer.Default.Normalize("ﷲ");
        Assert.Equal("الله", alone.Text);
        Assert.Equal([(0, 1), (0, 1), (0, 1), (0, 1)], Ranges(alone.Map));

        // In the middle of other text: ب ﷲ ت → ب ا ل ل ه ت.
        var inside = ArabicNormalizer.Default.Normalize("بﷲت");
        Assert.Equal("باللهت", inside.Text);
        Assert.Equal([(0, 1), (1, 2), (1, 2), (1, 2), (1, 2), (2, 3)], Ranges(inside.Map));
        Assert.Equal((1, 2), inside.Map.ToOriginal(1, 5));
        Assert.Equal((0, 3), inside.Map.ToOriginal(0, 6));
    }

    [Fact]
    public void A_mark_removed_after_an_expansion_belongs_to_its_last_character()
    {
        // ﷲ َ ب → الله ب: the fatha goes with the final ه.
        var result = ArabicNormalizer.Default.Normalize("ﷲ\u064E ب");
        Assert.Equal("الله ب", result.Text);
        Assert.Equal([(0, 1), (0, 1), (0, 1), (0, 2), (2, 3), (3, 4)], Ranges(result.Map));
    }

    [Fact]
    public void Consecutive_expansions_each_map_to_their_own_character()
    {
        var result = ArabicNormalizer.Default.Normalize("ﻻﻻ");
        Assert.Equal("لالا", result.Text);
        Assert.Equal([(0, 1), (0, 1), (1, 2), (1, 2)], Ranges(result.Map));
    }

    [Fact]
    public void Tokens_inside_one_expansion_all_map_to_that_character()
    {
        var tokens = TextAnalyzer.Default.Analyze("قال ﷺ ذلك");
        Assert.Equal(["قال", "صلي", "الله", "عليه", "وسلم", "ذلك"], tokens.Select(t => t.Term));
        Assert.All(tokens.Skip(1).Take(4), t => Assert.Equal((4, 5, "ﷺ"), (t.Start, t.End, t.Text)));
        Assert.Equal((6, 9), (tokens[5].Start, tokens[5].End));
    }

    [Fact]
    public void Removed_characters_at_the_start_belong_to_the_first_output_character()
    {
        var result = ArabicNormalizer.Default.Normalize("\u200F\u200Eكتب");
        Assert.Equal("كتب", result.Text);
        Assert.Equal([(0, 3), (3, 4), (4, 5)], Ranges(result.Map));
    }

    [Fact]
    public void A_composed_hamza_belongs_to_its_letter()
    {
        // و + U+0654 + ب → ؤب (diacritics kept, so the composition is visible).
        var result = new ArabicNormalizer(R.Default & ~R.Diacritics).Normalize("\u0648\u0654\u0628");
        Assert.Equal("\u0624\u0628", result.Text);
        Assert.Equal([(0, 2), (2, 3)], Ranges(result.Map));
    }

    [Fact]
    public void Zwnj_becomes_a_space_one_for_one()
    {
        var result = ArabicNormalizer.Default.Normalize("می\u200Cخواهم");
        Assert.Equal("مي خواهم", result.Text);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (i, i + 1)), Ranges(result.Map));
    }

    [Fact]
    public void Text_that_is_entirely_removed_maps_to_nothing()
    {
        var result = ArabicNormalizer.Default.Normalize("\u064E\u0640\u200F");
        Assert.Equal("", result.Text);
        Assert.True(result.Changed);
        Assert.Equal(0, result.Map.NormalizedLength);
        Assert.Equal(3, result.Map.OriginalLength);
        Assert.Equal((0, 0), result.Map.ToOriginal(0, 0));
    }

    [Fact]
    public void Empty_ranges_map_to_the_start_of_their_character()
    {
        var result = ArabicNormalizer.Default.Normalize("ٱلرَّحْمَٰنِ");
        Assert.Equal((5, 5), result.Map.ToOriginal(3, 3));
        Assert.Equal((12, 12), result.Map.ToOriginal(6, 6));
    }

    [Fact]
    public void Invalid_ranges_are_rejected()
    {
        var map = ArabicNormalizer.Default.Normalize("أحمد").Map;
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ToOriginal(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ToOriginal(3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ToOriginal(0, 5));
    }

    [Fact]
    public void Segments_are_added_only_where_the_alignment_changes()
    {
        // Clean prefix, one removal, one expansion: prefix segment, segment after the removal, the expansion,
        // and the segment after it.
        var result = ArabicNormalizer.Default.Normalize("كتب\u064Eال ﷲ و");
        Assert.Equal("كتبال الله و", result.Text);
        Assert.Equal(4, result.Map.SegmentCount);
    }

    [Fact]
    public void The_buffer_map_and_the_detached_map_agree()
    {
        const string text = "\u200Fٱلرَّحْمَٰنِ ﷲ ﻻ ١٢٣ Hello\u200Cworld ـــ إِلَى";
        var detached = ArabicNormalizer.Default.Normalize(text);
        var buffer = new NormalizationBuffer();
        ArabicNormalizer.Default.Normalize(text, buffer);
        Assert.False(buffer.IsIdentity);
        Assert.Equal(detached.Text, buffer.Chars.ToString());
        Assert.Equal(detached.Text.Length, buffer.Length);
        Assert.Equal(Ranges(detached.Map), Ranges(buffer.Map));
        Assert.Equal(detached.Map.SegmentCount, buffer.Map.SegmentCount);
    }

    [Fact]
    public void The_buffer_reports_identity_for_clean_input_and_then_reuses_itself()
    {
        var buffer = new NormalizationBuffer();
        ArabicNormalizer.Default.Normalize("كتب", buffer);
        Assert.True(buffer.IsIdentity);
        Assert.Equal(0, buffer.Length);
        Assert.True(buffer.Map.IsIdentity);
        Assert.Equal(3, buffer.Map.OriginalLength);

        ArabicNormalizer.Default.Normalize("كتبَ", buffer);
        Assert.False(buffer.IsIdentity);
        Assert.Equal("كتب", buffer.Chars.ToString());
        Assert.Equal((0, 4), buffer.Map.ToOriginal(0, 3));

        // A much longer input grows the buffer; a shorter one after it is not polluted by the longer one.
        var longText = string.Concat(Enumerable.Repeat("ﷲَ ", 1000));
        ArabicNormalizer.Default.Normalize(longText, buffer);
        Assert.Equal(string.Concat(Enumerable.Repeat("الله ", 1000)), buffer.Chars.ToString());
        ArabicNormalizer.Default.Normalize("أ", buffer);
        Assert.Equal("ا", buffer.Chars.ToString());
        Assert.Equal([(0, 1)], Ranges(buffer.Map));
    }
}
