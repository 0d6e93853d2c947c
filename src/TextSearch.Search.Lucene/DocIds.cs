using System.Runtime.InteropServices;
using Lucene.Net.Index;
using Lucene.Net.Util;
using TextSearch.Search.Paging;

namespace TextSearch.Search.Lucene;

/// <summary>
/// The ids of one search's documents, read from the id sort field's doc values only when asked: ranking needs an id
/// only where two scores tie (and where a page starts at a cursor), so a window reads the ids of its tied documents
/// only. One per search (not thread-safe); each segment's doc values are opened on first use.
/// </summary>
internal sealed class DocIds(IndexReader reader)
{
    private static readonly IComparer<string> ByIdOrder = Comparer<string>.Create(IdOrder.Compare);

    private readonly IList<AtomicReaderContext> _leaves = reader.Leaves;
    private readonly SortedDocValues?[] _values = new SortedDocValues?[reader.Leaves.Count];
    private readonly BytesRef _bytes = new();

    /// <summary>The id of <paramref name="doc"/> (a top-level document number).</summary>
    public string Of(int doc)
    {
        var leaf = ReaderUtil.SubIndex(doc, _leaves);
        (_values[leaf] ??= _leaves[leaf].AtomicReader.GetSortedDocValues(LuceneFields.IdSort)).Get(doc - _leaves[leaf].DocBase, _bytes);
        // Straight to a string (Lucene's Utf8ToString goes through a CharsRef and its array first).
        return System.Text.Encoding.UTF8.GetString(_bytes.Bytes, _bytes.Offset, _bytes.Length);
    }

    /// <summary>
    /// Sorts <paramref name="docs"/> by score, highest first, then by id (<see cref="IdOrder"/>), reading ids only for
    /// the runs of equal scores; past the first <paramref name="needed"/> places, only by score.
    /// </summary>
    public void SortByScoreThenId(List<WindowDoc> docs, int needed = int.MaxValue)
    {
        var span = CollectionsMarshal.AsSpan(docs);
        SortByScore(span);
        string[]? ids = null;
        for (var start = 0; start < span.Length && start < needed;)
        {
            var end = start + 1;
            while (end < span.Length && span[end].Score == span[start].Score)
            {
                end++;
            }

            if (end - start > 1)
            {
                var run = span[start..end];
                if (ids is null || ids.Length < run.Length)
                {
                    ids = new string[Math.Max(run.Length, 16)];
                }

                var keys = ids.AsSpan(0, run.Length);
                for (var i = 0; i < run.Length; i++)
                {
                    keys[i] = Of(run[i].Doc);
                }

                keys.Sort(run, ByIdOrder);
            }

            start = end;
        }
    }

    /// <summary>
    /// Sorts <paramref name="docs"/> by score, highest first (in no particular order where scores tie), on the scores
    /// as keys: a sort of primitive keys compares inline, where a comparison delegate costs a call per comparison.
    /// </summary>
    internal static void SortByScore(Span<WindowDoc> docs)
    {
        var keys = docs.Length <= 512 ? stackalloc float[docs.Length] : new float[docs.Length];
        for (var i = 0; i < docs.Length; i++)
        {
            keys[i] = -docs[i].Score;
        }

        keys.Sort(docs);
    }

    /// <summary>Sorts <paramref name="docs"/> by document number (on the numbers as keys, see <see cref="SortByScore"/>).</summary>
    internal static void SortByDoc(Span<WindowDoc> docs)
    {
        var keys = docs.Length <= 1024 ? stackalloc int[docs.Length] : new int[docs.Length];
        for (var i = 0; i < docs.Length; i++)
        {
            keys[i] = docs[i].Doc;
        }

        keys.Sort(docs);
    }
}
