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
