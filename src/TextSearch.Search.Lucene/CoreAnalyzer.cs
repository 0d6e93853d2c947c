using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using TextSearch.Analysis;

namespace TextSearch.Search.Lucene;

/// <summary>
/// The Lucene analyzer: a thin adapter over <see cref="TextAnalyzer"/>. It indexes each token's stem, skips
/// stopwords (their positions still count, so phrases line up with the query) and reports original offsets.
/// No Arabic rule lives here.
/// </summary>
public sealed class CoreAnalyzer(TextAnalyzer analyzer) : Analyzer
{
    public TextAnalyzer Analyzer { get; } = analyzer;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader) =>
        new(new CoreTokenizer(Analyzer, reader));
}

internal sealed class CoreTokenizer : global::Lucene.Net.Analysis.Tokenizer
{
    private readonly AnalysisSession _session;
    private readonly ICharTermAttribute _term;
    private readonly IOffsetAttribute _offset;
    private readonly IPositionIncrementAttribute _positionIncrement;
    private int _lastPosition;
    private int _length;

    public CoreTokenizer(TextAnalyzer analyzer, TextReader input)
        : base(input)
    {
        _session = new AnalysisSession(analyzer);
        _term = AddAttribute<ICharTermAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
        _positionIncrement = AddAttribute<IPositionIncrementAttribute>();
    }

    public override void Reset()
    {
        base.Reset();
        var text = m_input.ReadToEnd();
        _length = text.Length;
        _session.Reset(text);
        _lastPosition = -1;
    }

    public override bool IncrementToken()
    {
        ClearAttributes();
        while (_session.MoveNext())
        {
            var token = _session.Current;
            if (token.IsStopword)
            {
                continue;
            }

            var stem = token.Stem;
            var buffer = _term.ResizeBuffer(stem.Length);
            stem.CopyTo(buffer);
            _term.Length = stem.Length;
            _positionIncrement.PositionIncrement = token.Position - _lastPosition;
            _lastPosition = token.Position;
            _offset.SetOffset(CorrectOffset(token.Start), CorrectOffset(token.End));
            return true;
        }

        return false;
    }

    public override void End()
    {
        base.End();
        var final = CorrectOffset(_length);
        _offset.SetOffset(final, final);
    }
}
