using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using TextSearch.Analysis;

namespace TextSearch.Search.Lucene;

/// <summary>What of a token a field indexes.</summary>
internal enum TokenForm
{
    /// <summary>The stem (the title and body fields).</summary>
    Stem,

    /// <summary>The normalized, unstemmed term (the exact fields).</summary>
    Term,

    /// <summary>The spelling-variant key of the stem (<see cref="VariantKey"/>).</summary>
    Key,
}

/// <summary>
/// One text analyzed once, for every field that indexes it: each token's stem, term and variant key, and its
/// position (stopwords are left out but keep their positions, so phrases line up with the query's). The fields
/// replay it (<see cref="Stream"/>) instead of analyzing the text again.
/// </summary>
internal sealed class AnalyzedText
{
    private char[] _chars;
    private int[] _tokens; // per token: stem start, stem length, term start, term length, key start, key length, position
    private int _charCount;

    private AnalyzedText(int capacity)
    {
        _chars = new char[Math.Max(16, capacity * 3)];
        _tokens = new int[Math.Max(16, capacity / 3) * Stride];
    }

    private const int Stride = 7;

    public int Count { get; private set; }

    /// <summary>Positions the text takes, stopwords included (the next text's positions start after them).</summary>
    public int Positions { get; private set; }

    public static AnalyzedText Of(AnalysisSession session, string text)
    {
        var analyzed = new AnalyzedText(text.Length);
        session.Reset(text);
        while (session.MoveNext())
        {
            var token = session.Current;
            analyzed.Positions = token.Position + 1;
            if (!token.IsStopword)
            {
                analyzed.Add(token.Stem, token.Term, token.Position);
            }
        }

        return analyzed;
    }

    /// <summary>A token stream of one form of these tokens, then of <paramref name="then"/>'s (positions continuing).</summary>
    public TokenStream Stream(TokenForm form, AnalyzedText? then = null) => new Replay(this, then, form);

    private void Add(ReadOnlySpan<char> stem, ReadOnlySpan<char> term, int position)
    {
        EnsureCapacity((2 * stem.Length) + term.Length + 1);
        if ((Count + 1) * Stride > _tokens.Length)
        {
            Array.Resize(ref _tokens, _tokens.Length * 2);
        }

        var t = Count * Stride;
        _tokens[t] = Append(stem);
        _tokens[t + 1] = stem.Length;
        _tokens[t + 2] = term.SequenceEqual(stem) ? _tokens[t] : Append(term);
        _tokens[t + 3] = term.Length;
        var keyStart = _charCount;
        var keyLength = VariantKey.Write(stem, _chars.AsSpan(keyStart));
        _charCount += keyLength;
        _tokens[t + 4] = keyStart;
        _tokens[t + 5] = keyLength;
        _tokens[t + 6] = position;
        Count++;
    }

    private int Append(ReadOnlySpan<char> chars)
    {
        var start = _charCount;
        chars.CopyTo(_chars.AsSpan(start));
        _charCount += chars.Length;
        return start;
    }

    private void EnsureCapacity(int more)
    {
        if (_charCount + more > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _charCount + more));
        }
    }

    private ReadOnlySpan<char> Form(int token, TokenForm form)
    {
        var t = (token * Stride) + ((int)form * 2);
        return _chars.AsSpan(_tokens[t], _tokens[t + 1]);
    }

    private int Position(int token) => _tokens[(token * Stride) + 6];

    /// <summary>Replays one form of the tokens into a field.</summary>
    private sealed class Replay : TokenStream
    {
        private readonly AnalyzedText _first;
        private readonly AnalyzedText? _then;
        private readonly TokenForm _form;
        private readonly ICharTermAttribute _term;
        private readonly IPositionIncrementAttribute _increment;
        private readonly IOffsetAttribute _offset;
        private int _next;
        private int _lastPosition;

        public Replay(AnalyzedText first, AnalyzedText? then, TokenForm form)
        {
            _first = first;
            _then = then;
            _form = form;
            _term = AddAttribute<ICharTermAttribute>();
            _increment = AddAttribute<IPositionIncrementAttribute>();
            _offset = AddAttribute<IOffsetAttribute>();
        }

        public override void Reset()
        {
            base.Reset();
            _next = 0;
            _lastPosition = -1;
        }

        public override bool IncrementToken()
        {
            ClearAttributes();
            AnalyzedText source;
            int index, position;
            if (_next < _first.Count)
            {
                (source, index) = (_first, _next);
                position = _first.Position(index);
            }
            else if (_then is not null && _next - _first.Count < _then.Count)
            {
                (source, index) = (_then, _next - _first.Count);
                position = _first.Positions + _then.Position(index);
            }
            else
            {
                return false;
            }

            _next++;
            var chars = source.Form(index, _form);
            chars.CopyTo(_term.ResizeBuffer(chars.Length));
            _term.Length = chars.Length;
            _increment.PositionIncrement = position - _lastPosition;
            _lastPosition = position;
            _offset.SetOffset(0, 0);
            return true;
        }
    }
}
