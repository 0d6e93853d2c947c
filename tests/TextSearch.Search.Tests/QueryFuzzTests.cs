using CsCheck;
using TextSearch.Search.Paging;
using static TextSearch.Testing.TestSupport;

namespace TextSearch.Search.Tests;

/// <summary>
/// Property tests for the parts of the engine that take raw input from callers: the query parser, page tokens and
/// the snippet builder. Random Unicode (lone surrogates, operators, control characters, very long inputs) never
/// makes them throw anything but InvalidArgument. The normalizer and tokenizer have
/// their own property tests in TextSearch.Analysis.Tests.
/// </summary>
public sealed class QueryFuzzTests
{
    private const string Operators = "\"\"\"---  \t\n()*:~^+|&!";

    private static Gen<string> One(Gen<char> chars) => chars.Select(c => c.ToString());

    /// <summary>One piece of a query: Arabic, operators, whitespace, ASCII, control characters, surrogates, anything.</summary>
    private static readonly Gen<string> Piece = Gen.Frequency(
        (30, One(Gen.Char['\u0600', '\u06FF'])),
        (15, One(Gen.Char[Operators])),
        (10, One(Gen.Char[' ', '~'])),
        (5, One(Gen.Char['\0', '\u001F'])),
        (4, One(Gen.Char['\uD800', '\uDFFF'])),
        (3, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)),
        (3, One(Gen.Char["\u200B\u200C\u200D\u200E\u200F\u202E\u0640\uFEFF\u00AD"])),
        (3, One(Gen.Char['\uFB50', '\uFEFF'])),
        (2, Gen.Const(" سوريا ")),
        (2, Gen.Const(" \"دير الزور\" ")),
        (2, Gen.Const(" -الرقة ")),
        (4, One(Gen.Char['\0', '\uFFFF'])));

    private static Gen<string> Text(int maxPieces) => Piece.Array[0, maxPieces].Select(string.Concat);

    /// <summary>Short queries, queries near the 1,024-character limit and just over it, and many-term queries.</summary>
    private static readonly Gen<string> Queries = Gen.Frequency(
        (6, Text(40)),
        (2, Text(1200)),
        (1, Gen.Int[1, 200].Select(n => string.Join(' ', Enumerable.Repeat("ب", n)))),
        (1, Gen.Int[1000, 1100].Select(n => new string('"', n))),
        (1, Gen.Int[1000, 1100].Select(n => string.Concat(Enumerable.Repeat("-", n)))),
        (1, Gen.Int[1, 3000].Select(n => new string('ب', n))));

    private static void OnlyInvalidArgument(Action action)
    {
        try
        {
            action();
        }
        catch (TextSearchException e) when (e.Kind == ErrorKind.InvalidArgument)
        {
        }
    }

    [Fact]
    public void Parse_throws_nothing_but_invalid_argument()
    {
        Queries.Sample(query => OnlyInvalidArgument(() => Parser.Parse(query)), iter: 2000);
    }

    [Fact]
    public void Parse_accepts_what_is_within_the_limits_or_says_why_not()
    {
        Text(40).Sample(query =>
        {
            try
            {
                var parsed = Parser.Parse(query);
                Assert.NotNull(parsed);
            }
            catch (TextSearchException e)
            {
                Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        });
    }

    [Fact]
    public void PageToken_decode_of_random_strings_throws_only_invalid_argument()
    {
        var tokens = Gen.Frequency(
            (4, Text(60)),
            (4, Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="].Array[0, 120].Select(a => new string(a))),
            (1, Gen.Int[2000, 2100].Select(n => new string('A', n))));
        tokens.Sample(token =>
        {
            var ex = Assert.Throws<TextSearchException>(() => PageToken.Decode(PageTokenTests.Key, token, "q"));
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        });
    }

    [Fact]
    public void PageToken_decode_of_random_bytes_throws_only_invalid_argument()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var token = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            OnlyInvalidArgument(() => PageToken.Decode(PageTokenTests.Key, token, "q"));
        });
    }

    [Fact]
    public void PageToken_with_any_byte_changed_is_rejected_or_decodes()
    {
        var genuine = PageToken.Encode(PageTokenTests.Key, "q", new SearchCursor(1.5f, "doc-1"), 10);
        var b64 = genuine.Replace('-', '+').Replace('_', '/');
        var bytes = Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '='));
        Gen.Select(Gen.Int[0, bytes.Length - 1], Gen.Byte[1, 255]).Sample((at, mask) =>
        {
            var copy = (byte[])bytes.Clone();
            copy[at] ^= mask;
            var token = Convert.ToBase64String(copy).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var ex = Assert.Throws<TextSearchException>(() => PageToken.Decode(PageTokenTests.Key, token, "q"));
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        });
    }

    private static int LongestWord(string text)
    {
        int longest = 0, run = 0;
        foreach (var c in text)
        {
            run = char.IsWhiteSpace(c) ? 0 : run + 1;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    [Fact]
    public void Snippets_of_random_text_are_bounded_and_highlights_lie_inside()
    {
        var texts = Gen.Frequency((5, Text(200)), (1, Text(3000)));
        string[] queryList = ["سوريا", "الرقة", "\"دير الزور\"", "داعش -الرقة", "قوات سوريا الديمقراطية", "ب", "a", "1"];
        var queries = Gen.Int[0, queryList.Length - 1].Select(i => queryList[i]);
        Gen.Select(texts, queries, Gen.Int[Limits.MinFragmentChars, 400], Gen.Int[1, Limits.MaxSnippets]).Sample((text, query, fragmentChars, maxSnippets) =>
        {
            var parsed = Parser.Parse(query);

            // Mix query words into the text so that there are matches to highlight.
            var mixed = text.Length > 10 ? text.Insert(text.Length / 2, $" {query.Replace("\"", "").Replace("-", "")} ") : text;
            foreach (var input in new[] { text, mixed })
            {
                var fragments = TestSupport.Snippets.Build(input, parsed, maxSnippets, fragmentChars);
                Assert.True(fragments.Count <= maxSnippets);
                var bound = (2 * fragmentChars) + LongestWord(input);
                foreach (var f in fragments)
                {
                    Assert.InRange(f.Start, 0, input.Length);
                    Assert.InRange(f.End, f.Start, input.Length);
                    Assert.Equal(input[f.Start..f.End], f.Text);
                    Assert.True(f.Text.Length <= bound, $"fragment of {f.Text.Length} characters for fragment_chars {fragmentChars}");
                    foreach (var h in f.Highlights)
                    {
                        Assert.InRange(h.Start, 0, f.Text.Length);
                        Assert.InRange(h.End, h.Start + 1, f.Text.Length);
                    }
                }
            }
        });
    }

    [Fact]
    public void PageToken_signed_with_the_right_key_but_any_fields_decodes_only_to_valid_fields()
    {
        var key = PageTokenTests.Key;
        var ids = Gen.Frequency(
            (3, Gen.Byte.Array[0, 40]),
            (2, Gen.String.Select(System.Text.Encoding.UTF8.GetBytes)),
            (1, Gen.Int[250, 300].Select(n => System.Text.Encoding.UTF8.GetBytes(new string('a', n)))));
        Gen.Select(Gen.Int.Select(BitConverter.Int32BitsToSingle), Gen.Int, ids).Sample((score, returned, id) =>
        {
            var token = PageToken.EncodeRaw(key, 3, PageToken.Fingerprint(key, "q"), score, returned, id);
            try
            {
                var state = PageToken.Decode(key, token, "q");
                Assert.True(float.IsFinite(state.Cursor.Score));
                Assert.True(state.Returned >= 0);
                Assert.InRange(state.Cursor.Id.Length, 1, Limits.MaxIdChars);
                Assert.DoesNotContain(state.Cursor.Id, char.IsControl);
                Assert.Equal(id, System.Text.Encoding.UTF8.GetBytes(state.Cursor.Id));
            }
            catch (TextSearchException e)
            {
                Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
                Assert.Equal(Parameter.PageToken.Path, e.Field);
            }
        }, iter: 2000);
    }

    private static readonly string[] SnippetWords =
    [
        "الرقة", "وَالرَّقَّةِ", "بـالـرقـــة", "سوريا", "السورية", "الديمقراطية", "الديموقراطية", "الديمقراطيه", "دير", "الزور",
        "دوار", "النعيم", "قوات", "داعش", "الميادين", "قسد", "كلمة", "حشو", "في", "من", "على", "إلى", "و", "٤٩٠٠", "4900",
        "26,950", "3.5", "abc", "ال24", "😀", "مدينة", "وقال", "تنظيم", "الدولة", "الإسلامية",
    ];

    private static readonly string[] SnippetSeparators =
        [" ", " ", " ", " ", "  ", ". ", "، ", "\n", "\n\n", "؟ ", "؛ ", "… ", "! ", "\t", ".", "\u200C", "\u0640", " (", ") ", " - "];

    private static readonly string[] SnippetQueries =
    [
        "الرقة", "سوريا", "الديمقراطية", "\"دير الزور\"", "\"دوار النعيم\"", "داعش -الرقة", "قوات سوريا الديمقراطية", "قسد",
        "الرقة الزور الميادين", "تنظيم الدولة الإسلامية", "4900", "كلمة حشو", "في", "abc", "ال24", "مدينة -\"دير الزور\"",
    ];

    /// <summary>Texts of query words, their variants, fillers and stopwords, with sentence ends, line breaks, tatweel, ZWNJ.</summary>
    private static readonly Gen<string> SnippetTexts =
        Gen.Select(Gen.Int[0, SnippetWords.Length - 1], Gen.Int[0, SnippetSeparators.Length - 1])
            .Select((w, sep) => SnippetWords[w] + SnippetSeparators[sep])
            .Array[0, 160]
            .Select(string.Concat);

    private static void AssertSameFragments(IReadOnlyList<Snippets.Fragment> expected, IReadOnlyList<Snippets.Fragment> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].Start, expected[i].End, expected[i].Text), (actual[i].Start, actual[i].End, actual[i].Text));
            Assert.Equal(expected[i].Score, actual[i].Score);
            Assert.Equal(expected[i].Highlights, actual[i].Highlights);
        }
    }

    [Fact]
    public void Snippets_are_the_same_as_the_reference_builder_on_small_texts()
    {
        // The builder before issue 12 (quadratic, unbounded) is the reference: on texts within the bounds, the
        // linear one returns the same fragments, in the same order, with the same scores and highlights.
        var reference = new ReferenceSnippetBuilder(TestSupport.Snippets.Analyzer);
        var texts = Gen.Frequency((6, SnippetTexts), (1, Text(300)), (1, Gen.Select(SnippetTexts, Text(60)).Select((a, b) => a + b)));
        var queries = Gen.Int[0, SnippetQueries.Length - 1].Select(i => Parser.Parse(SnippetQueries[i]));
        Gen.Select(texts, queries, Gen.Int[Limits.MinFragmentChars, 400], Gen.Int[1, Limits.MaxSnippets]).Sample((text, query, fragmentChars, maxSnippets) =>
        {
            AssertSameFragments(
                reference.Build(text, query, maxSnippets, fragmentChars),
                TestSupport.Snippets.Build(text, query, maxSnippets, fragmentChars));
            Assert.Equal(reference.HighlightAll(text, query), TestSupport.Snippets.HighlightAll(text, query));
        }, iter: 3000);
    }
}
