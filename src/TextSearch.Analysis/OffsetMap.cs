namespace TextSearch.Analysis;

/// <summary>
/// Maps every character of normalized text back to the range of original characters it came from.
/// </summary>
/// <remarks>
/// Stored run-length encoded: a new segment starts wherever the alignment changes (after removed characters,
/// and around expansions), so text that only had one-for-one replacements needs a single segment and text that
/// needed nothing needs none. Removed characters belong to the output character before them (or, at the very
/// start, to the first one), so the ranges are monotonic and together cover the whole input.
/// </remarks>
public readonly struct OffsetMap
{
    private readonly MapSegment[]? _segments;
    private readonly int _segmentCount;

    internal OffsetMap(MapSegment[]? segments, int segmentCount, int normalizedLength, int originalLength)
    {
        _segments = segments;
        _segmentCount = segmentCount;
        NormalizedLength = normalizedLength;
        OriginalLength = originalLength;
    }

    /// <summary>The map of text that normalization left unchanged.</summary>
    public static OffsetMap Identity(int length) => new(null, 0, length, length);

    public int NormalizedLength { get; }

    public int OriginalLength { get; }

    public bool IsIdentity => _segments is null;

    /// <summary>The number of alignment segments (0 for the identity).</summary>
    public int SegmentCount => _segmentCount;

    /// <summary>The first original character of normalized character <paramref name="index"/>.</summary>
    public int SourceStart(int index)
    {
        if (_segments is null || index == 0)
        {
            return Math.Min(index, OriginalLength);
        }

        if (index >= NormalizedLength)
        {
            return OriginalLength;
        }

        ref readonly var seg = ref _segments[Find(index)];
        return seg.IsExpansion ? seg.InStart : seg.InStart + (index - seg.OutStart);
    }

    /// <summary>One past the last original character of normalized character <paramref name="index"/>.</summary>
    public int SourceEnd(int index)
    {
        if (_segments is null)
        {
            return Math.Min(index + 1, OriginalLength);
        }

        if (index >= NormalizedLength - 1)
        {
            return OriginalLength;
        }

        var s = Find(index);
        ref readonly var seg = ref _segments[s];
        if (seg.IsExpansion && (s + 1 == _segmentCount || index + 1 < _segments[s + 1].OutStart))
        {
            return seg.InStart + 1;
        }

        return SourceStart(index + 1);
    }

    /// <summary>
    /// Maps the normalized range [<paramref name="start"/>, <paramref name="end"/>) to the original range it came
    /// from, including any characters removed inside it.
    /// </summary>
    public (int Start, int End) ToOriginal(int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, NormalizedLength);
        if (start == end)
        {
            var at = SourceStart(start);
            return (at, at);
        }

        return (SourceStart(start), SourceEnd(end - 1));
    }

    /// <summary>
    /// <see cref="ToOriginal(int, int)"/> for ranges visited in increasing order (tokens): <paramref name="hint"/>
    /// remembers where the last lookup ended, so walking the text costs O(1) per range instead of a binary search.
    /// Start with 0.
    /// </summary>
    public (int Start, int End) ToOriginal(int start, int end, ref int hint)
    {
        if (_segments is null || start == end || end > NormalizedLength || start < 0)
        {
            return ToOriginal(start, end);
        }

        var s = start == 0 ? 0 : SourceStart(start, Find(start, ref hint));
        var last = end - 1;
        return (s, last >= NormalizedLength - 1 ? OriginalLength : SourceEnd(last, Find(last, ref hint)));
    }

    private int SourceStart(int index, int segment)
    {
        ref readonly var seg = ref _segments![segment];
        return seg.IsExpansion ? seg.InStart : seg.InStart + (index - seg.OutStart);
    }

    private int SourceEnd(int index, int segment)
    {
        var segs = _segments!;
        ref readonly var seg = ref segs[segment];
        if (seg.IsExpansion && (segment + 1 == _segmentCount || index + 1 < segs[segment + 1].OutStart))
        {
            return seg.InStart + 1;
        }

        var next = segment + 1 < _segmentCount && segs[segment + 1].OutStart <= index + 1 ? segment + 1 : segment;
        return SourceStart(index + 1, next);
    }

    private int Find(int index, ref int hint)
    {
        var segs = _segments!;
        var h = hint;
        if ((uint)h < (uint)_segmentCount && segs[h].OutStart <= index)
        {
            // Usually the segment is this one or one of the next few.
            for (var steps = 0; steps < 16; steps++)
            {
                if (h + 1 < _segmentCount && segs[h + 1].OutStart <= index)
                {
                    h++;
                    continue;
                }

                hint = h;
                return h;
            }
        }

        hint = Find(index);
        return hint;
    }

    private int Find(int index)
    {
        // Last segment whose OutStart <= index.
        int lo = 0, hi = _segmentCount - 1;
        var segs = _segments!;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >>> 1;
            if (segs[mid].OutStart <= index)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }
}

/// <summary>One alignment run: output characters from <see cref="OutStart"/> on map linearly from <see cref="InStart"/>,
/// or, for an expansion, all to the single character at <see cref="InStart"/>.</summary>
internal readonly record struct MapSegment(int OutStart, int InStart, bool IsExpansion);
