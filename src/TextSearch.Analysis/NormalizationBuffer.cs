namespace TextSearch.Analysis;

/// <summary>
/// Reusable output of <see cref="ArabicNormalizer.Normalize(ReadOnlySpan{char}, NormalizationBuffer)"/>: the
/// normalized characters and their offset map, in arrays that grow as needed and are kept between calls.
/// Not thread-safe; keep one per thread or per analyzer instance.
/// </summary>
public sealed class NormalizationBuffer
{
    private char[] _chars = new char[256];
    private MapSegment[] _segments = new MapSegment[16];
    private int _length;
    private int _segmentCount;
    private int _originalLength;
    private bool _identity;
    private bool _gap;

    /// <summary>The normalized text of the last call. When the input needed nothing, this is empty and
    /// <see cref="IsIdentity"/> is true: read the input itself.</summary>
    public ReadOnlySpan<char> Chars => _chars.AsSpan(0, _length);

    public int Length => _length;

    public bool IsIdentity => _identity;

    public OffsetMap Map => _identity
        ? OffsetMap.Identity(_originalLength)
        : new OffsetMap(_segments, _segmentCount, _length, _originalLength);

    internal void SetIdentity(int originalLength)
    {
        _identity = true;
        _length = 0;
        _segmentCount = 0;
        _originalLength = originalLength;
    }

    internal void Run(ReadOnlySpan<char> input, int firstDirty, NormalizationTable table)
    {
        _identity = false;
        _originalLength = input.Length;
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
                    var at = ComposableLetterBefore(input, i, map, length);
                    var composed = at >= 0 ? NormalizationTable.Compose(chars[at], c) : '\0';
                    if (composed != '\0')
                    {
                        // The mark is absorbed into the letter; like a removed mark it belongs to what precedes it.
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

    /// <summary>
    /// Finds, in the output, the letter a combining madda/hamza at input index <paramref name="i"/> attaches to:
    /// the last output character before it, skipping marks (kept or removed) and removed characters in between.
    /// Returns -1 when something else (a space, another combining hamza) stands in the way.
    /// </summary>
    private static int ComposableLetterBefore(ReadOnlySpan<char> input, int i, ReadOnlySpan<char> map, int length)
    {
        var kept = 0;
        for (var j = i - 1; j >= 0; j--)
        {
            var p = input[j];
            var tp = map[p];
            if (tp == NormalizationTable.ComposeWithPrevious)
            {
                return -1;
            }

            if (tp == NormalizationTable.Delete && tp != p)
            {
                continue;
            }

            if (ArabicChars.IsDiacritic(p))
            {
                kept++;
                continue;
            }

            var at = length - 1 - kept;
            return at >= 0 ? at : -1;
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

    /// <summary>Copies the map into an exactly sized, immutable <see cref="OffsetMap"/>.</summary>
    internal OffsetMap DetachMap() => _identity
        ? OffsetMap.Identity(_originalLength)
        : new OffsetMap(_segments.AsSpan(0, _segmentCount).ToArray(), _segmentCount, _length, _originalLength);
}
