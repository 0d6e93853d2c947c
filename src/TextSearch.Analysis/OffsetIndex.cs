namespace TextSearch.Analysis;

/// <summary>The unit text positions are reported in.</summary>
public enum OffsetUnit
{
    /// <summary>Unicode code points (a lone surrogate counts as one).</summary>
    CodePoint,

    /// <summary>UTF-16 code units, .NET's and JavaScript's string indices.</summary>
    Utf16,

    /// <summary>UTF-8 bytes (a lone surrogate is U+FFFD, 3 bytes).</summary>
    Utf8,
}

/// <summary>
/// Converts UTF-16 positions within one text to another <see cref="OffsetUnit"/>, in one forward pass over the
/// text. Build an index for many positions (every character of a normalized text), or convert a handful in place
/// with <see cref="Convert(ReadOnlySpan{char}, OffsetUnit, Span{int})"/>, which reads the text only as far as the
/// largest of them (and allocates nothing for up to 64 positions).
/// </summary>
public sealed class OffsetIndex
{
    private readonly int[]? _map;

    /// <summary>An index of every position of <paramref name="text"/> (0 to its length), built in one pass.</summary>
    public OffsetIndex(string text, OffsetUnit unit)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (unit == OffsetUnit.Utf16)
        {
            return;
        }

        _map = new int[text.Length + 1];
        var walk = new Walk(text, unit);
        for (var i = 0; i <= text.Length; i++)
        {
            _map[i] = walk.To(i);
        }
    }

    /// <summary>The position in the index's unit of a UTF-16 position (0 to the text's length).</summary>
    public int this[int utf16Offset] => _map is null ? utf16Offset : _map[utf16Offset];

    /// <summary>
    /// Converts UTF-16 positions of <paramref name="text"/> to <paramref name="unit"/>, in place and in one pass
    /// (the positions may come in any order). A position inside a surrogate pair maps to the pair's start.
    /// </summary>
    public static void Convert(ReadOnlySpan<char> text, OffsetUnit unit, Span<int> offsets)
    {
        if (unit == OffsetUnit.Utf16 || offsets.IsEmpty)
        {
            return;
        }

        foreach (var offset in offsets)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, text.Length);
        }

        // Visit the positions in increasing order, so the walk only moves forward.
        Span<(int Offset, int Index)> order = offsets.Length <= 64 ? stackalloc (int, int)[offsets.Length] : new (int, int)[offsets.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = (offsets[i], i);
        }

        order.Sort();
        var walk = new Walk(text, unit);
        foreach (var (offset, index) in order)
        {
            offsets[index] = walk.To(offset);
        }
    }

    /// <summary>A forward walk over a text that counts units up to each position asked for.</summary>
    private ref struct Walk(ReadOnlySpan<char> text, OffsetUnit unit)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _position;
        private int _units;

        /// <summary>The units before <paramref name="target"/> (not below the last target).</summary>
        public int To(int target)
        {
            while (_position < target)
            {
                var c = _text[_position];
                if (char.IsHighSurrogate(c) && _position + 1 < _text.Length && char.IsLowSurrogate(_text[_position + 1]))
                {
                    if (_position + 1 == target)
                    {
                        // Inside the pair: the pair starts here.
                        return _units;
                    }

                    _position += 2;
                    _units += unit == OffsetUnit.Utf8 ? 4 : 1;
                }
                else
                {
                    _position++;
                    _units += unit == OffsetUnit.Utf8 ? (c < 0x80 ? 1 : c < 0x800 ? 2 : 3) : 1;
                }
            }

            return _units;
        }
    }
}
