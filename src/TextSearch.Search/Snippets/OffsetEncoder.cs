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
