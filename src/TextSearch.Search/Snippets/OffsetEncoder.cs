using System.Text;

namespace TextSearch.Search.Snippets;

/// <summary>The unit offsets are reported in.</summary>
public enum OffsetUnit
{
    CodePoint,
    Utf16,
    Utf8,
}

/// <summary>Converts UTF-16 offsets within a text to code points or UTF-8 bytes.</summary>
public static class OffsetEncoder
{
    /// <summary>The length of <paramref name="text"/>[0..<paramref name="utf16Offset"/>) in <paramref name="unit"/>.</summary>
    public static int Convert(ReadOnlySpan<char> text, int utf16Offset, OffsetUnit unit)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(utf16Offset, text.Length);
        var prefix = text[..utf16Offset];
        return unit switch
        {
            OffsetUnit.Utf16 => utf16Offset,
            OffsetUnit.Utf8 => Encoding.UTF8.GetByteCount(prefix),
            _ => CountCodePoints(prefix),
        };
    }

    /// <summary>Counts code points; a lone surrogate counts as one.</summary>
    public static int CountCodePoints(ReadOnlySpan<char> text)
    {
        var count = text.Length;
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }
}

/// <summary>Converts many UTF-16 offsets of one text to another unit in O(1) each (one pass to build).</summary>
public sealed class OffsetIndex
{
    private readonly int[]? _map;

    public OffsetIndex(string text, OffsetUnit unit)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (unit == OffsetUnit.Utf16)
        {
            return;
        }

        _map = new int[text.Length + 1];
        var offset = 0;
        for (var i = 0; i < text.Length; i++)
        {
            _map[i] = offset;
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair)
            {
                _map[i + 1] = offset;
                i++;
                offset += unit == OffsetUnit.Utf8 ? 4 : 1;
            }
            else
            {
                // A lone surrogate is encoded as U+FFFD (3 bytes) in UTF-8.
                offset += unit == OffsetUnit.Utf8 ? (c < 0x80 ? 1 : c < 0x800 ? 2 : 3) : 1;
            }
        }

        _map[text.Length] = offset;
    }

    public int this[int utf16Offset] => _map is null ? utf16Offset : _map[utf16Offset];
}
