using System.Globalization;
using System.Text;

namespace TextSearch.Cli.Output;

/// <summary>Text with a highlight flag per UTF-16 code unit, rendered for the terminal or a pipe.</summary>
internal sealed class StyledText
{
    private readonly bool[] _highlighted;

    private StyledText(string text, bool[] highlighted)
    {
        Text = text;
        _highlighted = highlighted;
    }

    public string Text { get; }

    public bool IsHighlighted(int index) => _highlighted[index];

    public static StyledText Plain(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new StyledText(text, new bool[text.Length]);
    }

    /// <summary>Marks the half-open UTF-16 ranges [start, end); ranges outside the text are clipped.</summary>
    public static StyledText WithHighlights(string text, IEnumerable<(int Start, int End)> ranges)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ranges);
        var flags = new bool[text.Length];
        foreach (var (start, end) in ranges)
        {
            for (var i = Math.Max(0, start); i < Math.Min(text.Length, end); i++)
            {
                flags[i] = true;
            }
        }

        return new StyledText(text, flags);
    }

    /// <summary>One line: line breaks and tabs become spaces, runs of whitespace collapse, the ends are trimmed.</summary>
    public StyledText SingleLine()
    {
        var sb = new StringBuilder(Text.Length);
        var flags = new List<bool>(Text.Length);
        var pendingSpace = false;
        var spaceHighlighted = true;
        for (var i = 0; i < Text.Length; i++)
        {
            var c = Text[i];
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                spaceHighlighted &= _highlighted[i];
                continue;
            }

            if (pendingSpace)
            {
                // Whitespace inside one highlight stays highlighted; between two highlights it does not.
                sb.Append(' ');
                flags.Add(spaceHighlighted);
                pendingSpace = false;
            }

            spaceHighlighted = true;

            sb.Append(c);
            flags.Add(_highlighted[i]);
        }

        return new StyledText(sb.ToString(), [.. flags]);
    }

    /// <summary>The text split at '\n' (a trailing '\r' is dropped).</summary>
    public IEnumerable<StyledText> Lines()
    {
        var start = 0;
        for (var i = 0; i <= Text.Length; i++)
        {
            if (i == Text.Length || Text[i] == '\n')
            {
                var end = i > start && Text[i - 1] == '\r' ? i - 1 : i;
                yield return Slice(start, end - start);
                start = i + 1;
            }
        }
    }

    /// <summary>Greedy word wrap of one line to <paramref name="width"/> columns (text elements); 0 or less: no wrap.</summary>
    public IEnumerable<StyledText> Wrap(int width)
    {
        if (width <= 0 || Columns(Text) <= width)
        {
            yield return this;
            yield break;
        }

        var starts = StringInfo.ParseCombiningCharacters(Text);
        var lineStart = 0; // element index
        while (lineStart < starts.Length)
        {
            var remaining = starts.Length - lineStart;
            if (remaining <= width)
            {
                yield return Slice(starts[lineStart], Text.Length - starts[lineStart]);
                yield break;
            }

            // The last space within the width; a word longer than the width is cut.
            var breakAt = -1;
            for (var k = lineStart + width; k > lineStart; k--)
            {
                if (Text[starts[k]] == ' ')
                {
                    breakAt = k;
                    break;
                }
            }

            var endElement = breakAt > 0 ? breakAt : lineStart + width;
            yield return Slice(starts[lineStart], starts[endElement] - starts[lineStart]);
            lineStart = endElement;
            while (lineStart < starts.Length && Text[starts[lineStart]] == ' ')
            {
                lineStart++;
            }
        }
    }

    /// <summary>Renders one line (no '\n' inside): logical order, or visual order with <see cref="DisplayOptions.Visual"/>.</summary>
    public string Render(DisplayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sb = new StringBuilder(Text.Length + 16);
        var on = false;
        if (options.Visual)
        {
            foreach (var e in Bidi.Reorder(Text))
            {
                Switch(sb, ref on, _highlighted[e.Start], options);
                Bidi.AppendElement(sb, Text, e);
            }
        }
        else
        {
            for (var i = 0; i < Text.Length; i++)
            {
                Switch(sb, ref on, _highlighted[i], options);
                sb.Append(Text[i]);
            }
        }

        Switch(sb, ref on, false, options);
        return sb.ToString();
    }

    /// <summary>Display columns, counted as text elements (combining marks take none).</summary>
    public static int Columns(string text) => text.Length == 0 ? 0 : new StringInfo(text).LengthInTextElements;

    private static void Switch(StringBuilder sb, ref bool on, bool want, DisplayOptions options)
    {
        if (want == on)
        {
            return;
        }

        if (want)
        {
            if (options.Color)
            {
                sb.Append(DisplayOptions.HighlightOn);
            }

            if (options.Brackets)
            {
                sb.Append('[');
            }
        }
        else
        {
            if (options.Brackets)
            {
                sb.Append(']');
            }

            if (options.Color)
            {
                sb.Append(DisplayOptions.HighlightOff);
            }
        }

        on = want;
    }

    private StyledText Slice(int start, int length) => new(Text.Substring(start, length), _highlighted.AsSpan(start, length).ToArray());
}
