using CsCheck;

namespace TextSearch.Analysis.Tests;

/// <summary>The stemming gate: a term that could stem to a stem (or share its variant key) always passes it.</summary>
public sealed class LetterMaskTests
{
    [Fact]
    public void A_term_covers_its_own_stem_and_variant_key_on_any_text()
    {
        Generators.Text().Sample(text =>
        {
            var session = new AnalysisSession(TextAnalyzer.Default);
            session.Reset(text);
            Span<char> key = stackalloc char[Tokenizer.MaxTokenLength + 1];
            while (session.MoveNext())
            {
                var token = session.Current;
                var term = LetterMask.Of(token.Term);
                var stem = token.Stem;
                if (!LetterMask.MayContain(term, LetterMask.Of(stem)))
                {
                    return false;
                }

                if (stem.Length < key.Length && !LetterMask.MayContain(term, LetterMask.Of(key[..VariantKey.Write(stem, key)])))
                {
                    return false;
                }
            }

            return true;
        }, iter: 1_000, print: Generators.Print);
    }

    [Fact]
    public void A_term_without_a_letter_of_the_stem_is_turned_away()
    {
        var stem = LetterMask.Of("كتاب");
        Assert.True(LetterMask.MayContain(LetterMask.Of("والكتابات"), stem));
        Assert.True(LetterMask.MayContain(LetterMask.Of("باكت"), stem)); // the gate is about letters, not order
        Assert.False(LetterMask.MayContain(LetterMask.Of("كتب"), stem));
        Assert.False(LetterMask.MayContain(LetterMask.Of(string.Empty), stem));
        Assert.True(LetterMask.MayContain(LetterMask.Of("anything"), LetterMask.Of(string.Empty)));

        // فيسبك shares the key of فيسبوك, and passes its key's gate, not its stem's.
        Assert.Equal(VariantKey.Of("فيسبوك"), VariantKey.Of("فيسبك"));
        Assert.False(LetterMask.MayContain(LetterMask.Of("فيسبك"), LetterMask.Of("فيسبوك")));
        Assert.True(LetterMask.MayContain(LetterMask.Of("فيسبك"), LetterMask.Of(VariantKey.Of("فيسبوك"))));
    }

    [Fact]
    public void The_stem_of_a_token_is_cut_only_when_read()
    {
        var session = new AnalysisSession(TextAnalyzer.Default);
        session.Reset("والكتابات في");
        Assert.True(session.MoveNext());
        var token = session.Current;
        Assert.Equal("والكتابات", token.Term.ToString());
        Assert.Equal("كتاب", token.Stem.ToString());
        Assert.True(session.MoveNext());
        var stop = session.Current;
        Assert.True(stop.IsStopword);
        Assert.Equal(stop.Term.ToString(), stop.Stem.ToString());
    }
}
