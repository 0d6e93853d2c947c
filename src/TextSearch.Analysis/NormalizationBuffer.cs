using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TextSearch.Analysis;

/// <summary>
/// Reusable output of <see cref="ArabicNormalizer.Normalize(ReadOnlySpan{char}, NormalizationBuffer)"/>: the
/// normalized characters and their offset map, in arrays that grow as needed and are kept between calls.
/// Not thread-safe; keep one per thread or per analyzer instance.
/// </summary>
public sealed class NormalizationBuffer
{
    // Scan hands a run over to OneToOne.Copy after a block of this many characters all kept; KeepReplaceOrDelete
    // keeps at least this many segment slots free for it.
    private const int Block = 8;
    private const int MinSegmentRoom = 64;

    private char[] _chars = new char[256];
    private MapSegment[] _segments = new MapSegment[16];
    private int _length;
    private int _segmentCount;
    private int _originalLength;
    private bool _identity;

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
        if (_chars.Length < input.Length + 8)
        {
            _chars = new char[Math.Max(input.Length + 8, _chars.Length * 2)];
        }

        // Invariant from here on: length + (input.Length - i) + 8 <= chars.Length, so the output always has room for
        // one character per input character left (and for the 32-wide stores OneToOne.Copy makes with 32 or more left).
        var chars = _chars;
        var length = 0;
        var gap = true;
        if (firstDirty > 0)
        {
            input[..firstDirty].CopyTo(chars);
            AddSegment(0, 0, false);
            length = firstDirty;
            gap = false;
        }

        var map = table.Map;
        var diacriticsRemoved = (table.Rules & NormalizationRules.Diacritics) != 0;
        var i = firstDirty;
        while (true)
        {
            KeepReplaceOrDelete(input, ref i, chars, ref length, ref gap, map);
            if (i >= input.Length)
            {
                break;
            }

            // What the hot loop leaves: an expansion, a combining madda/hamza, or any code unit U+FFF0 and up.
            var c = input[i];
            var t = map[c];
            if (t == c || t < NormalizationTable.SentinelBase)
            {
                if (gap)
                {
                    AddSegment(length, i, false);
                    gap = false;
                }

                chars[length++] = t;
            }
            else if (t == NormalizationTable.Delete)
            {
                gap = true;
            }
            else if (t == NormalizationTable.Expand)
            {
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
                gap = true;
            }
            else if (t == NormalizationTable.ComposeWithPrevious)
            {
                var at = ComposableLetterBefore(chars.AsSpan(0, length));
                var composed = at >= 0 ? table.ComposeNormalized(chars[at], c) : '\0';
                if (composed != '\0')
                {
                    // The mark is absorbed into the letter; like a removed mark it belongs to what precedes it.
                    chars[at] = map[composed] < NormalizationTable.SentinelBase ? map[composed] : composed;
                    gap = true;
                }
                else if (diacriticsRemoved)
                {
                    gap = true;
                }
                else
                {
                    if (gap)
                    {
                        AddSegment(length, i, false);
                        gap = false;
                    }

                    chars[length++] = c;
                }
            }

            i++;
        }

        _length = length;
    }

    /// <summary>
    /// Goes through the characters that are kept, replaced one for one or removed, from <paramref name="index"/> to
    /// the end or to the first one left to the caller (an expansion, a combining madda/hamza, or a code unit from
    /// U+FFF0 on, where the table's action values would be ambiguous): <see cref="Scan"/> one at a time, and runs of
    /// one-for-one characters <see cref="OneToOne.Copy"/> with vectors.
    /// </summary>
    private void KeepReplaceOrDelete(
        ReadOnlySpan<char> input, ref int index, char[] chars, ref int outIndex, ref bool gap, ReadOnlySpan<char> map)
    {
        Debug.Assert(map.Length == char.MaxValue + 1 && outIndex + (input.Length - index) <= chars.Length);
        var state = new ScanState { Index = index, Out = outIndex, Gap = gap ? 1 : 0 };
        var n = input.Length;
        ref var src = ref MemoryMarshal.GetReference(input);
        ref var table = ref MemoryMarshal.GetReference(map);
        ref var dst = ref MemoryMarshal.GetArrayDataReference(chars);
        while (state.Index < n)
        {
            // Scan writes a segment slot per character, so it may go as far as there are free slots.
            var left = n - state.Index;
            if (_segments.Length - _segmentCount < Math.Min(left, MinSegmentRoom))
            {
                Array.Resize(ref _segments, Math.Max(_segments.Length * 2, _segmentCount + Math.Min(left, MinSegmentRoom)));
            }

            state.Count = _segmentCount;
            var limit = state.Index + Math.Min(left, _segments.Length - _segmentCount);
            var stop = Scan(ref src, ref table, ref dst, ref MemoryMarshal.GetArrayDataReference(_segments), limit, ref state);
            _segmentCount = state.Count;
            if (stop == ScanStop.LeftToCaller)
            {
                break;
            }

            if (stop == ScanStop.OneToOneRun)
            {
                var copied = OneToOne.Copy(input, state.Index, chars, state.Out, map);
                state.Index += copied;
                state.Out += copied;
            }
        }

        index = state.Index;
        outIndex = state.Out;
        gap = state.Gap != 0;
    }

    private struct ScanState
    {
        public int Index;
        public int Out;
        public int Count;
        public int Gap;
    }

    private enum ScanStop
    {
        Limit,
        LeftToCaller,
        OneToOneRun,
    }

    /// <summary>
    /// The scalar hot loop, from state.Index up to <paramref name="limit"/>, stopping early at a character left to the
    /// caller or after a block of <see cref="Block"/> characters all kept (the run goes on in the tighter
    /// <see cref="OneToOne.Copy"/>).
    /// </summary>
    /// <remarks>
    /// Without a branch per character, so that text where marks and letters alternate unpredictably costs no branch
    /// mispredictions: every character is written at the output position and a segment at the segment position, and
    /// the output position only advances when the character is kept, the segment position when it is the first kept
    /// after a gap (where the alignment changes, as in the map's definition). Indexing is unchecked: i &lt; limit &lt;=
    /// input length, the table has 65,536 entries, the output has room for one character per input character left
    /// (see <see cref="Run"/>), the segments have one free slot per character up to the limit.
    /// </remarks>
    private static ScanStop Scan(
        ref char src, ref char table, ref char dst, ref MapSegment segments, int limit, ref ScanState state)
    {
        var i = state.Index;
        var o = state.Out;
        var count = state.Count;
        var g = state.Gap;
        var stop = ScanStop.Limit;
        while (i < limit)
        {
            var blockEnd = Math.Min(limit, i + Block);
            var skew = i - o;
            for (; i < blockEnd; i++)
            {
                var c = Unsafe.Add(ref src, i);
                var t = Unsafe.Add(ref table, c);
                if (c >= NormalizationTable.SentinelBase
                    || (uint)(t - NormalizationTable.Expand) <= NormalizationTable.ComposeWithPrevious - NormalizationTable.Expand)
                {
                    stop = ScanStop.LeftToCaller;
                    goto Done;
                }

                // c < U+FFF0, so t is either its one-for-one mapping or Delete.
                var kept = t < NormalizationTable.SentinelBase ? 1 : 0;
                Unsafe.Add(ref dst, o) = t;
                Unsafe.Add(ref segments, count) = new MapSegment(o, i, false);
                count += g & kept;
                o += kept;
                g = kept ^ 1;
            }

            if (i - o == skew && i < limit)
            {
                stop = ScanStop.OneToOneRun;
                break;
            }
        }

    Done:
        state.Index = i;
        state.Out = o;
        state.Count = count;
        state.Gap = g;
        return stop;
    }

    /// <summary>The index of the first character of <paramref name="text"/> that <paramref name="map"/> changes, or -1.</summary>
    internal static int IndexOfFirstChange(ReadOnlySpan<char> text, ReadOnlySpan<char> map) => OneToOne.IndexOfFirstChange(text, map);

    /// <summary>
    /// Finds, in the output so far, the letter a combining madda/hamza attaches to: the last output character that is
    /// not a (kept) mark. Working on the output rather than the input is what makes normalization idempotent: the
    /// second pass sees exactly the letters and marks the first one wrote.
    /// </summary>
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

    /// <summary>Copies the map into an exactly sized, immutable <see cref="OffsetMap"/>.</summary>
    internal OffsetMap DetachMap() => _identity
        ? OffsetMap.Identity(_originalLength)
        : new OffsetMap(_segments.AsSpan(0, _segmentCount).ToArray(), _segmentCount, _length, _originalLength);
}

/// <summary>
/// The hot loops over characters that map one for one (kept, or replaced by another single character). Scalar, and
/// with AVX-512 32 characters at a time for the two ranges ordinary Arabic text is made of, U+0000-U+007F and
/// U+0600-U+067F: those 256 table entries are loaded into registers from the table itself, so every rule set gets
/// exactly its own mapping. Anything else (a character outside the ranges, or one to remove, expand or compose) stops
/// the vector and is looked at one at a time.
/// </summary>
file static class OneToOne
{
    private const int Width = 32; // Vector512<ushort>.Count
    private const ushort ArabicWindow = 0x0600;
    private const ushort WindowSize = 0x80;

    public static bool Vectorized => Vector512.IsHardwareAccelerated && Avx512BW.IsSupported;

    /// <summary>
    /// Copies the characters from <paramref name="index"/> on through the map into <paramref name="output"/> at
    /// <paramref name="outIndex"/>, up to the end or the first character that does not map one for one, and returns
    /// how many it copied. The caller guarantees room: outIndex + (input.Length - index) &lt;= output.Length.
    /// </summary>
    /// <remarks>Not inlined, so that the caller's scalar loop keeps its registers.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Copy(ReadOnlySpan<char> input, int index, char[] output, int outIndex, ReadOnlySpan<char> map)
    {
        var i = index;
        var o = outIndex;
        var n = input.Length;
        Debug.Assert(map.Length == char.MaxValue + 1 && o + (n - i) <= output.Length);

        if (Vectorized && n - i >= Width)
        {
            ref var table = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(map));
            var ascii0 = Vector512.LoadUnsafe(ref table, 0);
            var ascii1 = Vector512.LoadUnsafe(ref table, 32);
            var ascii2 = Vector512.LoadUnsafe(ref table, 64);
            var ascii3 = Vector512.LoadUnsafe(ref table, 96);
            var arabic0 = Vector512.LoadUnsafe(ref table, ArabicWindow);
            var arabic1 = Vector512.LoadUnsafe(ref table, ArabicWindow + 32u);
            var arabic2 = Vector512.LoadUnsafe(ref table, ArabicWindow + 64u);
            var arabic3 = Vector512.LoadUnsafe(ref table, ArabicWindow + 96u);
            var sentinel = Vector512.Create((ushort)NormalizationTable.SentinelBase);
            ref var src = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(input));
            ref var dst = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetArrayDataReference(output));
            while (n - i >= Width)
            {
                var v = Vector512.LoadUnsafe(ref src, (nuint)i);
                var t = Lookup(v, ascii0, ascii1, ascii2, ascii3, arabic0, arabic1, arabic2, arabic3, out var outside);
                var blocked = (outside | Vector512.GreaterThanOrEqual(t, sentinel)).ExtractMostSignificantBits();

                // All 32 are stored; those past a blocker are overwritten later (o + 32 <= output.Length here).
                t.StoreUnsafe(ref dst, (nuint)o);
                if (blocked == 0)
                {
                    i += Width;
                    o += Width;
                    continue;
                }

                var k = BitOperations.TrailingZeroCount(blocked);
                i += k;
                o += k;

                // The blocker: the end of the run, or a character outside the windows that maps one for one.
                var c = input[i];
                var tc = map[c];
                if (tc >= NormalizationTable.SentinelBase && tc != c)
                {
                    goto Done;
                }

                output[o++] = tc;
                i++;
                if (k == 0)
                {
                    // No progress: text in some other script. Go on one at a time for a stretch before trying again.
                    var end = Math.Min(n, i + Width);
                    for (; i < end; i++)
                    {
                        c = input[i];
                        tc = map[c];
                        if (tc >= NormalizationTable.SentinelBase && tc != c)
                        {
                            goto Done;
                        }

                        output[o++] = tc;
                    }
                }
            }
        }

        // One at a time (the tail, or all of it without AVX-512). Unchecked: i < n, the table has 65,536 entries and
        // the output room for every character left.
        ref var from = ref MemoryMarshal.GetReference(input);
        ref var lookup = ref MemoryMarshal.GetReference(map);
        ref var to = ref MemoryMarshal.GetArrayDataReference(output);
        for (; i < n; i++)
        {
            var c = Unsafe.Add(ref from, i);
            var t = Unsafe.Add(ref lookup, c);
            if (t >= NormalizationTable.SentinelBase && t != c)
            {
                break;
            }

            Unsafe.Add(ref to, o++) = t;
        }

    Done:
        Debug.Assert(o - outIndex == i - index);
        return i - index;
    }

    /// <summary>The index of the first character the map changes, or -1.</summary>
    public static int IndexOfFirstChange(ReadOnlySpan<char> text, ReadOnlySpan<char> map)
    {
        Debug.Assert(map.Length == char.MaxValue + 1);
        var i = 0;
        var n = text.Length;
        if (Vectorized && n >= Width)
        {
            ref var table = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(map));
            var ascii0 = Vector512.LoadUnsafe(ref table, 0);
            var ascii1 = Vector512.LoadUnsafe(ref table, 32);
            var ascii2 = Vector512.LoadUnsafe(ref table, 64);
            var ascii3 = Vector512.LoadUnsafe(ref table, 96);
            var arabic0 = Vector512.LoadUnsafe(ref table, ArabicWindow);
            var arabic1 = Vector512.LoadUnsafe(ref table, ArabicWindow + 32u);
            var arabic2 = Vector512.LoadUnsafe(ref table, ArabicWindow + 64u);
            var arabic3 = Vector512.LoadUnsafe(ref table, ArabicWindow + 96u);
            ref var src = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
            while (n - i >= Width)
            {
                var v = Vector512.LoadUnsafe(ref src, (nuint)i);
                var t = Lookup(v, ascii0, ascii1, ascii2, ascii3, arabic0, arabic1, arabic2, arabic3, out var outside);
                var changed = (outside | ~Vector512.Equals(t, v)).ExtractMostSignificantBits();
                if (changed == 0)
                {
                    i += Width;
                    continue;
                }

                var k = BitOperations.TrailingZeroCount(changed);
                i += k;
                if (map[text[i]] != text[i])
                {
                    return i;
                }

                i++;
                if (k == 0)
                {
                    var end = Math.Min(n, i + Width);
                    for (; i < end; i++)
                    {
                        if (map[text[i]] != text[i])
                        {
                            return i;
                        }
                    }
                }
            }
        }

        for (; i < n; i++)
        {
            var c = text[i];
            if (map[c] != c)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// map[c] for the lanes in U+0000-U+007F or U+0600-U+067F, each window's 128 entries held in four registers
    /// (two-source permutes pick among 64); <paramref name="outside"/> flags the other lanes, whose result is junk.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ushort> Lookup(
        Vector512<ushort> v,
        Vector512<ushort> ascii0,
        Vector512<ushort> ascii1,
        Vector512<ushort> ascii2,
        Vector512<ushort> ascii3,
        Vector512<ushort> arabic0,
        Vector512<ushort> arabic1,
        Vector512<ushort> arabic2,
        Vector512<ushort> arabic3,
        out Vector512<ushort> outside)
    {
        var size = Vector512.Create(WindowSize);
        var a = v - Vector512.Create(ArabicWindow);
        var inArabic = Vector512.LessThan(a, size);
        var inAscii = Vector512.LessThan(v, size);
        var x = Vector512.ConditionalSelect(inArabic, a, v);
        var upperHalf = Vector512.GreaterThanOrEqual(x, Vector512.Create((ushort)(WindowSize / 2)));
        var fromAscii = Vector512.ConditionalSelect(
            upperHalf, Avx512BW.PermuteVar32x16x2(ascii2, x, ascii3), Avx512BW.PermuteVar32x16x2(ascii0, x, ascii1));
        var fromArabic = Vector512.ConditionalSelect(
            upperHalf, Avx512BW.PermuteVar32x16x2(arabic2, x, arabic3), Avx512BW.PermuteVar32x16x2(arabic0, x, arabic1));
        outside = ~(inArabic | inAscii);
        return Vector512.ConditionalSelect(inArabic, fromArabic, fromAscii);
    }
}
