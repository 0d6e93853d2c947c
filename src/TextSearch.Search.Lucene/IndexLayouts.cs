namespace TextSearch.Search.Lucene;

/// <summary>
/// The layouts of the embedded engine's index, as its commit data names them (<c>textsearch.layout</c>), and what each
/// changed. An index of another layout that holds documents is refused at open: its searches would silently miss what
/// this version's fields find. The refusal says what changed since the index's layout.
/// </summary>
internal static class IndexLayouts
{
    /// <summary>The layout this version writes and reads.</summary>
    public const int Current = 7;

    /// <summary>
    /// The <see cref="Analysis.VariantKey.Revision"/> the current layout's <c>body_key</c> holds. A new key revision
    /// needs a new layout: the keys of an old index would no longer meet the query's (a test holds the two together).
    /// </summary>
    public const int VariantKeyRevision = 3;

    /// <summary>What each layout changed against the one before it (layout 1: written before layouts were named).</summary>
    private static readonly string[] s_changes =
    [
        "",
        "",
        "the body's variant keys and the title stored apart from its analysis",
        "the filter, sort, facet and completion fields",
        "the exact forms and variant keys without positions, and the completion words read from the exact forms",
        "variant keys of revision 2 (every stem of three letters or more has one, its proclitic, person prefix and final ت dropped)",
        "variant keys with positions (proximity is measured between the query words' keys)",
        "variant keys of revision 3 (stems of four letters have a skeleton too: عاصمة meets عاصمتها), and the number class at every number's position in body_key",
    ];

    /// <summary>Why an index of <paramref name="layout"/> (null: written before layouts were named) cannot be served, and what to do.</summary>
    public static string Refusal(string path, string? layout)
    {
        const string Advice = "Start with a new TextSearch:IndexPath and reindex (the seeds are indexed at start-up).";
        var found = layout ?? "1";
        if (!int.TryParse(found, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return $"the index at {path} names an unknown index layout '{found}'; this version reads layout {Current}. {Advice}";
        }

        if (number > Current)
        {
            return $"the index at {path} was written by a newer TextSearch (index layout {number}; this version reads layout {Current}). "
                + $"Serve it with that version, or start with a new TextSearch:IndexPath and reindex.";
        }

        var changes = string.Join("; ", Enumerable.Range(number + 1, Current - number).Select(l => $"layout {l}: {s_changes[l]}"));
        return $"the index at {path} was written by an older TextSearch (index layout {number}; this version reads layout {Current}, "
            + $"whose fields differ: {changes}). {Advice}";
    }
}
