using TextSearch.Analysis;

namespace TextSearch.Benchmarks;

/// <summary>
/// The normalizer's hot loops as they were before the performance work (commit 1609c25), kept verbatim apart from
/// the field names: the oracle the optimized <see cref="NormalizationBuffer"/> must match exactly (same text, same
/// map segments), and the "before" row of the benchmarks.
/// </summary>
internal sealed class ReferenceNormalizer(NormalizationRules rules = NormalizationRules.Default)
{
    private readonly NormalizationTable _table = NormalizationTable.For(rules);
    private char[] _chars = new char[256];
    private MapSegment[] _segments = new MapSegment[16];
    private int _length;
    private int _segmentCount;
    private bool _gap;

    public static ReferenceNormalizer Default { get; } = new();

    public bool IsIdentity { get; private set; }

    public int OriginalLength { get; private set; }

    public ReadOnlySpan<char> Chars => _chars.AsSpan(0, _length);

    public ReadOnlySpan<MapSegment> Segments => _segments.AsSpan(0, _segmentCount);

    public int IndexOfFirstChange(ReadOnlySpan<char> text)
    {
        var map = _table.Map;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (map[c] != c)
            {
                return i;
            }
        }

        return -1;
    }

    public void Normalize(ReadOnlySpan<char> text)
    {
        var first = IndexOfFirstChange(text);
        if (first < 0)
        {
            IsIdentity = true;
            _length = 0;
            _segmentCount = 0;
            OriginalLength = text.Length;
        }
        else
        {
            Run(text, first, _table);
        }
    }

    private void Run(ReadOnlySpan<char> input, int firstDirty, NormalizationTable table)
    {
        IsIdentity = false;
        OriginalLength = input.Length;
        _length = 0;
        _segmentCount = 0;
        _gap = true;
        if (_chars.Length < input.Length + 8)
        {
            _chars = new char[Math.Max(input.Length + 8, _chars.Length * 2)];
        }

        var chars = _chars;
        if (firstDirty > 0)
        {
            input[..firstDirty].CopyTo(chars);
            AddSegment(0, 0, false);
            _length = firstDirty;
            _gap = false;
        }

        var map = table.Map;
        var length = _length;
        var diacriticsRemoved = (table.Rules & NormalizationRules.Diacritics) != 0;
        for (var i = firstDirty; i < input.Length; i++)
        {
            var c = input[i];
            var t = map[c];
            if (t == c || t < NormalizationTable.SentinelBase)
            {
                if (_gap)
                {
                    AddSegment(length, i, false);
                    _gap = false;
                }

                chars[length++] = t;
                continue;
            }

            switch (t)
            {
                case NormalizationTable.Delete:
                    _gap = true;
                    break;

                case NormalizationTable.Expand:
                    var expansion = table.ExpansionOf(c);
                    var needed = length + expansion.Length + (input.Length - i) + 8;
                    if (needed > chars.Length)
                    {
                        Array.Resize(ref _chars, Math.Max(needed, chars.Length * 2));
                        chars = _chars;
                    }

                    AddSegment(length, i, true);
                    expansion.CopyTo(chars.AsSpan(length));
                    length += expansion.Length;
                    _gap = true;
                    break;

                case NormalizationTable.ComposeWithPrevious:
                    var at = ComposableLetterBefore(chars.AsSpan(0, length));
                    var composed = at >= 0 ? table.ComposeNormalized(chars[at], c) : '\0';
                    if (composed != '\0')
                    {
                        chars[at] = map[composed] < NormalizationTable.SentinelBase ? map[composed] : composed;
                        _gap = true;
                    }
                    else if (diacriticsRemoved)
                    {
                        _gap = true;
                    }
                    else
                    {
                        if (_gap)
                        {
                            AddSegment(length, i, false);
                            _gap = false;
                        }

                        chars[length++] = c;
                    }

                    break;
            }
        }

        _length = length;
    }

    // The same composition rule as the product (fixed since 1609c25: it walks back over the output).
    private static int ComposableLetterBefore(ReadOnlySpan<char> output)
    {
        for (var j = output.Length - 1; j >= 0; j--)
        {
            if (!ArabicChars.IsDiacritic(output[j]))
            {
                return j;
            }
        }

        return -1;
    }

    private void AddSegment(int outStart, int inStart, bool expansion)
    {
        if (_segmentCount == _segments.Length)
        {
            Array.Resize(ref _segments, _segments.Length * 2);
        }

        _segments[_segmentCount++] = new MapSegment(outStart, inStart, expansion);
    }
}
