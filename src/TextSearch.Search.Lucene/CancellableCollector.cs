using Lucene.Net.Index;
using Lucene.Net.Search;

namespace TextSearch.Search.Lucene;

/// <summary>Wraps a collector and throws OperationCanceledException once the token fires (checked every 256 hits and per segment).</summary>
internal sealed class CancellableCollector(ICollector inner, CancellationToken cancellationToken) : ICollector
{
    private const int CheckEvery = 256;
    private int _sinceCheck;

    public bool AcceptsDocsOutOfOrder => inner.AcceptsDocsOutOfOrder;

    public void SetScorer(Scorer scorer) => inner.SetScorer(scorer);

    public void SetNextReader(AtomicReaderContext context)
    {
        cancellationToken.ThrowIfCancellationRequested();
        inner.SetNextReader(context);
    }

    public void Collect(int doc)
    {
        if (++_sinceCheck >= CheckEvery)
        {
            _sinceCheck = 0;
            cancellationToken.ThrowIfCancellationRequested();
        }

        inner.Collect(doc);
    }
}
