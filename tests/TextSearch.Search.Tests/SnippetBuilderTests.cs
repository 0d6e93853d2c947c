using System.Collections;
using TextSearch.Analysis;
using TextSearch.Search.Query;
using TextSearch.Search.Snippets;
using static TextSearch.Testing.TestSupport;

namespace TextSearch.Search.Tests;

public sealed class SnippetBuilderTests
{
    private static string Highlighted(string text, Snippets.Highlight h) => text[h.Start..h.End];

    [Fact]
    public void Highlight_covers_the_whole_original_word_with_diacritics_and_prefix()
    {
        const string text = "دخلت القوات وَالرَّقَّةِ أمس.";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("الرقة"), 1, 160));
        var h = Assert.Single(fragment.Highlights);
        Assert.Equal("وَالرَّقَّةِ", Highlighted(fragment.Text, h));
    }

    [Fact]
    public void Highlight_covers_tatweel_and_attached_prefix()
    {
        const string text = "وصل الوفد إلى بـالـرقـــة صباحا";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("الرقة"), 1, 160));
        Assert.Equal("بـالـرقـــة", Highlighted(fragment.Text, Assert.Single(fragment.Highlights)));
    }

    [Fact]
    public void Snippets_are_original_text_not_normalized()
    {
        const string text = "أعلنت قوات سوريا الديمقراطية السيطرة على مدينة الرقة.";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("اعلنت"), 1, 160));
        Assert.Contains("أعلنت", fragment.Text, StringComparison.Ordinal);
        Assert.Equal("أعلنت", Highlighted(fragment.Text, fragment.Highlights[0]));
    }

    [Fact]
    public void Phrase_matches_are_one_highlight()
    {
        const string text = "وقال المقاتل من دوار النعيم إن المدينة عادت.";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("\"دوار النعيم\""), 1, 160));
        Assert.Equal("دوار النعيم", Highlighted(fragment.Text, Assert.Single(fragment.Highlights)));
    }

    [Fact]
    public void Spelling_variants_are_highlighted()
    {
        const string text = "قوات سوريا الديموقراطية تتقدم.";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("الديمقراطية"), 1, 160));
        Assert.Equal("الديموقراطية", Highlighted(fragment.Text, Assert.Single(fragment.Highlights)));
    }

    [Fact]
    public void A_spelling_variant_missing_a_letter_of_the_query_word_is_highlighted()
    {
        // فيسبك lacks the و of فيسبوك: only its variant key matches (the stemming gate must let it through).
        const string text = "نشر الخبر على فيسبك أمس.";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("فيسبوك"), 1, 160));
        Assert.Equal("فيسبك", Highlighted(fragment.Text, Assert.Single(fragment.Highlights)));
    }

    [Fact]
    public void Excluded_words_are_not_highlighted()
    {
        const string text = "داعش في الرقة";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("داعش -الرقة"), 1, 160));
        Assert.Equal("داعش", Highlighted(fragment.Text, Assert.Single(fragment.Highlights)));
    }

    [Fact]
    public void Fragments_are_cut_at_word_boundaries_near_the_requested_length()
    {
        var words = string.Join(' ', Enumerable.Range(0, 200).Select(i => i == 100 ? "الرقة" : "كلمة" + (i % 10)));
        var fragment = Assert.Single(TestSupport.Snippets.Build(words, Parser.Parse("الرقة"), 1, 160));
        Assert.InRange(fragment.Text.Length, 80, 170);
        Assert.Equal(words.Substring(fragment.Start, fragment.End - fragment.Start), fragment.Text);
        Assert.True(fragment.Start == 0 || words[fragment.Start - 1] == ' ', "starts at a word boundary");
        Assert.True(fragment.End == words.Length || words[fragment.End] == ' ', "ends at a word boundary");
        Assert.Contains("الرقة", fragment.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Fragments_prefer_sentence_starts()
    {
        var text = "جملة أولى طويلة عن شيء آخر تماما. " + "ثم دخلت القوات مدينة الرقة بعد معارك. " + string.Join(' ', Enumerable.Repeat("حشو", 60));
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("الرقة"), 1, 160));
        Assert.StartsWith("ثم دخلت", fragment.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Best_scoring_fragment_comes_first()
    {
        var filler = string.Join(' ', Enumerable.Repeat("حشو", 80));
        var text = $"ذكرت الرقة وحدها هنا. {filler}. هنا الرقة ودير الزور والميادين معا. {filler}";
        var fragments = TestSupport.Snippets.Build(text, Parser.Parse("الرقة الزور الميادين"), 2, 120);
        Assert.Equal(2, fragments.Count);
        Assert.Contains("الميادين", fragments[0].Text, StringComparison.Ordinal);
        Assert.True(fragments[0].Score > fragments[1].Score);
    }

    [Fact]
    public void No_match_gives_the_beginning_without_highlights()
    {
        var fragment = Assert.Single(TestSupport.Snippets.Build("نص لا يحتوي على الكلمة المطلوبة.", Parser.Parse("الرقة"), 1, 160));
        Assert.Empty(fragment.Highlights);
        Assert.Equal(0, fragment.Start);
    }

    [Fact]
    public void Highlights_count_every_occurrence_in_titles()
    {
        var highlights = TestSupport.Snippets.HighlightAll("الرقة بعد الرقة", Parser.Parse("الرقة"));
        Assert.Equal(2, highlights.Count);
    }

    [Fact]
    public void Surrogate_pairs_and_emoji_do_not_break_offsets()
    {
        const string text = "😀 مدينة الرقة 😀";
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("الرقة"), 1, 160));
        Assert.Equal("الرقة", Highlighted(fragment.Text, Assert.Single(fragment.Highlights)));
    }

    // ---- Issue 12: bounded, cancellable snippets ----

    /// <summary>A text of one word repeated, about <paramref name="chars"/> characters long.</summary>
    private static string OneWord(string word, int chars) => string.Concat(Enumerable.Repeat(word + " ", chars / (word.Length + 1)));

    /// <summary>The builder without its bounds: what the algorithm alone costs.</summary>
    private static SnippetBuilder Unbounded { get; } = new(TextAnalyzer.Default, int.MaxValue, int.MaxValue);

    [Fact]
    public void A_cancelled_token_stops_build_and_highlight_all()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var query = Parser.Parse("الرقة");
        Assert.ThrowsAny<OperationCanceledException>(() => TestSupport.Snippets.Build("الرقة", query, 1, 160, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => TestSupport.Snippets.HighlightAll("الرقة", query, cts.Token));
    }

    /// <summary>A query whose clause list cancels a token the first time it is read, i.e. once Build has started.</summary>
    private sealed class CancellingClauses(IReadOnlyList<QueryClause> clauses, CancellationTokenSource cts) : IReadOnlyList<QueryClause>
    {
        public QueryClause this[int index] => Read()[index];

        public int Count => Read().Count;

        public IEnumerator<QueryClause> GetEnumerator() => Read().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private IReadOnlyList<QueryClause> Read()
        {
            cts.Cancel();
            return clauses;
        }
    }

    [Fact]
    public void Cancellation_is_observed_after_build_has_started()
    {
        // The token is cancelled only when Build first reads the query, after any check at its entry: Build must
        // look at the token again while it tokenizes and matches.
        var parsed = Parser.Parse("الرقة");
        var text = OneWord("الرقة", 20_000);
        using (var cts = new CancellationTokenSource())
        {
            var query = parsed with { Clauses = new CancellingClauses(parsed.Clauses, cts) };
            Assert.ThrowsAny<OperationCanceledException>(() => TestSupport.Snippets.Build(text, query, 3, 160, cts.Token));
        }

        using (var cts = new CancellationTokenSource())
        {
            var query = parsed with { Clauses = new CancellingClauses(parsed.Clauses, cts) };
            Assert.ThrowsAny<OperationCanceledException>(() => TestSupport.Snippets.HighlightAll(text, query, cts.Token));
        }
    }

    [Fact]
    public async Task Cancellation_stops_build_in_the_middle_of_a_huge_document()
    {
        // 2,000,000 characters read whole (no bounds) against a query of many spelling-variant words: about a second
        // of work. The token fires 30 ms in; Build must stop with OperationCanceledException rather than run to the end. (A generous outer wait only keeps a broken build from hanging the suite.)
        var text = OneWord("الديمقراطية", Limits.MaxBodyChars);
        var variants = Enumerable.Range(0, Limits.MaxQueryTerms - 1).Select(i => "الديمقراطي" + (char)('ب' + (i % 20)) + (char)('ب' + (i / 20)));
        var query = Parser.Parse(string.Join(' ', variants) + " الديمقراطية");
        Assert.Equal(Limits.MaxQueryTerms, query.Clauses.Count);
        // The build and the cancelling run on threads of their own, so a busy thread pool cannot delay the cancel
        // until the build (about a second of work) is over.
        using var cts = new CancellationTokenSource();
        var build = Task.Factory.StartNew(
            () => Unbounded.Build(text, query, 10, 1000, cts.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var canceller = new Thread(() =>
        {
            Thread.Sleep(30);
            cts.Cancel();
        });
        canceller.Start();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => build.WaitAsync(TimeSpan.FromSeconds(120)));
    }

    [Fact]
    public async Task A_400k_character_document_of_one_word_is_snippeted_without_quadratic_work()
    {
        // The quadratic builder scored each of the 80,000 matches against all the others (6.4 billion steps, minutes
        // of CPU). Without any bound to help, the algorithm alone must finish well inside a generous timeout.
        var text = OneWord("سوريا", 400_000);
        var query = Parser.Parse("سوريا");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var fragments = await Task.Run(() => Unbounded.Build(text, query, 10, 1000, cts.Token)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(10, fragments.Count);
        Assert.All(fragments, f => Assert.NotEmpty(f.Highlights));
        var highlights = await Task.Run(() => Unbounded.HighlightAll(text, query, cts.Token)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(text.Length / 6, highlights.Count);

        // With the default bounds, and a document of the largest size.
        var largest = OneWord("سوريا", Limits.MaxBodyChars);
        fragments = await Task.Run(() => TestSupport.Snippets.Build(largest, query, 10, 1000, cts.Token)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(10, fragments.Count);
    }

    [Fact]
    public async Task A_run_of_letters_without_spaces_is_cheap_to_highlight()
    {
        // One 400,000-letter "word": the tokenizer cuts it into 128-letter tokens, each matching the query. Stretching
        // every highlight to the whole run cost 400,000 steps per match.
        var text = new string('ب', 400_000);
        var query = Parser.Parse(new string('ب', Tokenizer.MaxTokenLength));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var fragments = await Task.Run(() => Unbounded.Build(text, query, 3, 160, cts.Token)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEmpty(fragments);
        var highlights = await Task.Run(() => Unbounded.HighlightAll(text, query, cts.Token)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEmpty(highlights);
    }

    [Fact]
    public void Matches_beyond_the_analyzed_bound_are_not_highlighted()
    {
        var filler = OneWord("كلمة", Limits.MaxSnippetAnalyzedChars + 20_000);
        var text = filler + "الرقة " + filler;

        // The only match lies past the bound: the snippet is the document's beginning, without highlights.
        var fragment = Assert.Single(TestSupport.Snippets.Build(text, Parser.Parse("الرقة"), 1, 160));
        Assert.Equal(0, fragment.Start);
        Assert.Empty(fragment.Highlights);
        Assert.Empty(TestSupport.Snippets.HighlightAll(text, Parser.Parse("الرقة")));

        // A match within the bound still is, in the same document.
        var early = "الرقة " + text;
        var first = Assert.Single(TestSupport.Snippets.Build(early, Parser.Parse("الرقة"), 10, 160));
        Assert.Equal("الرقة", Highlighted(first.Text, Assert.Single(first.Highlights)));
        Assert.Single(TestSupport.Snippets.HighlightAll(early, Parser.Parse("الرقة")));
    }

    [Fact]
    public void Every_highlight_lies_within_the_bound()
    {
        var text = OneWord("سوريا", 3 * Limits.MaxSnippetAnalyzedChars);
        var query = Parser.Parse("سوريا");
        var highlights = TestSupport.Snippets.HighlightAll(text, query);
        Assert.NotEmpty(highlights);
        Assert.All(highlights, h => Assert.True(h.End <= Limits.MaxSnippetAnalyzedChars, $"highlight at {h.Start}"));
        Assert.True(highlights.Count <= Limits.MaxSnippetMatches);
        foreach (var f in TestSupport.Snippets.Build(text, query, Limits.MaxSnippets, Limits.MaxFragmentChars))
        {
            Assert.True(f.Start < Limits.MaxSnippetAnalyzedChars);
            Assert.All(f.Highlights, h => Assert.True(f.Start + h.End <= Limits.MaxSnippetAnalyzedChars));
        }
    }

    [Fact]
    public void A_word_cut_by_the_bound_is_not_matched_by_its_first_letters()
    {
        // "ديرالمخلص" cut after "دير" would match the query دير; the bound falls before the word instead.
        var query = Parser.Parse("دير");
        Assert.Empty(TestSupport.Snippets.HighlightAll("ديرالمخلص", query));
        Assert.Single(TestSupport.Snippets.HighlightAll("دير", query));
        var filler = OneWord("كلمة", Limits.MaxSnippetAnalyzedChars);
        var text = filler[..(Limits.MaxSnippetAnalyzedChars - 4)] + " ديرالمخلص وكلام بعده";
        Assert.Equal(Limits.MaxSnippetAnalyzedChars, text.IndexOf("ديرالمخلص", StringComparison.Ordinal) + 3);
        Assert.Empty(TestSupport.Snippets.HighlightAll(text, query));
        Assert.Empty(Assert.Single(TestSupport.Snippets.Build(text, query, 1, 160)).Highlights);
    }
}
