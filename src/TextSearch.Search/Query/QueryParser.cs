using TextSearch.Analysis;

namespace TextSearch.Search.Query;

/// <summary>
/// Parses what a user types: words, "quoted phrases", -word and -"phrase" exclusions. Every non-empty string
/// within the limits parses: unbalanced quotes are dropped, lone operators ignored, punctuation and emoji yield an
/// empty query. Words are analyzed by the same analyzer as the index, then expanded with synonyms.
/// </summary>
public sealed class QueryParser(TextAnalyzer analyzer, SynonymMap synonyms, RankingOptions? ranking = null)
{
    private readonly bool _variants = (ranking ?? new RankingOptions()).VariantBoost > 0;

    public TextAnalyzer Analyzer { get; } = analyzer;

    public SynonymMap Synonyms { get; } = synonyms;

    /// <summary>Validates and parses a query. Throws <see cref="TextSearchException"/> (InvalidArgument) when it breaks a limit.</summary>
    public SearchQuery Parse(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            Throw.Invalid(Parameter.Query, "the query must not be empty.");
        }

        if (raw.Length > Limits.MaxQueryChars)
        {
            Throw.Invalid(Parameter.Query, $"the query is {raw.Length} characters long; the maximum is {Limits.MaxQueryChars}.");
        }

        var segments = Split(raw);
        var termCount = segments.Sum(s => CountTokens(s.Text));
        if (termCount > Limits.MaxQueryTerms)
        {
            Throw.Invalid(Parameter.Query, $"the query has {termCount} terms; the maximum is {Limits.MaxQueryTerms}.");
        }

        var analyzed = new List<(SegmentKind Kind, IReadOnlyList<QueryWord> Words)>(segments.Count);
        bool? opensWithQuestionWord = null;
        var asksForNumber = false;
        foreach (var segment in segments)
        {
            analyzed.Add((segment.Kind, AnalyzeWords(segment.Text, Analyzer, out var first)));
            if (opensWithQuestionWord is null && first is not null)
            {
                opensWithQuestionWord = segment.Kind == SegmentKind.Plain && Analyzer.IsQuestionWord(first);
                asksForNumber = segment.Kind == SegmentKind.Plain && Analyzer.AsksForNumber(first);
            }
        }

        // A question (its first word a question word, or a question mark at its end: من and ما are prepositions and
        // particles too) leaves out the plain words that name what it asks for (ما اسم، كم عدد:
        // ArabicStopwords.AnswerTypeWords), as long as something else is left to search for.
        var end = raw.AsSpan().TrimEnd();
        var question = opensWithQuestionWord == true || end.EndsWith('?') || end.EndsWith(ArabicChars.ArabicQuestionMark);
        var answerTypes = question && analyzed.Any(a => a.Kind is SegmentKind.Plain or SegmentKind.Phrase && a.Words.Any(w => !Analyzer.IsAnswerTypeWord(w.Term)));
        var clauses = new List<QueryClause>();
        var plain = new List<QueryWord>();
        foreach (var (kind, words) in analyzed)
        {
            switch (kind)
            {
                case SegmentKind.Plain:
                    plain.AddRange(answerTypes ? words.Where(w => !Analyzer.IsAnswerTypeWord(w.Term)) : words);
                    break;
                case SegmentKind.Phrase when words.Count > 0:
                    FlushPlain(plain, clauses);
                    clauses.Add(new QueryClause(Occur.Must, [new QueryPhrase(words, Variants: false, FromSynonym: false)]));
                    break;
                case SegmentKind.ExcludedWord:
                    clauses.AddRange(words.Select(w => new QueryClause(Occur.MustNot, [Single(w, variants: false)])));
                    break;
                case SegmentKind.ExcludedPhrase when words.Count > 0:
                    clauses.Add(new QueryClause(Occur.MustNot, [new QueryPhrase(words, Variants: false, FromSynonym: false)]));
                    break;
            }
        }

        FlushPlain(plain, clauses);
        return new SearchQuery(raw, Analyzer.Normalizer.NormalizeToString(raw), clauses) { AsksForNumber = asksForNumber };
    }

    /// <summary>The non-stopword words of a text, with offsets relative to the first (stopwords leave gaps).</summary>
    public static IReadOnlyList<QueryWord> AnalyzeWords(string text, TextAnalyzer analyzer) => AnalyzeWords(text, analyzer, out _);

    /// <summary>The non-stopword words of a text, and its first token's term (stopword or not; null when it has none).</summary>
    private static List<QueryWord> AnalyzeWords(string text, TextAnalyzer analyzer, out string? firstToken)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        var words = new List<QueryWord>();
        var first = -1;
        firstToken = null;
        foreach (var token in analyzer.Analyze(text))
        {
            firstToken ??= token.Term;
            if (token.IsStopword)
            {
                continue;
            }

            if (first < 0)
            {
                first = token.Position;
            }

            words.Add(new QueryWord(token.Term, token.Stem, token.Position - first));
        }

        return words;
    }

    private void FlushPlain(List<QueryWord> plain, List<QueryClause> clauses)
    {
        if (plain.Count == 0)
        {
            return;
        }

        var stems = plain.Select(w => w.Stem).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plain.Count;)
        {
            var (length, alternatives) = Synonyms.Match(stems, i);
            if (length > 0)
            {
                var original = new QueryPhrase(
                    [.. plain.Skip(i).Take(length).Select((w, k) => w with { Offset = k })], Variants: length == 1 && _variants && VariantKey.HasVariants(plain[i].Stem), FromSynonym: false);
                var others = alternatives.Where(a => !a.Words.Select(w => w.Stem).SequenceEqual(original.Words.Select(w => w.Stem)));
                if (seen.Add(string.Join(' ', original.Words.Select(w => w.Stem))))
                {
                    clauses.Add(new QueryClause(Occur.Should, [original, .. others]));
                }

                i += length;
                continue;
            }

            // A repeated word counts once.
            if (seen.Add(plain[i].Stem))
            {
                clauses.Add(new QueryClause(Occur.Should, [Single(plain[i], _variants && VariantKey.HasVariants(plain[i].Stem))]));
            }

            i++;
        }

        plain.Clear();
    }

    private static QueryPhrase Single(QueryWord word, bool variants) =>
        new([word with { Offset = 0 }], variants, FromSynonym: false);

    private static int CountTokens(string text)
    {
        var count = 0;
        foreach (var _ in new Tokenizer(text))
        {
            count++;
        }

        return count;
    }

    private enum SegmentKind
    {
        Plain,
        Phrase,
        ExcludedWord,
        ExcludedPhrase,
    }

    private readonly record struct Segment(SegmentKind Kind, string Text);

    private static List<Segment> Split(string raw)
    {
        var segments = new List<Segment>();
        var plain = new System.Text.StringBuilder();
        var i = 0;
        while (i < raw.Length)
        {
            var c = raw[i];
            var atWordStart = i == 0 || char.IsWhiteSpace(raw[i - 1]);
            if (c == '-' && atWordStart && i + 1 < raw.Length && !char.IsWhiteSpace(raw[i + 1]))
            {
                if (raw[i + 1] == '"' && raw.IndexOf('"', i + 2) is var close and > 0)
                {
                    Flush(plain, segments);
                    segments.Add(new Segment(SegmentKind.ExcludedPhrase, raw[(i + 2)..close]));
                    i = close + 1;
                    continue;
                }

                var end = i + 1;
                while (end < raw.Length && !char.IsWhiteSpace(raw[end]))
                {
                    end++;
                }

                Flush(plain, segments);
                segments.Add(new Segment(SegmentKind.ExcludedWord, raw[(i + 1)..end]));
                i = end;
                continue;
            }

            if (c == '"')
            {
                var close = raw.IndexOf('"', i + 1);
                if (close > 0)
                {
                    Flush(plain, segments);
                    segments.Add(new Segment(SegmentKind.Phrase, raw[(i + 1)..close]));
                    i = close + 1;
                    continue;
                }

                // An unbalanced quote is ignored.
                plain.Append(' ');
                i++;
                continue;
            }

            plain.Append(c);
            i++;
        }

        Flush(plain, segments);
        return segments;

        static void Flush(System.Text.StringBuilder plain, List<Segment> segments)
        {
            if (plain.Length > 0)
            {
                segments.Add(new Segment(SegmentKind.Plain, plain.ToString()));
                plain.Clear();
            }
        }
    }
}
