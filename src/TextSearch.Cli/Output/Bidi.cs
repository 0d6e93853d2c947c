using System.Globalization;
using System.Text;

namespace TextSearch.Cli.Output;

/// <summary>A bidirectional character class (Unicode UAX #9), reduced to what <see cref="Bidi"/> needs.</summary>
internal enum BidiClass : byte
{
    L,
    R,
    AL,
    EN,
    ES,
    ET,
    AN,
    CS,
    NSM,
    BN,
    B,
    S,
    WS,
    ON,
}

/// <summary>One text element (a base character with its combining marks) in visual order.</summary>
/// <param name="Start">UTF-16 index of the element in the logical line.</param>
/// <param name="Length">UTF-16 length of the element.</param>
/// <param name="RightToLeft">Whether the element sits at an odd (right-to-left) level, so mirrored glyphs flip.</param>
internal readonly record struct VisualElement(int Start, int Length, bool RightToLeft);

/// <summary>
/// Visual ordering for terminals without bidi support: a compact implementation of the Unicode bidirectional
/// algorithm (UAX #9) for one paragraph without explicit embeddings. The paragraph direction comes from the first
/// strong letter (rules P2–P3); weak types (numbers and their separators), neutrals and implicit levels are resolved
/// by rules W1–W7, N1–N2 and I1–I2; whitespace at the end of the line goes back to the paragraph level (L1); runs
/// are reversed from the highest level down (L2); brackets in right-to-left runs are mirrored (L4). Text elements
/// (a base character with its combining marks, a surrogate pair) move as one unit, so harakat stay on their letter.
/// Explicit embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) are ignored.
/// </summary>
internal static class Bidi
{
    /// <summary>Reorders every line of <paramref name="text"/> (split on '\n') from logical to visual order.</summary>
    public static string ToVisual(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }

        var lines = text.Split('\n');
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('\n');
            }

            var line = lines[i];
            foreach (var e in Reorder(line))
            {
                AppendElement(sb, line, e);
            }
        }

        return sb.ToString();
    }

    /// <summary>Appends one element, mirrored when it stands in a right-to-left run.</summary>
    public static void AppendElement(StringBuilder sb, string line, VisualElement e)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(line);
        if (e.RightToLeft && e.Length == 1 && Mirror(line[e.Start]) is var m && m != line[e.Start])
        {
            sb.Append(m);
        }
        else
        {
            sb.Append(line, e.Start, e.Length);
        }
    }

    /// <summary>The text elements of one line (no '\n' inside) in visual, left-to-right order.</summary>
    public static VisualElement[] Reorder(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length == 0)
        {
            return [];
        }

        var starts = StringInfo.ParseCombiningCharacters(line);
        var n = starts.Length;
        var original = new BidiClass[n];
        for (var i = 0; i < n; i++)
        {
            original[i] = Classify(Rune.GetRuneAt(line, starts[i]));
        }

        var levels = ResolveLevels(original);
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        // L2: from the highest level to the lowest odd level, reverse every run at that level or higher.
        var highest = levels.Max();
        var lowestOdd = levels.Where(l => (l & 1) == 1).DefaultIfEmpty((byte)(highest + 1)).Min();
        for (int level = highest; level >= lowestOdd; level--)
        {
            var i = 0;
            while (i < n)
            {
                if (levels[order[i]] < level)
                {
                    i++;
                    continue;
                }

                var j = i;
                while (j < n && levels[order[j]] >= level)
                {
                    j++;
                }

                Array.Reverse(order, i, j - i);
                i = j;
            }
        }

        var result = new VisualElement[n];
        for (var i = 0; i < n; i++)
        {
            var k = order[i];
            var end = k + 1 < n ? starts[k + 1] : line.Length;
            result[i] = new VisualElement(starts[k], end - starts[k], (levels[k] & 1) == 1);
        }

        return result;
    }

    /// <summary>The embedding level of every element (rules P2–P3, W1–W7, N1–N2, I1–I2, L1).</summary>
    internal static byte[] ResolveLevels(BidiClass[] original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var n = original.Length;
        var paragraph = ParagraphLevel(original);
        var sor = (paragraph & 1) == 1 ? BidiClass.R : BidiClass.L;
        var t = (BidiClass[])original.Clone();

        // W1 (and X9, simplified): marks and boundary-neutral controls take the type of what precedes them.
        for (var i = 0; i < n; i++)
        {
            if (t[i] is BidiClass.NSM or BidiClass.BN)
            {
                t[i] = i == 0 ? sor : t[i - 1];
            }
        }

        // W2: European digits after Arabic letters are Arabic numbers. W3: AL becomes R.
        var lastStrong = sor;
        for (var i = 0; i < n; i++)
        {
            switch (t[i])
            {
                case BidiClass.L or BidiClass.R or BidiClass.AL:
                    lastStrong = t[i];
                    break;
                case BidiClass.EN when lastStrong == BidiClass.AL:
                    t[i] = BidiClass.AN;
                    break;
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (t[i] == BidiClass.AL)
            {
                t[i] = BidiClass.R;
            }
        }

        // W4: one separator between two numbers of the same kind joins them.
        for (var i = 1; i < n - 1; i++)
        {
            if (t[i] == BidiClass.ES && t[i - 1] == BidiClass.EN && t[i + 1] == BidiClass.EN)
            {
                t[i] = BidiClass.EN;
            }
            else if (t[i] == BidiClass.CS && t[i - 1] is BidiClass.EN or BidiClass.AN && t[i + 1] == t[i - 1])
            {
                t[i] = t[i - 1];
            }
        }

        // W5: terminators (%, $, °) next to European digits become digits.
        for (var i = 0; i < n; i++)
        {
            if (t[i] != BidiClass.ET)
            {
                continue;
            }

            var j = i;
            while (j < n && t[j] == BidiClass.ET)
            {
                j++;
            }

            if ((i > 0 && t[i - 1] == BidiClass.EN) || (j < n && t[j] == BidiClass.EN))
            {
                Array.Fill(t, BidiClass.EN, i, j - i);
            }

            i = j - 1;
        }

        // W6: the remaining separators and terminators are neutral. W7: digits after Latin letters are Latin.
        lastStrong = sor;
        for (var i = 0; i < n; i++)
        {
            switch (t[i])
            {
                case BidiClass.ES or BidiClass.ET or BidiClass.CS:
                    t[i] = BidiClass.ON;
                    break;
                case BidiClass.L or BidiClass.R:
                    lastStrong = t[i];
                    break;
                case BidiClass.EN when lastStrong == BidiClass.L:
                    t[i] = BidiClass.L;
                    break;
            }
        }

        // N1–N2: a run of neutrals takes the direction of the text on both sides when they agree (numbers count
        // as right-to-left), otherwise the paragraph's direction.
        for (var i = 0; i < n; i++)
        {
            if (!IsNeutral(t[i]))
            {
                continue;
            }

            var j = i;
            while (j < n && IsNeutral(t[j]))
            {
                j++;
            }

            var before = i == 0 ? sor : StrongForNeutrals(t[i - 1]);
            var after = j == n ? sor : StrongForNeutrals(t[j]);
            Array.Fill(t, before == after ? before : sor, i, j - i);
            i = j - 1;
        }

        // I1–I2: implicit levels.
        var levels = new byte[n];
        for (var i = 0; i < n; i++)
        {
            levels[i] = (byte)((paragraph & 1) == 0
                ? t[i] switch { BidiClass.R => 1, BidiClass.AN or BidiClass.EN => 2, _ => 0 }
                : t[i] switch { BidiClass.L or BidiClass.EN or BidiClass.AN => 2, _ => 1 });
        }

        // L1: separators, and whitespace before them or at the end of the line, go back to the paragraph level.
        var trailing = true;
        for (var i = n - 1; i >= 0; i--)
        {
            var c = original[i];
            if (c is BidiClass.S or BidiClass.B)
            {
                levels[i] = paragraph;
                trailing = true;
            }
            else if (trailing && c is BidiClass.WS or BidiClass.BN)
            {
                levels[i] = paragraph;
            }
            else
            {
                trailing = false;
            }
        }

        return levels;
    }

    /// <summary>P2–P3: 1 when the first strong letter is right-to-left, else 0.</summary>
    internal static byte ParagraphLevel(ReadOnlySpan<BidiClass> classes)
    {
        foreach (var c in classes)
        {
            switch (c)
            {
                case BidiClass.L:
                    return 0;
                case BidiClass.R or BidiClass.AL:
                    return 1;
            }
        }

        return 0;
    }

    private static bool IsNeutral(BidiClass c) => c is BidiClass.ON or BidiClass.WS or BidiClass.S or BidiClass.B;

    private static BidiClass StrongForNeutrals(BidiClass c) => c == BidiClass.L ? BidiClass.L : BidiClass.R;

    /// <summary>The bidi class of a code point: exact for the Arabic and Hebrew blocks, general elsewhere.</summary>
    internal static BidiClass Classify(Rune rune)
    {
        var c = rune.Value;
        switch (c)
        {
            case >= '0' and <= '9':
            case >= 0x06F0 and <= 0x06F9:
            case 0x00B2 or 0x00B3 or 0x00B9 or 0x2070 or (>= 0x2074 and <= 0x2079) or (>= 0x2080 and <= 0x2089):
            case >= 0xFF10 and <= 0xFF19:
                return BidiClass.EN;
            case (>= 0x0660 and <= 0x0669) or 0x066B or 0x066C or (>= 0x0600 and <= 0x0605) or 0x06DD or 0x08E2:
                return BidiClass.AN;
            case '+' or '-' or 0x207A or 0x207B or 0x208A or 0x208B or 0x2212 or 0xFB29 or 0xFE62 or 0xFE63 or 0xFF0B or 0xFF0D:
                return BidiClass.ES;
            case '#' or '$' or '%' or (>= 0x00A2 and <= 0x00A5) or 0x00B0 or 0x00B1 or 0x0609 or 0x060A or 0x066A:
            case (>= 0x2030 and <= 0x2034) or (>= 0x20A0 and <= 0x20CF):
                return BidiClass.ET;
            case ',' or '.' or '/' or ':' or 0x00A0 or 0x060C or 0x202F or 0x2044 or 0xFE50 or 0xFE52 or 0xFE55:
            case 0xFF0C or 0xFF0E or 0xFF0F or 0xFF1A:
                return BidiClass.CS;
            case '\t' or 0x0B or 0x1F:
                return BidiClass.S;
            case '\n' or '\r' or (>= 0x1C and <= 0x1E) or 0x85 or 0x2029:
                return BidiClass.B;
            case ' ' or 0x0C or 0x1680 or (>= 0x2000 and <= 0x200A) or 0x2028 or 0x205F or 0x3000:
                return BidiClass.WS;
            case 0x200E:
                return BidiClass.L;
            case 0x200F:
                return BidiClass.R;
            case 0x061C:
                return BidiClass.AL;
            case (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069):
                return BidiClass.BN;
            case 0x0606 or 0x0607 or 0x060E or 0x060F or 0x06DE or 0x06E9 or 0xFD3E or 0xFD3F:
                return BidiClass.ON;
        }

        var category = Rune.GetUnicodeCategory(rune);
        switch (category)
        {
            case UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark:
                return BidiClass.NSM;
            case UnicodeCategory.Format or UnicodeCategory.Control:
                return BidiClass.BN;
        }

        if (c is (>= 0x0600 and <= 0x07BF) or (>= 0x0860 and <= 0x08FF) or (>= 0xFB50 and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFE)
            or (>= 0x10D00 and <= 0x10D3F) or (>= 0x1EC70 and <= 0x1EEFF))
        {
            return BidiClass.AL;
        }

        if (c is (>= 0x0590 and <= 0x05FF) or (>= 0x07C0 and <= 0x085F) or (>= 0xFB1D and <= 0xFB4F) or (>= 0x10800 and <= 0x10FFF)
            or (>= 0x1E800 and <= 0x1EFFF))
        {
            return BidiClass.R;
        }

        return category switch
        {
            UnicodeCategory.CurrencySymbol => BidiClass.ET,
            UnicodeCategory.SpaceSeparator => BidiClass.WS,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => BidiClass.ON,
            _ => BidiClass.L,
        };
    }

    /// <summary>The mirrored glyph of a paired bracket or quote (rule L4), or the character itself.</summary>
    internal static char Mirror(char c) => c switch
    {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        _ => c,
    };
}
