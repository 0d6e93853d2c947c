using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TextSearch.Analysis;

namespace TextSearch.Search.Ingestion;

/// <summary>
/// Turns a saved news page (plain text) into a <see cref="Document"/>: picks out the title, the publication date
/// («تاريخ الخبر: 14-10-2017»), the source («المصدر: الخليج», or a byline such as «وكالات – الإمارات 71» just above
/// the date) and the body, and leaves site chrome out: the timestamped headline ticker, share and section labels
/// («مشاركة :», «أقسام», «أخبار متعلقة») and trailing notices in other scripts (a cookie banner).
/// </summary>
public static partial class ArticleExtractor
{
    private const int MaxTitleChars = 200;
    private const int MaxBylineWords = 8;

    private static readonly HashSet<string> ChromeLabels = new(StringComparer.Ordinal)
    {
        "أحدث الأخبار", "مشاركة", "مشاركة :", "مشاركة:", "شارك", "أقسام", "أخبار متعلقة", "اقرأ أيضا", "اقرأ أيضاً", "المزيد",
    };

    [GeneratedRegex(@"^\s*[•·▪\-\*]?\s*[0-9٠-٩]{1,2}:[0-9٠-٩]{2}\s*\.")]
    private static partial Regex TickerLine();

    [GeneratedRegex(@"^\s*تاريخ (?:الخبر|النشر)\s*:\s*([0-9٠-٩]{1,2})[-/.]([0-9٠-٩]{1,2})[-/.]([0-9٠-٩]{4})\s*$")]
    private static partial Regex DateLine();

    [GeneratedRegex(@"^\s*المصدر\s*:\s*(.+?)\s*$")]
    private static partial Regex SourceLine();

    public static Document Extract(string id, string text, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').ToList();

        // The headline ticker above the article, and its heading.
        var firstContent = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || ChromeLabels.Contains(line) || TickerLine().IsMatch(line))
            {
                firstContent = i + 1;
                continue;
            }

            break;
        }

        lines = lines[firstContent..];

        // Trailing notices in another script (a cookie banner) and trailing chrome labels.
        var section = false;
        lines = [.. lines.Where((l, i) => !IsChrome(lines, i, ref section))];
        while (lines.Count > 0 && (lines[^1].Trim().Length == 0 || !HasArabicLetter(lines[^1])))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        string source = string.Empty;
        DateTimeOffset? published = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (DateLine().Match(line) is { Success: true } date)
            {
                published = ParseDate(date);
                lines[i] = string.Empty;

                // A short byline right above the date is the source («وكالات – الإمارات 71»).
                var above = PreviousNonEmpty(lines, i);
                if (above >= 0 && source.Length == 0 && IsByline(lines[above]))
                {
                    source = lines[above].Trim();
                    lines[above] = string.Empty;
                }
            }
            else if (SourceLine().Match(line) is { Success: true } src)
            {
                source = src.Groups[1].Value;
                lines[i] = string.Empty;
            }
        }

        var titleIndex = lines.FindIndex(l => l.Trim().Length > 0);
        var title = string.Empty;
        if (titleIndex >= 0)
        {
            var first = lines[titleIndex].Trim();
            if (first.Length <= MaxTitleChars)
            {
                title = first;
                lines[titleIndex] = string.Empty;
            }
            else
            {
                // No headline line: the first sentence stands in for it, and stays in the body.
                title = FirstSentence(first);
            }
        }

        return new Document
        {
            Id = id,
            Title = title,
            Body = JoinParagraphs(lines),
            Source = source,
            PublishedAt = published,
            Metadata = metadata ?? Document.EmptyMetadata,
        };
    }

    private static bool IsChrome(List<string> lines, int i, ref bool afterSectionLabel)
    {
        var line = lines[i].Trim();
        if (line == "أقسام")
        {
            afterSectionLabel = true;
            return true;
        }

        if (afterSectionLabel && line.Length > 0)
        {
            afterSectionLabel = false;

            // The section name under «أقسام» («من سوريا»).
            if (line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 3)
            {
                return true;
            }
        }

        return ChromeLabels.Contains(line) || TickerLine().IsMatch(line);
    }

    private static bool HasArabicLetter(string line) => line.Any(c => ArabicChars.IsArabic(c) && char.IsLetter(c));

    private static bool IsByline(string line)
    {
        var trimmed = line.Trim();
        var words = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return words is > 0 and <= MaxBylineWords && !trimmed.EndsWith('.') && !trimmed.EndsWith('،');
    }

    private static int PreviousNonEmpty(List<string> lines, int i)
    {
        for (var j = i - 1; j >= 0; j--)
        {
            if (lines[j].Trim().Length > 0)
            {
                return j;
            }
        }

        return -1;
    }

    private static DateTimeOffset? ParseDate(Match m)
    {
        var day = ParseDigits(m.Groups[1].Value);
        var month = ParseDigits(m.Groups[2].Value);
        var year = ParseDigits(m.Groups[3].Value);
        return DateTime.TryParseExact($"{year:D4}-{month:D2}-{day:D2}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? new DateTimeOffset(d, TimeSpan.Zero)
            : null;
    }

    private static int ParseDigits(string s) => int.Parse(ArabicNormalizer.Default.NormalizeToString(s), CultureInfo.InvariantCulture);

    private static string FirstSentence(string paragraph)
    {
        var end = paragraph.IndexOfAny(['.', '؟', '!', '،', '؛']);
        if (end > 0 && end <= MaxTitleChars)
        {
            return paragraph[..end].Trim();
        }

        var cut = paragraph.LastIndexOf(' ', Math.Min(paragraph.Length - 1, MaxTitleChars / 2));
        return (cut > 0 ? paragraph[..cut] : paragraph[..Math.Min(paragraph.Length, MaxTitleChars / 2)]).Trim();
    }

    private static string JoinParagraphs(List<string> lines)
    {
        var sb = new StringBuilder();
        var blank = false;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.Trim().Length == 0)
            {
                blank = sb.Length > 0;
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(blank ? "\n\n" : "\n");
            }

            sb.Append(line.Trim());
            blank = false;
        }

        return sb.ToString();
    }
}
