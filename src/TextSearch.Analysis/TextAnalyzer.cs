namespace TextSearch.Analysis;

/// <summary>One analyzed token.</summary>
/// <param name="Text">The token as it stands in the original text (with its diacritics, tatweel...).</param>
/// <param name="Term">The normalized term.</param>
/// <param name="Stem">The stem of the term (the term itself when stemming is off).</param>
/// <param name="Position">The token's ordinal position (stopwords count).</param>
/// <param name="Start">Start offset in the original text, in UTF-16 code units.</param>
/// <param name="End">End offset (exclusive) in the original text, in UTF-16 code units.</param>
public readonly record struct AnalyzedToken(
    string Text, string Term, string Stem, int Position, int Start, int End, TokenKind Kind, bool IsStopword);

/// <summary>
/// The one entry point from text to tokens: normalize (keeping the offset map), tokenize the normalized text,
/// map each token back to the original, fold number separators, flag stopwords and stem. Thread-safe.
/// </summary>
public sealed class TextAnalyzer
{
    private readonly HashSet<string> _stopwords;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _stopwordLookup;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _questionWords;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _answerTypeWords;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _numberQuestionWords;

    public TextAnalyzer(AnalyzerOptions? options = null)
    {
        Options = options ?? AnalyzerOptions.Default;
        Normalizer = new ArabicNormalizer(Options.Rules);
        _stopwords = Options.Stopwords
            ? ArabicStopwords.CreateSet(Normalizer, Options.QuestionWordsAreStopwords)
            : new HashSet<string>(StringComparer.Ordinal);
        _stopwordLookup = _stopwords.GetAlternateLookup<ReadOnlySpan<char>>();
        _questionWords = ArabicStopwords.CreateSet(Normalizer, ArabicStopwords.QuestionWords).GetAlternateLookup<ReadOnlySpan<char>>();
        _answerTypeWords = ArabicStopwords.CreateSet(Normalizer, ArabicStopwords.AnswerTypeWords).GetAlternateLookup<ReadOnlySpan<char>>();
        _numberQuestionWords = ArabicStopwords.CreateSet(Normalizer, ArabicStopwords.NumberQuestionWords).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static TextAnalyzer Default { get; } = new();

    public AnalyzerOptions Options { get; }

    public ArabicNormalizer Normalizer { get; }

    /// <summary>The normalized stopwords this analyzer flags.</summary>
    public IReadOnlySet<string> Stopwords => _stopwords;

    public bool IsStopword(ReadOnlySpan<char> term) => _stopwordLookup.Contains(term);

    /// <summary>Whether a normalized term is a question word (<see cref="ArabicStopwords.QuestionWords"/>), stopword or not.</summary>
    public bool IsQuestionWord(ReadOnlySpan<char> term) => _questionWords.Contains(term);

    /// <summary>
    /// Whether a normalized term names what a question asks for (<see cref="ArabicStopwords.AnswerTypeWords"/>): a query
    /// that asks a question leaves it out when question words are stopwords (<see cref="AnalyzerOptions.QuestionWordsAreStopwords"/>).
    /// </summary>
    public bool IsAnswerTypeWord(ReadOnlySpan<char> term) => QuestionWordsDropped && _answerTypeWords.Contains(term);

    /// <summary>
    /// Whether a normalized term is a question word whose answer is a number or a date
    /// (<see cref="ArabicStopwords.NumberQuestionWords"/>), when question words are stopwords: as for
    /// <see cref="IsAnswerTypeWord"/>, a query that keeps its question words as terms is read as it is written.
    /// </summary>
    public bool AsksForNumber(ReadOnlySpan<char> term) => QuestionWordsDropped && _numberQuestionWords.Contains(term);

    // Whether question words are stopwords, so a query's question structure is read rather than searched for.
    private bool QuestionWordsDropped => Options.Stopwords && Options.QuestionWordsAreStopwords;

    /// <summary>Analyzes <paramref name="text"/> into tokens.</summary>
    public IReadOnlyList<AnalyzedToken> Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<AnalyzedToken>();
        var session = new AnalysisSession(this);
        session.Reset(text);
        while (session.MoveNext())
        {
            var t = session.Current;
            var term = t.Term.ToString();
            var stemSpan = t.Stem;
            var stem = stemSpan.Length == term.Length ? term : stemSpan.ToString();
            tokens.Add(new AnalyzedToken(
                text[t.Start..t.End], term, stem, t.Position, t.Start, t.End, t.Kind, t.IsStopword));
        }

        return tokens;
    }

    /// <summary>Normalizes and stems a single term the way tokens are (for query terms and tests).</summary>
    public string StemOf(string word)
    {
        var tokens = Analyze(word);
        return tokens.Count == 1 ? tokens[0].Stem : string.Join(' ', tokens.Select(t => t.Stem));
    }

    internal ReadOnlySpan<char> StemSpan(ReadOnlySpan<char> term, TokenKind kind) =>
        Options.Stem && kind == TokenKind.Word ? ArabicLightStemmer.StemSpan(term) : term;
}

/// <summary>
/// A token seen through an <see cref="AnalysisSession"/>: spans valid until the next move. The stem is cut when it is
/// asked for, so a caller that can tell from the term that the stem will not matter (<see cref="LetterMask"/>) does
/// not pay for it.
/// </summary>
public readonly ref struct TokenView
{
    private readonly TextAnalyzer _analyzer;

    internal TokenView(TextAnalyzer analyzer, ReadOnlySpan<char> term, int position, int start, int end, TokenKind kind, bool isStopword)
    {
        _analyzer = analyzer;
        Term = term;
        Position = position;
        Start = start;
        End = end;
        Kind = kind;
        IsStopword = isStopword;
    }

    public ReadOnlySpan<char> Term { get; }

    /// <summary>The stem (the term itself for a stopword); each read cuts it again, so read it once.</summary>
    public ReadOnlySpan<char> Stem => IsStopword ? Term : _analyzer.StemSpan(Term, Kind);

    public int Position { get; }

    public int Start { get; }

    public int End { get; }

    public TokenKind Kind { get; }

    public bool IsStopword { get; }
}

/// <summary>
/// Allocation-free, reusable analysis of one text at a time (the Lucene tokenizer keeps one). Not thread-safe.
/// </summary>
public sealed class AnalysisSession(TextAnalyzer analyzer)
{
    private readonly NormalizationBuffer _buffer = new();
    private char[] _scratch = new char[Tokenizer.MaxTokenLength];
    private string _text = string.Empty;
    private OffsetMap _map;
    private int _pos;
    private int _position;
    private TokenSpan _token;
    private int _termLength;
    private bool _termInScratch;
    private int _segmentHint;

    public TextAnalyzer Analyzer { get; } = analyzer;

    public void Reset(string text)
    {
        _text = text ?? throw new ArgumentNullException(nameof(text));
        Analyzer.Normalizer.Normalize(text, _buffer);
        _map = _buffer.Map;
        _segmentHint = 0;
        _pos = 0;
        _position = -1;
    }

    private ReadOnlySpan<char> Normalized => _buffer.IsIdentity ? _text.AsSpan() : _buffer.Chars;

    public bool MoveNext()
    {
        var normalized = Normalized;
        var tokenizer = new Tokenizer(normalized[_pos..]);
        if (!tokenizer.MoveNext())
        {
            _pos = normalized.Length;
            return false;
        }

        var t = tokenizer.Current;
        _token = new TokenSpan(_pos + t.Start, t.Length, t.Kind);
        _pos = _token.End;
        _position++;
        var raw = normalized.Slice(_token.Start, _token.Length);
        _termInScratch = false;
        _termLength = raw.Length;
        if (t.Kind == TokenKind.Number && raw.ContainsAny(',', ArabicChars.ArabicThousandsSeparator, ArabicChars.ArabicDecimalSeparator))
        {
            // 26,950 and ٢٦٬٩٥٠ index as 26950; ٣٫٥ as 3.5.
            var n = 0;
            foreach (var c in raw)
            {
                if (c is ',' or ArabicChars.ArabicThousandsSeparator)
                {
                    continue;
                }

                _scratch[n++] = c == ArabicChars.ArabicDecimalSeparator ? '.' : c;
            }

            _termLength = n;
            _termInScratch = true;
        }

        return true;
    }

    public TokenView Current
    {
        get
        {
            var term = CurrentTerm;
            var (start, end) = CurrentOffsets;
            return new TokenView(Analyzer, term, _position, start, end, _token.Kind, Analyzer.IsStopword(term));
        }
    }

    /// <summary>
    /// The current token's term, as <see cref="Current"/> has it, without its offsets or its stopword test: for a caller
    /// that can tell from the term alone that it needs nothing else (<see cref="LetterMask"/>).
    /// </summary>
    public ReadOnlySpan<char> CurrentTerm => _termInScratch ? _scratch.AsSpan(0, _termLength) : Normalized.Slice(_token.Start, _token.Length);

    /// <summary>The current token's place in the original text, as <see cref="Current"/> has it.</summary>
    public (int Start, int End) CurrentOffsets => _map.ToOriginal(_token.Start, _token.End, ref _segmentHint);
}
