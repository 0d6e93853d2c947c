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

    /// <summary>The spelling-variant key of the stem (<see cref="VariantKey"/>); a number also as <see cref="VariantKey.NumberClass"/>, at its position.</summary>
    Key,
}

/// <summary>
/// One text analyzed once, for every field that indexes it: each token's stem, term and variant key, and its
/// position (stopwords are left out but keep their positions, so phrases line up with the query's). The fields
/// replay it (<see cref="Stream"/>) instead of analyzing the text again. An instance is reused from document to
/// document (<see cref="Load"/>), with its buffers and its token streams, so indexing a document allocates none of
/// them.
/// </summary>
internal sealed class AnalyzedText
{
    /// <summary>Buffers grown past this many characters by a large text are not kept for the next one.</summary>
    private const int MaxRetainedChars = 1 << 20;

    private const int Stride = 7;

    private readonly Replay?[] _streams = new Replay?[6];
    private char[] _chars = new char[1024];
    private int[] _tokens = new int[128 * Stride]; // per token: stem start, stem length, term start, term length, key start, key length, position
    private int _charCount;

    public int Count { get; private set; }

    /// <summary>Positions the text takes, stopwords included (the next text's positions start after them).</summary>
    public int Positions { get; private set; }

    /// <summary>Analyzes <paramref name="text"/> into this instance, replacing what it held.</summary>
    public AnalyzedText Load(AnalysisSession session, string text, SuggestTermBuilder? suggest = null)
    {
        Count = 0;
        Positions = 0;
        _charCount = 0;
        var needed = Math.Max(1024, text.Length * 3);
        if (_chars.Length < needed || (_chars.Length > MaxRetainedChars && _chars.Length > 2 * needed))
        {
            _chars = new char[needed];
            _tokens = new int[Math.Max(128, text.Length / 3) * Stride];
        }

        session.Reset(text);
        while (session.MoveNext())
        {
            var token = session.Current;
            suggest?.Add(token.Term, text.AsSpan(token.Start, token.End - token.Start), token.IsStopword);
            Positions = token.Position + 1;
            if (!token.IsStopword)
            {
                Add(token.Stem, token.Term, token.Position);
            }
        }

        return this;
    }

    /// <summary>
    /// A token stream of one form of these tokens, then of <paramref name="then"/>'s (positions continuing). The stream
    /// is this instance's own for that form (and whether another text follows): a document indexes it before the
    /// next <see cref="Load"/>.
    /// </summary>
    public TokenStream Stream(TokenForm form, AnalyzedText? then = null)
    {
        var stream = _streams[((int)form * 2) + (then is null ? 0 : 1)] ??= new Replay(this, form);
        stream.Then = then;
        return stream;
    }

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
        private readonly TokenForm _form;
        private readonly ICharTermAttribute _term;
        private readonly IPositionIncrementAttribute _increment;
        private readonly IOffsetAttribute _offset;
        private int _next;
        private int _lastPosition;
        private bool _numberClassNext;

        public Replay(AnalyzedText first, TokenForm form)
        {
            _first = first;
            _form = form;
            _term = AddAttribute<ICharTermAttribute>();
            _increment = AddAttribute<IPositionIncrementAttribute>();
            _offset = AddAttribute<IOffsetAttribute>();
        }

        /// <summary>The text whose tokens follow the first's, if any.</summary>
        public AnalyzedText? Then { get; set; }

        public override void Reset()
        {
            base.Reset();
            _numberClassNext = false;
            _next = 0;
            _lastPosition = -1;
        }

        public override bool IncrementToken()
        {
            ClearAttributes();
            if (_numberClassNext)
            {
                // The keys' field holds the number class at every number's position (VariantKey.NumberClass).
                _numberClassNext = false;
                VariantKey.NumberClass.AsSpan().CopyTo(_term.ResizeBuffer(VariantKey.NumberClass.Length));
                _term.Length = VariantKey.NumberClass.Length;
                _increment.PositionIncrement = 0;
                _offset.SetOffset(0, 0);
                return true;
            }

            AnalyzedText source;
            int index, position;
            if (_next < _first.Count)
            {
                (source, index) = (_first, _next);
                position = _first.Position(index);
            }
            else if (Then is { } then && _next - _first.Count < then.Count)
            {
                (source, index) = (then, _next - _first.Count);
                position = _first.Positions + then.Position(index);
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
            _numberClassNext = _form == TokenForm.Key && VariantKey.IsNumber(chars);
            return true;
        }
    }
}
