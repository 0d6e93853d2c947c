using Lucene.Net.Index;
using Lucene.Net.Util;
using TextSearch.Search.Paging;

namespace TextSearch.Search.Lucene;

/// <summary>
/// The ids of one search's documents, read from the id sort field's doc values only when asked: ranking needs an id
/// only where two scores tie (and where a page starts at a cursor), so a window of 200 documents reads a few ids, not
/// 200. One per search (not thread-safe); each segment's doc values are opened on first use.
/// </summary>
internal sealed class DocIds(IndexReader reader)
{
    private readonly IList<AtomicReaderContext> _leaves = reader.Leaves;
    private readonly SortedDocValues?[] _values = new SortedDocValues?[reader.Leaves.Count];
    private readonly BytesRef _bytes = new();

    /// <summary>The id of <paramref name="doc"/> (a top-level document number).</summary>
    public string Of(int doc)
    {
        var leaf = ReaderUtil.SubIndex(doc, _leaves);
        (_values[leaf] ??= _leaves[leaf].AtomicReader.GetSortedDocValues(LuceneFields.IdSort)).Get(doc - _leaves[leaf].DocBase, _bytes);
        return _bytes.Utf8ToString();
    }

    /// <summary>
    /// Sorts <paramref name="items"/> by score, highest first, then by id (<see cref="IdOrder"/>), reading ids only for
    /// the runs of equal scores.
    /// </summary>
    public void SortByScoreThenId<T>(List<T> items, Func<T, float> score, Func<T, int> doc)
    {
        items.Sort((a, b) => score(b).CompareTo(score(a)));
        for (var start = 0; start < items.Count;)
        {
            var end = start + 1;
            while (end < items.Count && score(items[end]) == score(items[start]))
            {
                end++;
            }

            if (end - start > 1)
            {
                var ids = new string[end - start];
                for (var i = start; i < end; i++)
                {
                    ids[i - start] = Of(doc(items[i]));
                }

                var run = items.GetRange(start, end - start).ToArray();
                Array.Sort(ids, run, Comparer<string>.Create(IdOrder.Compare));
                for (var i = start; i < end; i++)
                {
                    items[i] = run[i - start];
                }
            }

            start = end;
        }
    }
}
