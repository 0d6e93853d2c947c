namespace TextSearch.Search.Paging;

/// <summary>
/// The order of document ids wherever scores tie: by Unicode code point, which is the order of their UTF-8 bytes, the
/// order Lucene's and Elasticsearch's keyword sorts use. <see cref="string.CompareOrdinal(string, string)"/> compares
/// UTF-16 code units instead, and puts a character above U+FFFF (a surrogate pair, 0xD800–0xDFFF) before one in
/// U+E000–U+FFFF; every engine, and every page, must break ties the same way.
/// </summary>
public static class IdOrder
{
    /// <summary>Negative if <paramref name="a"/> comes first, zero if equal, positive if <paramref name="b"/> does.</summary>
    public static int Compare(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
        {
            return a.Length - b.Length;
        }

        // The first difference decides: a surrogate stands for a code point above every BMP character.
        return CodePointRank(a[common]) - CodePointRank(b[common]);
    }

    /// <summary>Code units moved so that surrogates (0xD800–0xDFFF) rank above 0xE000–0xFFFF and the rest keep their order.</summary>
    private static int CodePointRank(char c) => c < 0xD800 ? c : c < 0xE000 ? c + 0x2000 : c - 0x800;
}
