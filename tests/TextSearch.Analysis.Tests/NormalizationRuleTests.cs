using R = TextSearch.Analysis.NormalizationRules;

namespace TextSearch.Analysis.Tests;

/// <summary>
/// One row per character a normalization rule touches, named after the character (its Unicode name in
/// PascalCase, without the "Arabic Letter" prefix). Each row is checked with its rule on (the mapping happens,
/// alone and inside a word) and with only that rule switched off (the character is kept).
/// </summary>
public sealed class NormalizationRuleTests
{
    /// <summary>(name, rule, input, expected output with the rule on).</summary>
    public static TheoryData<string, R, string, string> Mappings => new()
    {
        // Alef forms → ا.
        { "AlefWithMaddaAbove", R.AlefForms, "\u0622", "\u0627" },
        { "AlefWithHamzaAbove", R.AlefForms, "\u0623", "\u0627" },
        { "AlefWithHamzaBelow", R.AlefForms, "\u0625", "\u0627" },
        { "AlefWasla", R.AlefForms, "\u0671", "\u0627" },
        { "AlefWithWavyHamzaAbove", R.AlefForms, "\u0672", "\u0627" },
        { "AlefWithWavyHamzaBelow", R.AlefForms, "\u0673", "\u0627" },
        { "HighHamzaAlef", R.AlefForms, "\u0675", "\u0627" },

        // Decomposed input: a letter followed by combining madda/hamza counts as the composed letter.
        // (Checked on top of Default & ~Diacritics, where the combining mark is not removed anyway; see RulesFor.)
        { "AlefThenMaddahAbove", R.DecomposedHamza, "\u0627\u0653", "\u0627" },
        { "AlefThenHamzaAbove", R.DecomposedHamza, "\u0627\u0654", "\u0627" },
        { "AlefThenHamzaBelow", R.DecomposedHamza, "\u0627\u0655", "\u0627" },
        { "WawThenHamzaAbove", R.DecomposedHamza, "\u0648\u0654", "\u0624" },
        { "YehThenHamzaAbove", R.DecomposedHamza, "\u064A\u0654", "\u0626" },
        { "AeThenHamzaAbove", R.DecomposedHamza, "\u06D5\u0654", "\u0647" },

        // Taa marbuta, alef maksura.
        { "TehMarbuta", R.TehMarbuta, "\u0629", "\u0647" },
        { "AlefMaksura", R.AlefMaksura, "\u0649", "\u064A" },

        // Hamza on carriers (off by default: checked on top of Default | HamzaCarriers).
        { "WawWithHamzaAbove", R.HamzaCarriers, "\u0624", "\u0648" },
        { "YehWithHamzaAbove", R.HamzaCarriers, "\u0626", "\u064A" },

        // Diacritics: tanween and harakat U+064B-U+065F (on a letter, so the combining hamza rows have something
        // they cannot compose with), superscript alef, Quranic marks U+0610-U+061A and U+06D6-U+06ED.
        { "Fathatan", R.Diacritics, "\u0628\u064B", "\u0628" },
        { "Dammatan", R.Diacritics, "\u0628\u064C", "\u0628" },
        { "Kasratan", R.Diacritics, "\u0628\u064D", "\u0628" },
        { "Fatha", R.Diacritics, "\u0628\u064E", "\u0628" },
        { "Damma", R.Diacritics, "\u0628\u064F", "\u0628" },
        { "Kasra", R.Diacritics, "\u0628\u0650", "\u0628" },
        { "Shadda", R.Diacritics, "\u0628\u0651", "\u0628" },
        { "Sukun", R.Diacritics, "\u0628\u0652", "\u0628" },
        { "MaddahAbove", R.Diacritics, "\u0628\u0653", "\u0628" },
        { "HamzaAbove", R.Diacritics, "\u0628\u0654", "\u0628" },
        { "HamzaBelow", R.Diacritics, "\u0628\u0655", "\u0628" },
        { "SubscriptAlef", R.Diacritics, "\u0628\u0656", "\u0628" },
        { "InvertedDamma", R.Diacritics, "\u0628\u0657", "\u0628" },
        { "MarkNoonGhunna", R.Diacritics, "\u0628\u0658", "\u0628" },
        { "Zwarakay", R.Diacritics, "\u0628\u0659", "\u0628" },
        { "VowelSignSmallVAbove", R.Diacritics, "\u0628\u065A", "\u0628" },
        { "VowelSignInvertedSmallVAbove", R.Diacritics, "\u0628\u065B", "\u0628" },
        { "VowelSignDotBelow", R.Diacritics, "\u0628\u065C", "\u0628" },
        { "ReversedDamma", R.Diacritics, "\u0628\u065D", "\u0628" },
        { "FathaWithTwoDots", R.Diacritics, "\u0628\u065E", "\u0628" },
        { "WavyHamzaBelow", R.Diacritics, "\u0628\u065F", "\u0628" },
        { "SuperscriptAlef", R.Diacritics, "\u0628\u0670", "\u0628" },
        { "SignSallallahouAlayheWassallam", R.Diacritics, "\u0628\u0610", "\u0628" },
        { "SignAlayheAssallam", R.Diacritics, "\u0628\u0611", "\u0628" },
        { "SignRahmatullahAlayhe", R.Diacritics, "\u0628\u0612", "\u0628" },
        { "SignRadiAllahouAnhu", R.Diacritics, "\u0628\u0613", "\u0628" },
        { "SignTakhallus", R.Diacritics, "\u0628\u0614", "\u0628" },
        { "SmallHighTah", R.Diacritics, "\u0628\u0615", "\u0628" },
        { "SmallHighLigatureAlefWithLamWithYeh", R.Diacritics, "\u0628\u0616", "\u0628" },
        { "SmallHighZain", R.Diacritics, "\u0628\u0617", "\u0628" },
        { "SmallFatha", R.Diacritics, "\u0628\u0618", "\u0628" },
        { "SmallDamma", R.Diacritics, "\u0628\u0619", "\u0628" },
        { "SmallKasra", R.Diacritics, "\u0628\u061A", "\u0628" },
        { "SmallHighLigatureSadWithLamWithAlefMaksura", R.Diacritics, "\u0628\u06D6", "\u0628" },
        { "SmallHighLigatureQafWithLamWithAlefMaksura", R.Diacritics, "\u0628\u06D7", "\u0628" },
        { "SmallHighMeemInitialForm", R.Diacritics, "\u0628\u06D8", "\u0628" },
        { "SmallHighLamAlef", R.Diacritics, "\u0628\u06D9", "\u0628" },
        { "SmallHighJeem", R.Diacritics, "\u0628\u06DA", "\u0628" },
        { "SmallHighThreeDots", R.Diacritics, "\u0628\u06DB", "\u0628" },
        { "SmallHighSeen", R.Diacritics, "\u0628\u06DC", "\u0628" },
        { "EndOfAyah", R.Diacritics, "\u0628\u06DD", "\u0628" },
        { "StartOfRubElHizb", R.Diacritics, "\u0628\u06DE", "\u0628" },
        { "SmallHighRoundedZero", R.Diacritics, "\u0628\u06DF", "\u0628" },
        { "SmallHighUprightRectangularZero", R.Diacritics, "\u0628\u06E0", "\u0628" },
        { "SmallHighDotlessHeadOfKhah", R.Diacritics, "\u0628\u06E1", "\u0628" },
        { "SmallHighMeemIsolatedForm", R.Diacritics, "\u0628\u06E2", "\u0628" },
        { "SmallLowSeen", R.Diacritics, "\u0628\u06E3", "\u0628" },
        { "SmallHighMadda", R.Diacritics, "\u0628\u06E4", "\u0628" },
        { "SmallWaw", R.Diacritics, "\u0628\u06E5", "\u0628" },
        { "SmallYeh", R.Diacritics, "\u0628\u06E6", "\u0628" },
        { "SmallHighYeh", R.Diacritics, "\u0628\u06E7", "\u0628" },
        { "SmallHighNoon", R.Diacritics, "\u0628\u06E8", "\u0628" },
        { "PlaceOfSajdah", R.Diacritics, "\u0628\u06E9", "\u0628" },
        { "EmptyCentreLowStop", R.Diacritics, "\u0628\u06EA", "\u0628" },
        { "EmptyCentreHighStop", R.Diacritics, "\u0628\u06EB", "\u0628" },
        { "RoundedHighStopWithFilledCentre", R.Diacritics, "\u0628\u06EC", "\u0628" },
        { "SmallLowMeem", R.Diacritics, "\u0628\u06ED", "\u0628" },

        // Tatweel.
        { "Tatweel", R.Tatweel, "\u0628\u0640", "\u0628" },

        // Persian and Urdu letters.
        { "FarsiYeh", R.PersianLetters, "\u06CC", "\u064A" },
        { "YehBarree", R.PersianLetters, "\u06D2", "\u064A" },
        { "Keheh", R.PersianLetters, "\u06A9", "\u0643" },
        { "HehGoal", R.PersianLetters, "\u06C1", "\u0647" },
        { "HehWithYehAbove", R.PersianLetters, "\u06C0", "\u0647" },
        { "HehGoalWithHamzaAbove", R.PersianLetters, "\u06C2", "\u0647" },
        { "YehBarreeWithHamzaAbove", R.PersianLetters, "\u06D3", "\u0626" },

        // Digits.
        { "ArabicIndicDigitZero", R.Digits, "\u0660", "0" },
        { "ArabicIndicDigitOne", R.Digits, "\u0661", "1" },
        { "ArabicIndicDigitTwo", R.Digits, "\u0662", "2" },
        { "ArabicIndicDigitThree", R.Digits, "\u0663", "3" },
        { "ArabicIndicDigitFour", R.Digits, "\u0664", "4" },
        { "ArabicIndicDigitFive", R.Digits, "\u0665", "5" },
        { "ArabicIndicDigitSix", R.Digits, "\u0666", "6" },
        { "ArabicIndicDigitSeven", R.Digits, "\u0667", "7" },
        { "ArabicIndicDigitEight", R.Digits, "\u0668", "8" },
        { "ArabicIndicDigitNine", R.Digits, "\u0669", "9" },
        { "ExtendedArabicIndicDigitZero", R.Digits, "\u06F0", "0" },
        { "ExtendedArabicIndicDigitOne", R.Digits, "\u06F1", "1" },
        { "ExtendedArabicIndicDigitTwo", R.Digits, "\u06F2", "2" },
        { "ExtendedArabicIndicDigitThree", R.Digits, "\u06F3", "3" },
        { "ExtendedArabicIndicDigitFour", R.Digits, "\u06F4", "4" },
        { "ExtendedArabicIndicDigitFive", R.Digits, "\u06F5", "5" },
        { "ExtendedArabicIndicDigitSix", R.Digits, "\u06F6", "6" },
        { "ExtendedArabicIndicDigitSeven", R.Digits, "\u06F7", "7" },
        { "ExtendedArabicIndicDigitEight", R.Digits, "\u06F8", "8" },
        { "ExtendedArabicIndicDigitNine", R.Digits, "\u06F9", "9" },

        // Presentation forms → letters (compatibility decomposition, then the other rules).
        { "LigatureLamWithAlefIsolatedForm", R.PresentationForms, "\uFEFB", "\u0644\u0627" },
        { "LigatureAllahIsolatedForm", R.PresentationForms, "\uFDF2", "\u0627\u0644\u0644\u0647" },
        { "LigatureLamWithAlefWithHamzaAboveFinalForm", R.PresentationForms, "\uFEF8", "\u0644\u0627" },
        { "AlefIsolatedForm", R.PresentationForms, "\uFE8D", "\u0627" },
        { "AlefWithHamzaAboveIsolatedForm", R.PresentationForms, "\uFE83", "\u0627" },
        { "AlefWaslaIsolatedForm", R.PresentationForms, "\uFB50", "\u0627" },
        { "TehMarbutaFinalForm", R.PresentationForms, "\uFE94", "\u0647" },
        { "AlefMaksuraFinalForm", R.PresentationForms, "\uFEF0", "\u064A" },
        { "YehWithHamzaAboveInitialForm", R.PresentationForms, "\uFE8B", "\u0626" },
        { "FarsiYehIsolatedForm", R.PresentationForms, "\uFBFC", "\u064A" },
        { "KehehIsolatedForm", R.PresentationForms, "\uFB8E", "\u0643" },
        { "FathatanIsolatedForm", R.PresentationForms, "\u0628\uFE70", "\u0628" },
        { "RialSign", R.PresentationForms, "\uFDFC", "\u0631\u064A\u0627\u0644" },
        {
            "LigatureSallallahouAlayheWasallam", R.PresentationForms, "\uFDFA",
            "\u0635\u0644\u064A \u0627\u0644\u0644\u0647 \u0639\u0644\u064A\u0647 \u0648\u0633\u0644\u0645"
        },

        // Invisible marks are removed; ZWNJ becomes a space (a word break).
        { "ZeroWidthSpace", R.InvisibleMarks, "\u0628\u200B\u062A", "\u0628\u062A" },
        { "ZeroWidthNonJoiner", R.InvisibleMarks, "\u0628\u200C\u062A", "\u0628 \u062A" },
        { "ZeroWidthJoiner", R.InvisibleMarks, "\u0628\u200D\u062A", "\u0628\u062A" },
        { "LeftToRightMark", R.InvisibleMarks, "\u0628\u200E\u062A", "\u0628\u062A" },
        { "RightToLeftMark", R.InvisibleMarks, "\u0628\u200F\u062A", "\u0628\u062A" },
        { "LeftToRightEmbedding", R.InvisibleMarks, "\u0628\u202A\u062A", "\u0628\u062A" },
        { "RightToLeftEmbedding", R.InvisibleMarks, "\u0628\u202B\u062A", "\u0628\u062A" },
        { "PopDirectionalFormatting", R.InvisibleMarks, "\u0628\u202C\u062A", "\u0628\u062A" },
        { "LeftToRightOverride", R.InvisibleMarks, "\u0628\u202D\u062A", "\u0628\u062A" },
        { "RightToLeftOverride", R.InvisibleMarks, "\u0628\u202E\u062A", "\u0628\u062A" },
        { "LeftToRightIsolate", R.InvisibleMarks, "\u0628\u2066\u062A", "\u0628\u062A" },
        { "RightToLeftIsolate", R.InvisibleMarks, "\u0628\u2067\u062A", "\u0628\u062A" },
        { "FirstStrongIsolate", R.InvisibleMarks, "\u0628\u2068\u062A", "\u0628\u062A" },
        { "PopDirectionalIsolate", R.InvisibleMarks, "\u0628\u2069\u062A", "\u0628\u062A" },
        { "ArabicLetterMark", R.InvisibleMarks, "\u0628\u061C\u062A", "\u0628\u062A" },
        { "ZeroWidthNoBreakSpace", R.InvisibleMarks, "\u0628\uFEFF\u062A", "\u0628\u062A" },
        { "SoftHyphen", R.InvisibleMarks, "\u0628\u00AD\u062A", "\u0628\u062A" },

        // Other scripts are lower-cased.
        { "LatinCapitalLetterA", R.CaseFold, "A", "a" },
        { "LatinCapitalLetterZ", R.CaseFold, "Z", "z" },
        { "LatinCapitalLetterAWithGrave", R.CaseFold, "\u00C0", "\u00E0" },
        { "GreekCapitalLetterSigma", R.CaseFold, "\u03A3", "\u03C3" },
        { "CyrillicCapitalLetterZhe", R.CaseFold, "\u0416", "\u0436" },
        { "FullwidthLatinCapitalLetterA", R.CaseFold, "\uFF21", "\uFF41" },
    };

    /// <summary>The rule set a row is checked against: the defaults plus the row's rule. Decomposed-input rows
    /// keep diacritics, since otherwise the combining mark is removed whether or not it composes.</summary>
    private static R RulesFor(R rule) => rule == R.DecomposedHamza ? R.Default & ~R.Diacritics : R.Default | rule;

    private const string Before = "\u0633"; // س
    private const string After = "\u0645"; // م

    [Theory]
    [MemberData(nameof(Mappings))]
    public void Rule_maps_the_character(string name, R rule, string input, string expected)
    {
        var normalizer = new ArabicNormalizer(RulesFor(rule));
        TestText.AssertSameText(expected, normalizer.Normalize(input).Text, name);
        TestText.AssertSameText(expected, normalizer.NormalizeToString(input), name);
        TestText.AssertSameText(Before + expected + After, normalizer.Normalize(Before + input + After).Text, name + " inside a word");
    }

    [Theory]
    [MemberData(nameof(Mappings))]
    public void Rule_switched_off_keeps_the_character(string name, R rule, string input, string expected)
    {
        var normalizer = new ArabicNormalizer(RulesFor(rule) & ~rule);
        Assert.NotEqual(expected, input);
        TestText.AssertSameText(input, normalizer.Normalize(input).Text, name);
        TestText.AssertSameText(Before + input + After, normalizer.Normalize(Before + input + After).Text, name + " inside a word");
    }

    [Fact]
    public void Issue_example_loses_wasla_harakat_and_superscript_alef() =>
        TestText.AssertSameText("\u0627\u0644\u0631\u062D\u0645\u0646", ArabicNormalizer.Default.Normalize("ٱلرَّحْمَٰنِ").Text);

    [Fact]
    public void Hamza_carriers_are_kept_by_default()
    {
        Assert.Equal(R.None, R.Default & R.HamzaCarriers);
        Assert.Equal("مؤتمر رئيس", ArabicNormalizer.Default.Normalize("مؤتمر رئيس").Text);
        Assert.Equal("موتمر رييس", new ArabicNormalizer(R.All).Normalize("مؤتمر رئيس").Text);
    }

    [Fact]
    public void Hamza_forms_of_persian_letters_follow_the_hamza_carrier_rule()
    {
        // ۓ → ئ under the Persian rule, and on to ي when carriers are folded too (the rules reach a fixed point).
        Assert.Equal("\u0626", ArabicNormalizer.Default.NormalizeToString("\u06D3"));
        Assert.Equal("\u064A", new ArabicNormalizer(R.All).NormalizeToString("\u06D3"));
    }

    [Fact]
    public void Arabic_is_never_case_mapped_and_latin_is_lower_cased()
    {
        Assert.Equal("hello عالم world", ArabicNormalizer.Default.Normalize("HeLLo عالم WORLD").Text);
        var caseFold = NormalizationTable.For(R.CaseFold);
        for (var c = '\u0600'; c <= '\u06FF'; c++)
        {
            Assert.True(caseFold.IsUnchanged(c), $"U+{(int)c:X4}");
        }
    }

    [Fact]
    public void Default_is_every_rule_but_hamza_carriers_and_all_adds_them()
    {
        var every = R.None;
        foreach (var rule in NormalizationTable.Order)
        {
            every |= rule;
        }

        Assert.Equal(R.All, every | R.DecomposedHamza);
        Assert.Equal(R.All & ~R.HamzaCarriers, R.Default);
        Assert.Equal(R.Default, ArabicNormalizer.Default.Rules);
        Assert.Equal(R.Default, new TextAnalyzer().Normalizer.Rules);
    }

    /// <summary>For each rule alone, the exact set of code units it changes, over the whole BMP.</summary>
    public static TheoryData<R> SingleRules => new()
    {
        R.AlefForms, R.DecomposedHamza, R.TehMarbuta, R.AlefMaksura, R.HamzaCarriers, R.Diacritics, R.Tatweel,
        R.PersianLetters, R.Digits, R.PresentationForms, R.InvisibleMarks, R.CaseFold,
    };

    [Theory]
    [MemberData(nameof(SingleRules))]
    public void Each_rule_alone_changes_exactly_its_own_characters(R rule)
    {
        var table = NormalizationTable.For(rule);
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            var expected = ChangedBy(rule, c);
            Assert.True(expected == !table.IsUnchanged(c), $"{rule}: U+{i:X4} expected {(expected ? "changed" : "unchanged")}");
        }
    }

    private static bool ChangedBy(R rule, char c) => rule switch
    {
        R.AlefForms => c is '\u0622' or '\u0623' or '\u0625' or '\u0671' or '\u0672' or '\u0673' or '\u0675',
        R.DecomposedHamza => c is >= '\u0653' and <= '\u0655',
        R.TehMarbuta => c == '\u0629',
        R.AlefMaksura => c == '\u0649',
        R.HamzaCarriers => c is '\u0624' or '\u0626',
        R.Diacritics => c is >= '\u064B' and <= '\u065F' or '\u0670' or >= '\u0610' and <= '\u061A' or >= '\u06D6' and <= '\u06ED',
        R.Tatweel => c == '\u0640',
        R.PersianLetters => c is '\u06CC' or '\u06D2' or '\u06A9' or '\u06C1' or '\u06C0' or '\u06C2' or '\u06D3',
        R.Digits => c is >= '\u0660' and <= '\u0669' or >= '\u06F0' and <= '\u06F9',
        // Every presentation form with a compatibility decomposition; nothing outside the two blocks.
        R.PresentationForms => (c is >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF') && HasCompatibilityDecomposition(c),
        R.InvisibleMarks => c is '\u200B' or '\u200C' or '\u200D' or '\u200E' or '\u200F' or >= '\u202A' and <= '\u202E'
            or >= '\u2066' and <= '\u2069' or '\u061C' or '\uFEFF' or '\u00AD',
        R.CaseFold => !char.IsSurrogate(c) && !ArabicChars.IsArabic(c) && char.ToLowerInvariant(c) != c,
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    // Code points of the two presentation-form blocks that have no decomposition in Unicode 14 (the ornate
    // parentheses, the Quranic end-of-verse and similar signs, the bismillah and other ligature symbols without
    // one, the tatweel-with-mark forms that have none, unassigned code points and the BOM).
    private static bool HasCompatibilityDecomposition(char c) => c switch
    {
        >= '\uFBB2' and <= '\uFBD2' => false, // Arabic symbols (U+FBB2-U+FBC2) and unassigned
        >= '\uFD3E' and <= '\uFD4F' => false, // ornate parentheses, Quranic marks
        >= '\uFD90' and <= '\uFD91' => false,
        >= '\uFDC8' and <= '\uFDEF' => false,
        >= '\uFDFD' and <= '\uFDFF' => false, // bismillah, other ligature symbols
        '\uFE73' or '\uFE75' => false, // tail fragment, unassigned
        >= '\uFEFD' and <= '\uFEFF' => false, // unassigned, BOM
        _ => true,
    };

    [Fact]
    public void Table_apply_agrees_with_normalizing_the_character_alone()
    {
        var table = NormalizationTable.Default;
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = ((char)i).ToString();
            Assert.True(table.Apply((char)i) == ArabicNormalizer.Default.Normalize(c).Text, $"U+{i:X4}");
            Assert.Equal(table.IsUnchanged((char)i), ArabicNormalizer.Default.IsNormalized(c));
        }
    }

    [Fact]
    public void Table_apply_of_a_combining_hamza_depends_on_the_diacritics_rule()
    {
        Assert.Equal(string.Empty, NormalizationTable.Default.Apply('\u0654'));
        Assert.Equal("\u0654", NormalizationTable.For(R.Default & ~R.Diacritics).Apply('\u0654'));
    }

    [Fact]
    public void Tables_are_cached_per_rule_set_and_ignore_unknown_bits()
    {
        Assert.Same(NormalizationTable.Default, NormalizationTable.For(R.Default));
        Assert.Same(NormalizationTable.Default, NormalizationTable.For(R.Default | (R)(1 << 20)));
        Assert.Equal(R.Default, NormalizationTable.For(R.Default | (R)(1 << 20)).Rules);
        Assert.Same(NormalizationTable.Default, ArabicNormalizer.Default.Table);
    }

    [Fact]
    public void Canonical_compositions_of_madda_and_hamza()
    {
        Assert.Equal('\u0622', NormalizationTable.Compose('\u0627', '\u0653'));
        Assert.Equal('\u0623', NormalizationTable.Compose('\u0627', '\u0654'));
        Assert.Equal('\u0625', NormalizationTable.Compose('\u0627', '\u0655'));
        Assert.Equal('\u0624', NormalizationTable.Compose('\u0648', '\u0654'));
        Assert.Equal('\u0626', NormalizationTable.Compose('\u064A', '\u0654'));
        Assert.Equal('\u06C0', NormalizationTable.Compose('\u06D5', '\u0654'));
        Assert.Equal('\u06C2', NormalizationTable.Compose('\u06C1', '\u0654'));
        Assert.Equal('\u06D3', NormalizationTable.Compose('\u06D2', '\u0654'));
        Assert.Equal('\0', NormalizationTable.Compose('\u0628', '\u0654'));
        Assert.Equal('\0', NormalizationTable.Compose('\u0648', '\u0655'));
    }

    [Fact]
    public void Null_input_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => ArabicNormalizer.Default.Normalize((string)null!));
        Assert.Throws<ArgumentNullException>(() => ArabicNormalizer.Default.NormalizeToString(null!));
        Assert.Throws<ArgumentNullException>(() => ArabicNormalizer.Default.Normalize("x", null!));
    }
}
