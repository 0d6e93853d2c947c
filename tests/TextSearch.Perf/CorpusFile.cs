using TextSearch.Search;

namespace TextSearch.Perf;

internal static class CorpusFile
{
    /// <summary>UTF-8 bytes of the indexed text (title and body).</summary>
    public static long TextBytes(Document doc) => System.Text.Encoding.UTF8.GetByteCount(doc.Title) + System.Text.Encoding.UTF8.GetByteCount(doc.Body);
}
