using Lucene.Net.Index;
using Lucene.Net.Search;

namespace TextSearch.Search.Lucene;

/// <summary>
/// Collects the first phase's window in one pass: the <c>size</c> best documents by score, ties broken by id, as a
/// sort by (score, id) would, without comparing ids for every match. A heap of scores gives the running threshold (the
/// size-th best score so far); a document is kept as a candidate only when its score reaches the threshold at the time
/// it is collected, and since the threshold only rises, every document of the final window, and every document tied
/// with its last, is among the candidates. Only those candidates that tie at the final threshold are ordered by id.
/// </summary>
internal sealed class WindowCollector(int size) : ICollector
{
    private readonly float[] _heap = new float[Math.Max(1, size)];
    /// <summary>Candidates kept, at most, per place in the window (ties at its edge beyond that: <see cref="Overflowed"/>).</summary>
    internal const int MaxCandidatesPerSlot = 32;

    /// <summary>The most candidates a list may hold and still be kept for the thread's next search.</summary>
    private const int MaxRetained = 1 << 16;

    // The candidates' list of the thread's last search (a window of 200 grows it to 1,600 entries a search).
    [ThreadStatic]
    private static List<(int Doc, float Score)>? t_spare;

    private readonly List<(int Doc, float Score)> _candidates = Take(size);
    private int _pruneAt = 8 * Math.Max(1, size);
    private int _heapCount;
    private int _docBase;
    private Scorer? _scorer;

    public int TotalHits { get; private set; }

    /// <summary>
    /// Order does not matter here (ties are settled by id at the end), so Lucene may score a disjunction with its
    /// bucket scorer, as it does for plain top-k searches: 7 % more questions per second in-process than in order, even
    /// with the bucket table it allocates per search.
    /// </summary>
    public bool AcceptsDocsOutOfOrder => true;

    public void SetScorer(Scorer scorer) => _scorer = scorer;

    public void SetNextReader(AtomicReaderContext context) => _docBase = context.DocBase;

    public void Collect(int doc) => Collect(_docBase + doc, _scorer!.GetScore());

    /// <summary>Collects a match by its top-level document number and score (from a scorer of its own, <see cref="TermDisjunction"/>).</summary>
    public void Collect(int doc, float score)
    {
        TotalHits++;
        if (_heapCount < _heap.Length)
        {
            Push(score);
        }
        else if (score >= _heap[0])
        {
            if (score > _heap[0])
            {
                ReplaceMin(score);
            }
        }
        else
        {
            return;
        }

        if (Overflowed)
        {
            return;
        }

        _candidates.Add((doc, score));
        if (_candidates.Count >= _pruneAt)
        {
            // Candidates that fell below the threshold can never come back. What stays is the window and its ties:
            // when they are many (a query every match scores alike, as an exclusion alone), ordering them all by id
            // is the exact sort's job (Overflowed), and the next pruning waits for the list to double.
            var threshold = Threshold;
            _candidates.RemoveAll(c => c.Score < threshold);
            if (_candidates.Count > MaxCandidatesPerSlot * _heap.Length)
            {
                Overflowed = true;
                _candidates.Clear();
                return;
            }

            _pruneAt = Math.Max(8 * _heap.Length, 2 * _candidates.Count);
        }
    }

    /// <summary>
    /// More documents tie at the window's edge than this collector orders (<see cref="MaxCandidatesPerSlot"/> per place
    /// in the window): the window must be collected by the exact (score, id) sort instead.
    /// </summary>
    public bool Overflowed { get; private set; }

    /// <summary>The window: the best documents by score, then by id (read only where scores tie, <see cref="DocIds"/>).</summary>
    public WindowDoc[] Window(DocIds ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (Overflowed)
        {
            throw new InvalidOperationException("too many ties at the window's edge: collect it by the exact sort.");
        }

        var threshold = Threshold;
        var kept = new List<WindowDoc>(Math.Min(_candidates.Count, _heap.Length * 2));
        foreach (var (doc, score) in _candidates)
        {
            if (score >= threshold)
            {
                kept.Add(new WindowDoc(doc, score));
            }
        }

        ids.SortByScoreThenId(kept, needed: _heap.Length);
        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(kept)[..Math.Min(kept.Count, _heap.Length)].ToArray();
    }

    /// <summary>Gives the candidates' list to the thread's next collector: this collector is not used after.</summary>
    public void Recycle()
    {
        if (_candidates.Capacity <= MaxRetained)
        {
            t_spare = _candidates;
        }
    }

    private static List<(int Doc, float Score)> Take(int size)
    {
        var spare = t_spare;
        t_spare = null;
        if (spare is null)
        {
            return new(Math.Max(16, size * 2));
        }

        spare.Clear();
        return spare;
    }

    /// <summary>The lowest score the window can hold: the size-th best so far (or none while fewer have been seen).</summary>
    private float Threshold => _heapCount < _heap.Length ? float.NegativeInfinity : _heap[0];

    private void Push(float score)
    {
        var i = _heapCount++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (_heap[parent] <= score)
            {
                break;
            }

            _heap[i] = _heap[parent];
            i = parent;
        }

        _heap[i] = score;
    }

    private void ReplaceMin(float score)
    {
        var i = 0;
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= _heapCount)
            {
                break;
            }

            if (child + 1 < _heapCount && _heap[child + 1] < _heap[child])
            {
                child++;
            }

            if (_heap[child] >= score)
            {
                break;
            }

            _heap[i] = _heap[child];
            i = child;
        }

        _heap[i] = score;
    }
}

/// <summary>A document of the window and its first-phase score.</summary>
internal readonly record struct WindowDoc(int Doc, float Score);
