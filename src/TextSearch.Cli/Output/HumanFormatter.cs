using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using TextSearch.V1;

namespace TextSearch.Cli.Output;

/// <summary>
/// Human-readable output for each command. Pure formatting: it gets the responses, never calls the server. Highlight
/// ranges are read as UTF-16 offsets, so the requests behind them must ask for <see cref="OffsetEncoding.Utf16"/>.
/// </summary>
internal sealed class HumanFormatter(DisplayOptions options)
{
    private const string Indent = "    ";

    public DisplayOptions Options { get; } = options;

    public string Normalize(NormalizeResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var sb = new StringBuilder();
        AppendBlock(sb, StyledText.Plain(response.Normalized), indent: string.Empty);
        return sb.ToString();
    }

    public string Analyze(AnalyzeResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Tokens.Count == 0)
        {
            return "(no tokens)" + Environment.NewLine;
        }

        string[] header = ["pos", "text", "term", "stem", "flags"];
        var rows = response.Tokens.Select(t => new[]
        {
            t.Position.ToString(CultureInfo.InvariantCulture),
            Cell(t.Text),
            Cell(t.Term),
            Cell(t.Stem),
            string.Join(",", new[] { t.Stopword ? "stopword" : null, t.Number ? "number" : null }.OfType<string>()),
        }).ToList();

        // Cells are reordered one by one in visual mode, so the columns stay aligned; widths count text elements.
        var widths = new int[header.Length];
        foreach (var row in rows.Prepend(header))
        {
            for (var c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], StyledText.Columns(row[c]));
            }
        }

        var sb = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            var line = new StringBuilder();
            for (var c = 0; c < row.Length; c++)
            {
                var pad = new string(' ', widths[c] - StyledText.Columns(row[c]));
                line.Append(c == 0 ? pad + row[c] : row[c] + pad);
                line.Append(c < row.Length - 1 ? "  " : string.Empty);
            }

            sb.Append(line.ToString().TrimEnd()).AppendLine();
        }

        return sb.ToString();
    }

    public string Search(SearchResponse response, string query, int? pageSize) =>
        Search(response, query, pageSize is { } size ? ["--page-size", size.ToString(CultureInfo.InvariantCulture)] : []);

    /// <summary>
    /// The hits, the facets, the total and the next page. <paramref name="repeat"/> are the options that ask for the same
    /// search again (page size, filters, sort order, ...): the "next page" command repeats them before its --page-token.
    /// A blank <paramref name="query"/> (a listing of a filter) is left out of that command.
    /// </summary>
    public string Search(SearchResponse response, string query, IReadOnlyList<string> repeat)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(repeat);
        var sb = new StringBuilder();
        AppendHits(sb, response);
        AppendFacets(sb, response.Facets);
        sb.Append("total hits: ").Append(response.TotalHits.ToString(CultureInfo.InvariantCulture)).AppendLine();
        if (response.NextPageToken.Length > 0)
        {
            sb.Append("next page token: ").Append(response.NextPageToken).AppendLine();
            sb.Append("next page: textsearch search");
            foreach (var arg in repeat)
            {
                sb.Append(' ').Append(ShellQuote(arg));
            }

            sb.Append(" --page-token ").Append(ShellQuote(response.NextPageToken));
            if (query.Length > 0)
            {
                sb.Append(query.StartsWith('-') ? " -- " : " ").Append(ShellQuote(query));
            }

            sb.AppendLine();
        }
        else
        {
            sb.AppendLine("next page token: (none, last page)");
        }

        return sb.ToString();
    }

    /// <summary>The documents related to one: its hits as search shows them, then how many matched.</summary>
    public string Related(SearchResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var sb = new StringBuilder();
        AppendHits(sb, response, none: "no related documents");
        sb.Append("total hits: ").Append(response.TotalHits.ToString(CultureInfo.InvariantCulture)).AppendLine();
        return sb.ToString();
    }

    /// <summary>One row per suggestion: the completed text, the completed word normalized, the documents holding it.</summary>
    public string Suggestions(SuggestResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Suggestions.Count == 0)
        {
            return "(no suggestions)" + Environment.NewLine;
        }

        var sb = new StringBuilder();
        AppendTable(
            sb,
            ["suggestion", "normalized", "documents"],
            [.. response.Suggestions.Select(s => new[] { Cell(s.Text), Cell(s.Normalized), s.Count.ToString(CultureInfo.InvariantCulture) })],
            rightAligned: 2,
            indent: string.Empty);
        return sb.ToString();
    }

    private void AppendHits(StringBuilder sb, SearchResponse response, string none = "no hits")
    {
        var rankWidth = response.Hits.Count.ToString(CultureInfo.InvariantCulture).Length;
        for (var i = 0; i < response.Hits.Count; i++)
        {
            var hit = response.Hits[i];
            var rank = (i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(rankWidth) + ". ";
            var title = hit.Title.Length == 0
                ? StyledText.Plain("(untitled)")
                : StyledText.WithHighlights(hit.Title, hit.TitleHighlights.Select(h => (h.Start, h.End))).SingleLine();
            AppendBlock(sb, title, indent: rank, continuation: new string(' ', rank.Length));

            var facts = new List<string> { "id " + hit.Id, "score " + hit.Score.ToString("0.000", CultureInfo.InvariantCulture) };
            if (hit.Source.Length > 0)
            {
                facts.Add("source " + Cell(hit.Source));
            }

            if (hit.PublishedAt is not null)
            {
                facts.Add("date " + Date(hit.PublishedAt));
            }

            sb.Append(Indent).AppendJoin("  ·  ", facts).AppendLine();
            foreach (var snippet in hit.Snippets)
            {
                AppendBlock(sb, SnippetText(snippet), indent: Indent);
            }

            sb.AppendLine();
        }

        if (response.Hits.Count == 0)
        {
            sb.AppendLine(none);
        }
    }

    /// <summary>
    /// Each facet as a small table under its name: value and count, by count (the server's order); then a blank line.
    /// </summary>
    private void AppendFacets(StringBuilder sb, IReadOnlyList<Facet> facets)
    {
        if (facets.Count == 0)
        {
            return;
        }

        if (sb.Length > 0 && !sb.ToString().EndsWith(Environment.NewLine + Environment.NewLine, StringComparison.Ordinal))
        {
            sb.AppendLine();
        }

        foreach (var facet in facets)
        {
            sb.Append("facet ").Append(facet.Field).AppendLine(":");
            if (facet.Values.Count == 0)
            {
                sb.Append(Indent).AppendLine("(no values)");
            }
            else
            {
                AppendTable(
                    sb,
                    [facet.Field == "published_at" ? "month" : facet.Field, "count"],
                    [.. facet.Values.Select(v => new[] { Cell(v.Value), v.Count.ToString(CultureInfo.InvariantCulture) })],
                    rightAligned: 1,
                    indent: Indent);
            }

            sb.AppendLine();
        }
    }

    /// <summary>
    /// Columns separated by two spaces, widths in text elements (cells are already in display order, so the columns stay
    /// aligned in visual mode); column <paramref name="rightAligned"/> (numbers) is aligned to the right.
    /// </summary>
    private static void AppendTable(StringBuilder sb, string[] header, IReadOnlyList<string[]> rows, int rightAligned, string indent)
    {
        var widths = new int[header.Length];
        foreach (var row in rows.Prepend(header))
        {
            for (var c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], StyledText.Columns(row[c]));
            }
        }

        foreach (var row in rows.Prepend(header))
        {
            var line = new StringBuilder(indent);
            for (var c = 0; c < row.Length; c++)
            {
                var pad = new string(' ', widths[c] - StyledText.Columns(row[c]));
                line.Append(c == rightAligned ? pad + row[c] : row[c] + pad);
                line.Append(c < row.Length - 1 ? "  " : string.Empty);
            }

            sb.Append(line.ToString().TrimEnd()).AppendLine();
        }
    }

    public string Snippets(SnippetResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Snippets.Count == 0)
        {
            return "(no snippets: the query does not occur in the document)" + Environment.NewLine;
        }

        var sb = new StringBuilder();
        var width = response.Snippets.Count.ToString(CultureInfo.InvariantCulture).Length;
        for (var i = 0; i < response.Snippets.Count; i++)
        {
            var label = (i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width) + ". ";
            AppendBlock(sb, SnippetText(response.Snippets[i]), indent: label, continuation: new string(' ', label.Length));
        }

        return sb.ToString();
    }

    public string Document(Document document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var sb = new StringBuilder();
        sb.Append("id:      ").Append(document.Id).AppendLine();
        AppendBlock(sb, StyledText.Plain(document.Title).SingleLine(), indent: "title:   ", continuation: "         ");
        if (document.Source.Length > 0)
        {
            AppendBlock(sb, StyledText.Plain(document.Source).SingleLine(), indent: "source:  ", continuation: "         ");
        }

        if (document.PublishedAt is not null)
        {
            sb.Append("date:    ").Append(Date(document.PublishedAt)).AppendLine();
        }

        foreach (var (key, value) in document.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sb.Append("meta:    ").Append(key).Append(" = ").Append(Cell(value)).AppendLine();
        }

        sb.AppendLine();
        AppendBlock(sb, StyledText.Plain(document.Body), indent: string.Empty);
        return sb.ToString();
    }

    public static string Deleted(DeleteDocumentResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return $"deleted {response.Id}{Environment.NewLine}";
    }

    /// <summary>The fragment, with an ellipsis when it does not start at the beginning of the field.</summary>
    private static StyledText SnippetText(V1.Snippet snippet)
    {
        var prefix = snippet.Start > 0 ? "… " : string.Empty;
        return StyledText.WithHighlights(
            prefix + snippet.Text,
            snippet.Highlights.Select(h => (h.Start + prefix.Length, h.End + prefix.Length))).SingleLine();
    }

    /// <summary>
    /// Appends text line by line after <paramref name="indent"/> (later lines after <paramref name="continuation"/>).
    /// In visual mode each line is first wrapped to the terminal width, then reordered, so the wrapped pieces read in order.
    /// </summary>
    private void AppendBlock(StringBuilder sb, StyledText text, string indent, string? continuation = null)
    {
        continuation ??= indent;
        var first = true;
        foreach (var line in text.Lines())
        {
            var pieces = Options.Visual ? line.Wrap(Math.Max(20, Options.Width - indent.Length)) : [line];
            foreach (var piece in pieces)
            {
                sb.Append(first ? indent : continuation).Append(piece.Render(Options)).AppendLine();
                first = false;
            }
        }

        if (first)
        {
            sb.Append(indent.TrimEnd()).AppendLine();
        }
    }

    /// <summary>A short single-line field (a table cell, a source) in the display order.</summary>
    private string Cell(string text) => StyledText.Plain(text).SingleLine().Render(Options with { Color = false, Brackets = false });

    private static string Date(Timestamp timestamp) =>
        timestamp.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Quotes an argument for a POSIX shell (left bare when it is safe).</summary>
    internal static string ShellQuote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '+' or ',' || char.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark))
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
