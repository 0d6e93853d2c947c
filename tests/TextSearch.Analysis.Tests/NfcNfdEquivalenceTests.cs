using System.Text;
using R = TextSearch.Analysis.NormalizationRules;

namespace TextSearch.Analysis.Tests;

/// <summary>
/// NFC, NFD and mixed input normalize to the same text. The project runs with InvariantGlobalization, under which
/// string.Normalize does not decompose Arabic (see the first test), so the NFD forms are written out by hand,
/// canonically ordered: harakat (combining classes 27-35) come before hamza/madda above (230) and below (220).
/// </summary>
public sealed class NfcNfdEquivalenceTests
{
    /// <summary>(name, NFC, NFD).</summary>
    private static readonly (string Name, string Nfc, string Nfd)[] Pairs =
    [
        ("AlefWithHamzaAbove", "\u0623", "\u0627\u0654"),
        ("AlefWithHamzaBelow", "\u0625", "\u0627\u0655"),
        ("AlefWithMaddaAbove", "\u0622", "\u0627\u0653"),
        ("WawWithHamzaAbove", "\u0624", "\u0648\u0654"),
        ("YehWithHamzaAbove", "\u0626", "\u064A\u0654"),
        ("HehWithYehAbove", "\u06C0", "\u06D5\u0654"),
        ("YehBarreeWithHamzaAbove", "\u06D3", "\u06D2\u0654"),
        ("AlefWithHamzaAboveAndFatha", "\u0623\u064E", "\u0627\u064E\u0654"),
        ("AlefWithHamzaBelowAndKasra", "\u0625\u0650", "\u0627\u0650\u0655"),
        ("Saala", "\u0633\u064E\u0623\u064E\u0644\u064E", "\u0633\u064E\u0627\u064E\u0654\u0644\u064E"),
        ("Mumin", "\u0645\u064F\u0624\u0652\u0645\u0650\u0646\u064C", "\u0645\u064F\u0648\u0652\u0654\u0645\u0650\u0646\u064C"),
        ("Rais", "\u0631\u064E\u0626\u0650\u064A\u0633\u064C", "\u0631\u064E\u064A\u0650\u0654\u064A\u0633\u064C"),
        ("Islam", "\u0625\u0650\u0633\u0652\u0644\u064E\u0627\u0645\u064C", "\u0627\u0650\u0655\u0633\u0652\u0644\u064E\u0627\u0645\u064C"),
        ("Amana", "\u0622\u0645\u064E\u0646\u064E", "\u0627\u0653\u0645\u064E\u0646\u064E"),
        ("Umm", "\u0623\u064F\u0645\u064C\u0651", "\u0627\u064F\u0654\u0645\u064C\u0651"),
        ("Bir", "\u0628\u0650\u0626\u0652\u0631\u064C", "\u0628\u0650\u064A\u0652\u0654\u0631\u064C"),
        ("Suaal", "\u0633\u064F\u0624\u064E\u0627\u0644\u064C", "\u0633\u064F\u0648\u064E\u0654\u0627\u0644\u064C"),
        ("Ila", "\u0625\u0650\u0644\u064E\u0649\u0670", "\u0627\u0650\u0655\u0644\u064E\u0649\u0670"),
        ("AlefWithTwoHamzas", "\u0623\u0654", "\u0627\u0654\u0654"),
        ("Ahmad", "\u0623\u064E\u062D\u0652\u0645\u064E\u062F", "\u0627\u064E\u0654\u062D\u0652\u0645\u064E\u062F"),
    ];

    // ۂ (U+06C2) = ہ + U+0654: with the Persian rule on, ہ becomes ه before the mark arrives, and the mark must still
    // compose with it.
    private static readonly (string Name, string Nfc, string Nfd) HehGoalWithHamzaAbove = ("HehGoalWithHamzaAbove", "\u06C2", "\u06C1\u0654");

    private static readonly R[] RuleSets =
    [
        R.Default,
        R.Default | R.HamzaCarriers,
        R.Default & ~R.Diacritics,
        R.All & ~R.Diacritics,
        R.Default & ~R.Diacritics & ~R.AlefForms, // أ stays أ: composition is the only thing that can make NFD agree
        R.Default & ~R.Diacritics & ~R.PersianLetters,
        R.Default & ~R.Diacritics & ~R.AlefForms & ~R.PersianLetters & ~R.TehMarbuta & ~R.AlefMaksura,
        R.Default & ~R.Diacritics & ~R.AlefForms, // and with a second hamza: NFC أٔ against NFD ا ٔ ٔ
    ];

    public static TheoryData<string, R, string, string> Cases()
    {
        var data = new TheoryData<string, R, string, string>();
        foreach (var rules in RuleSets)
        {
            foreach (var (name, nfc, nfd) in Pairs)
            {
                data.Add(name, rules, nfc, nfd);
            }

            data.Add(HehGoalWithHamzaAbove.Name, rules, HehGoalWithHamzaAbove.Nfc, HehGoalWithHamzaAbove.Nfd);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Nfc_and_nfd_normalize_alike(string name, R rules, string nfc, string nfd)
    {
        var normalizer = new ArabicNormalizer(rules);
        var fromNfc = normalizer.Normalize(nfc).Text;
        TestText.AssertSameText(fromNfc, normalizer.Normalize(nfd).Text, name);

        // In a sentence, next to other words in the other form.
        var mixed1 = $"{nfc} {nfd} {nfc}";
        var mixed2 = $"{nfd} {nfc} {nfd}";
        var expected = $"{fromNfc} {fromNfc} {fromNfc}";
        TestText.AssertSameText(expected, normalizer.Normalize(mixed1).Text, name + " mixed");
        TestText.AssertSameText(expected, normalizer.Normalize(mixed2).Text, name + " mixed");

        // Glued to letters on both sides.
        TestText.AssertSameText(normalizer.Normalize("\u0628" + nfc + "\u0645").Text, normalizer.Normalize("\u0628" + nfd + "\u0645").Text, name + " in a word");
    }

    [Fact]
    public void Composition_matters_when_diacritics_and_alef_forms_are_kept()
    {
        var normalizer = new ArabicNormalizer(R.Default & ~R.Diacritics & ~R.AlefForms);
        TestText.AssertSameText("\u0633\u064E\u0623\u064E\u0644\u064E", normalizer.Normalize("\u0633\u064E\u0627\u064E\u0654\u0644\u064E").Text);
        TestText.AssertSameText("\u0624", normalizer.Normalize("\u0648\u0654").Text);
        TestText.AssertSameText("\u0626", normalizer.Normalize("\u064A\u0654").Text);

        // Without the decomposed-input rule the mark stays apart.
        var noComposition = new ArabicNormalizer(R.Default & ~R.Diacritics & ~R.AlefForms & ~R.DecomposedHamza);
        TestText.AssertSameText("\u0648\u0654", noComposition.Normalize("\u0648\u0654").Text);
    }

    [Fact]
    public void A_combining_hamza_with_nothing_to_compose_with_is_a_removed_diacritic()
    {
        TestText.AssertSameText("\u0628", ArabicNormalizer.Default.Normalize("\u0628\u0654").Text);
        TestText.AssertSameText("", ArabicNormalizer.Default.Normalize("\u0654").Text);
        TestText.AssertSameText("\u0628 \u0627", ArabicNormalizer.Default.Normalize("\u0628 \u0654\u0627").Text);

        // Kept (not composed) when diacritics are kept.
        var keep = new ArabicNormalizer(R.Default & ~R.Diacritics);
        TestText.AssertSameText("\u0628\u0654", keep.Normalize("\u0628\u0654").Text);
        TestText.AssertSameText("\u0654", keep.Normalize("\u0654").Text);

        // A space in between blocks the composition.
        TestText.AssertSameText("\u0648 \u0654", keep.Normalize("\u0648 \u0654").Text);
    }

    [Fact]
    public void Removed_characters_between_letter_and_hamza_do_not_block_composition()
    {
        // Tatweel and an invisible mark are removed, so the hamza still meets the waw.
        var keep = new ArabicNormalizer(R.Default & ~R.Diacritics);
        TestText.AssertSameText("\u0624", keep.Normalize("\u0648\u0640\u0654").Text);
        TestText.AssertSameText("\u0624", keep.Normalize("\u0648\u200D\u0654").Text);
        TestText.AssertSameText("\u0624", ArabicNormalizer.Default.Normalize("\u0648\u0640\u0654").Text);
    }

    [Fact]
    public void Runtime_normalization_is_unavailable_under_invariant_globalization()
    {
        // The reason the NFD forms above are written by hand. If this starts failing, string.Normalize works and
        // the next test checks the hand-written forms against it.
        Assert.True(AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant);
        Assert.Equal("\u0623", "\u0623".Normalize(NormalizationForm.FormD));
    }

    [Fact]
    public void Hand_written_nfd_forms_are_decomposed_and_canonically_ordered()
    {
        foreach (var (name, nfc, nfd) in Pairs.Append(HehGoalWithHamzaAbove))
        {
            var runtime = nfc.Normalize(NormalizationForm.FormD);
            if (runtime != nfc)
            {
                // Runtime normalization available: it is the reference.
                Assert.Equal(runtime, nfd);
                continue;
            }

            // No precomposed hamza letters are left, the NFD form is the NFC form with each of them spelt as
            // letter + mark, and marks after each base letter are in non-decreasing combining class.
            Assert.DoesNotContain(nfd, c => c is '\u0622' or '\u0623' or '\u0624' or '\u0625' or '\u0626' or '\u06C0' or '\u06C2' or '\u06D3');
            Assert.Equal(nfc.Count(c => CombiningClass(c) == 0), nfd.Count(c => CombiningClass(c) == 0));
            Assert.Equal(nfc.Length + nfc.Count(c => c is '\u0622' or '\u0623' or '\u0624' or '\u0625' or '\u0626' or '\u06C0' or '\u06C2' or '\u06D3'), nfd.Length);
            for (var i = 1; i < nfd.Length; i++)
            {
                if (CombiningClass(nfd[i]) != 0)
                {
                    Assert.True(CombiningClass(nfd[i - 1]) <= CombiningClass(nfd[i]) || CombiningClass(nfd[i - 1]) == 0, $"{name} at {i}");
                }
            }
        }
    }

    // Canonical combining classes of the marks used above (UnicodeData.txt).
    private static int CombiningClass(char c) => c switch
    {
        >= '\u064B' and <= '\u0652' => 27 + (c - '\u064B'),
        '\u0653' or '\u0654' => 230,
        '\u0655' => 220,
        '\u0670' => 35,
        _ => 0,
    };
}
