namespace TextSearch.Analysis.Tests;

/// <summary>
/// Allocation guarantees, measured with GC.GetAllocatedBytesForCurrentThread around warmed-up calls. The count is
/// exact per thread, so these are not timing tests. Once, on a busy machine, a round still counted 7,408 bytes that
/// no other run saw (the runtime's own work on the thread, such as tiering up a hot method, is the likely source), so
/// a call is measured in three rounds and the least counts: an allocation the call itself makes shows in every round.
/// </summary>
public sealed class AllocationTests
{
    private const string CleanText = "كتب الولد الدرس في المدرسه يوم 12 من الشهر والطلاب hello world";

    private const string DirtyText =
        "\u200Fٱلرَّحْمَٰنِ ﷲ ﻻ إِلَى المدرسة ١٢٣ Hello\u200Cworld مـــدرسة ی ک و\u0654 «داعش»، ٢٦٬٩٥٠ ﷺ";

    private static readonly string[] StemmerWords = ["والكتاب", "وزيرها", "الله", "والله", "معلمات", "وزراء"];

    private static long AllocatedBy(Action action)
    {
        for (var i = 0; i < 20; i++)
        {
            action(); // warm up: JIT, tiering, lazily built tables, buffer growth
        }

        var least = long.MaxValue;
        for (var round = 0; round < 3 && least > 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10; i++)
            {
                action();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }

    [Fact]
    public void Already_normal_text_is_returned_as_the_same_instance()
    {
        Assert.True(ArabicNormalizer.Default.IsNormalized(CleanText));
        Assert.Same(CleanText, ArabicNormalizer.Default.NormalizeToString(CleanText));
        Assert.Same(CleanText, ArabicNormalizer.Default.Normalize(CleanText).Text);
    }

    [Fact]
    public void Already_normal_text_allocates_nothing()
    {
        string? result = null;
        Assert.Equal(0, AllocatedBy(() => result = ArabicNormalizer.Default.NormalizeToString(CleanText)));
        Assert.Same(CleanText, result);

        NormalizedText normalized = default;
        Assert.Equal(0, AllocatedBy(() => normalized = ArabicNormalizer.Default.Normalize(CleanText)));
        Assert.Same(CleanText, normalized.Text);
    }

    [Fact]
    public void Checking_for_normal_text_allocates_nothing()
    {
        var normal = false;
        Assert.Equal(0, AllocatedBy(() => normal = ArabicNormalizer.Default.IsNormalized(DirtyText)));
        Assert.False(normal);
    }

    [Fact]
    public void Normalizing_into_a_warmed_up_buffer_allocates_nothing()
    {
        var buffer = new NormalizationBuffer();
        var normalizer = ArabicNormalizer.Default;
        var length = 0;
        Assert.Equal(0, AllocatedBy(() =>
        {
            normalizer.Normalize(DirtyText, buffer);
            length = buffer.Length;
            _ = buffer.Map.SourceEnd(length / 2);
        }));
        Assert.False(buffer.IsIdentity);
        Assert.Equal(normalizer.NormalizeToString(DirtyText), buffer.Chars.ToString());

        // A larger input grows the buffer once; after that it is allocation-free again.
        var larger = string.Concat(Enumerable.Repeat(DirtyText, 50));
        Assert.Equal(0, AllocatedBy(() => normalizer.Normalize(larger, buffer)));
        Assert.Equal(normalizer.NormalizeToString(larger), buffer.Chars.ToString());
    }

    [Fact]
    public void Tokenizing_allocates_nothing()
    {
        var count = 0;
        Assert.Equal(0, AllocatedBy(() =>
        {
            count = 0;
            foreach (var token in new Tokenizer(DirtyText))
            {
                count += token.Length > 0 ? 1 : 0;
            }
        }));
        Assert.True(count > 10);
    }

    [Fact]
    public void An_analysis_session_allocates_nothing_once_warmed_up()
    {
        var session = new AnalysisSession(TextAnalyzer.Default);
        var tokens = 0;
        var checksum = 0;
        Assert.Equal(0, AllocatedBy(() =>
        {
            session.Reset(DirtyText);
            tokens = 0;
            while (session.MoveNext())
            {
                var t = session.Current;
                tokens++;
                checksum += t.Term.Length + t.Stem.Length + t.End - t.Start + (t.IsStopword ? 1 : 0);
            }
        }));
        Assert.Equal(TextAnalyzer.Default.Analyze(DirtyText).Count, tokens);
        Assert.True(checksum > 0);
    }

    [Fact]
    public void Stemming_allocates_nothing()
    {
        var total = 0;
        Assert.Equal(0, AllocatedBy(() =>
        {
            total = 0;
            foreach (var word in StemmerWords)
            {
                total += ArabicLightStemmer.Stem(word).Length;
            }
        }));
        Assert.True(total > 0);
    }
}
