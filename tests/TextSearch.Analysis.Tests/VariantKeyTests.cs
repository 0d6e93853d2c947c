namespace TextSearch.Analysis.Tests;

/// <summary>The variant key (<see cref="VariantKey"/>): one test per rule.</summary>
public sealed class VariantKeyTests
{
    private static string Key(string word) => VariantKey.Of(TextAnalyzer.Default.Analyze(word).Single().Stem);

    [Theory]
    [InlineData("الديمقراطية", "الديموقراطية")]
    [InlineData("فيسبوك", "فيسبك")]
    [InlineData("مايكروسوفت", "ميكروسوفت")]
    [InlineData("الانترنيت", "الانترنت")]
    [InlineData("يوتيوب", "يوتوب")]
    [InlineData("مسئول", "مسؤول")]
    public void Spellings_that_differ_in_an_inner_long_vowel_or_hamza_seat_share_a_key(string one, string other) =>
        Assert.Equal(Key(one), Key(other));

    [Fact]
    public void Inner_alef_waw_yeh_and_hamza_seats_of_long_stems_are_dropped_first_and_last_letters_stay()
    {
        Assert.Equal("دمقرط", VariantKey.Of("ديمقراط"));
        Assert.Equal("صرخ", VariantKey.Of("صاروخ"));
        Assert.Equal("مسل", VariantKey.Of("مسئول"));
        Assert.Equal("مسل", VariantKey.Of("مسؤول"));
    }

    [Fact]
    public void Stems_of_four_letters_have_a_skeleton_and_shorter_ones_keep_their_long_vowels()
    {
        Assert.Equal("سلم", VariantKey.Of("سلام"));
        Assert.Equal("صحب", VariantKey.Of("صاحب"));
        Assert.Equal("دول", VariantKey.Of("دول"));
        Assert.Equal("سور", VariantKey.Of("سور"));
    }

    [Theory]
    [InlineData("عاصمة", "عاصمتها")]
    [InlineData("مساحة", "ومساحته")]
    [InlineData("جنازة", "لجنازته")]
    public void A_noun_meets_its_construct_form_before_a_pronoun(string noun, string construct) =>
        Assert.Equal(Key(noun), Key(construct));

    [Theory]
    [InlineData("بمصر", "مصر")]
    [InlineData("لمصر", "مصر")]
    [InlineData("فمصر", "مصر")]
    [InlineData("لجمهور", "جمهر")]
    public void A_proclitic_beh_lam_or_feh_is_dropped(string stem, string key) =>
        Assert.Equal(key, VariantKey.Of(stem));

    [Fact]
    public void Kaf_is_not_read_as_a_proclitic()
    {
        Assert.Equal("كتب", VariantKey.Of("كتاب")); // its skeleton, its ك kept
        Assert.Equal("كمصر", VariantKey.Of("كمصر"));
    }

    [Fact]
    public void A_word_with_a_proclitic_shares_the_key_of_the_word_without_it()
    {
        Assert.Equal(Key("مصر"), Key("بمصر"));
        Assert.Equal(Key("الجمهورية"), Key("لجمهورية"));
        Assert.Equal(Key("الجمهورية"), Key("وبجمهورية"));
    }

    [Theory]
    [InlineData("يحتفل", "حتفل")]
    [InlineData("تحتفل", "حتفل")]
    [InlineData("نحتفل", "حتفل")]
    [InlineData("ليحتفل", "حتفل")]
    public void An_imperfect_verbs_person_prefix_is_dropped(string stem, string key) =>
        Assert.Equal(key, VariantKey.Of(stem));

    [Theory]
    [InlineData("تأسست", "تأسس")]
    [InlineData("احتفلت", "احتفل")]
    [InlineData("الانترنيت", "الانترنت")]
    public void A_final_teh_is_dropped(string one, string other) =>
        Assert.Equal(Key(one), Key(other));

    [Fact]
    public void No_step_leaves_fewer_than_three_letters()
    {
        Assert.Equal("بحر", VariantKey.Of("بحر"));
        Assert.Equal("يقع", VariantKey.Of("يقع"));
        Assert.Equal("بيت", VariantKey.Of("بيت"));
        Assert.Equal("يصل", VariantKey.Of("فيصل"));
        Assert.Equal("سبت", VariantKey.Of("لسبت"));
        Assert.All(new[] { "بتنت", "فيتت", "لنتت", "بيوت" }, stem => Assert.True(VariantKey.Of(stem).Length >= 3, stem));

        // A skeleton of two letters is not taken: what the prefixes left stays, so the word meets its form without them.
        Assert.Equal("قول", VariantKey.Of("ليقول"));
        Assert.Equal(VariantKey.Of("يقول"), VariantKey.Of("ليقول"));
        Assert.Equal("قائد", VariantKey.Of("بقائد"));
        Assert.Equal(VariantKey.Of("قائد"), VariantKey.Of("بقائد"));
        Assert.Equal("ديو", VariantKey.Of("فيديو"));
    }

    [Theory]
    [InlineData("123456")]
    [InlineData("facebook")]
    [InlineData("مع")]
    public void Numbers_latin_words_and_two_letter_stems_have_no_variants(string stem)
    {
        Assert.False(VariantKey.HasVariants(stem));
        Assert.Same(stem, VariantKey.Of(stem));
    }

    [Fact]
    public void Numbers_are_told_by_their_first_digit_and_no_word_is_the_number_class()
    {
        Assert.True(VariantKey.IsNumber("1999"));
        Assert.True(VariantKey.IsNumber("3.79"));
        Assert.False(VariantKey.IsNumber("عام"));
        Assert.False(VariantKey.IsNumber(string.Empty));
        Assert.DoesNotContain(TextAnalyzer.Default.Analyze($"عام {VariantKey.NumberClass} 1999"), t => t.Term == VariantKey.NumberClass);
    }

    [Fact]
    public void A_stem_that_is_its_own_key_is_returned_as_it_is()
    {
        const string stem = "مصر";
        Assert.Same(stem, VariantKey.Of(stem));
    }

    [Fact]
    public void Writing_into_a_span_allocates_nothing()
    {
        Span<char> key = stackalloc char[32];
        _ = VariantKey.Write("الديمقراطيه", key); // the type's first use (its static tables) is not the call's cost
        var before = GC.GetAllocatedBytesForCurrentThread();
        var n = VariantKey.Write("الديمقراطيه", key);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(VariantKey.Of("الديمقراطيه"), key[..n].ToString());
    }

    [Fact]
    public void A_key_is_a_subsequence_of_its_stem()
    {
        foreach (var word in new[] { "بالديمقراطية", "فيسبوك", "ليحتفلوا", "تأسست", "لمسئولية", "الانترنيت", "كتابات" })
        {
            var stem = TextAnalyzer.Default.Analyze(word).Single().Stem;
            var key = VariantKey.Of(stem);
            var i = 0;
            foreach (var c in stem)
            {
                if (i < key.Length && key[i] == c)
                {
                    i++;
                }
            }

            Assert.True(i == key.Length, $"{key} is not a subsequence of {stem}");
        }
    }

    [Fact]
    public void Keys_come_from_stems_so_a_stem_that_differs_by_a_suffix_is_not_a_variant()
    {
        // The stemmer reads ون in ديلون as a plural suffix (ديل), and ديلن keeps its ن: their keys differ, where an
        // edit-distance search on the stems would have matched them. A known miss of keys on stems (docs/relevance.md).
        Assert.NotEqual(Key("ديلون"), Key("ديلن"));
    }

    [Fact]
    public void Different_consonants_keep_different_keys()
    {
        Assert.NotEqual(Key("الديمقراطية"), Key("الجمهورية"));
        Assert.NotEqual(Key("فيسبوك"), Key("تويتر"));
        Assert.NotEqual(Key("مصر"), Key("بصر"));
    }
}
