using Lucene.Net.Index;
using Lucene.Net.Util;

namespace TextSearch.Search.Lucene;

/// <summary>
/// Postings enumerators kept per thread and segment for the thread's next search. Lucene's postings reader takes an
/// enumerator of the same segment back and resets it to another term; a new one clones the segment's postings input
/// and allocates its block buffers (a few kilobytes), and the window opens five or more per query word. One search at a
/// time per thread: <see cref="Begin"/> frees every enumerator the thread's last search took, and lets go of those of
/// segments the index no longer has (their inputs keep a merged-away file mapped, see <see cref="MappedFile"/>).
/// The segment's terms enumerators (<see cref="Terms"/>, one per field) are kept the same way: a new one clones the
/// terms dictionary's input and allocates the frames of its seeks, and a search looks up terms in five or more fields.
/// </summary>
internal sealed class PostingsReuse
{
    [ThreadStatic]
    private static PostingsReuse? t_reuse;

    private readonly Dictionary<object, Segment> _segments = new(ReferenceEqualityComparer.Instance);
    private int _search;

    private PostingsReuse()
    {
    }

    /// <summary>The thread's enumerators, all free for a new search of <paramref name="leaves"/> (the searcher's segments).</summary>
    public static PostingsReuse Begin(IList<AtomicReaderContext> leaves)
    {
        var reuse = t_reuse ??= new PostingsReuse();
        reuse._search++;
        if (reuse._segments.Count > leaves.Count)
        {
            // Segments were merged away since (a segment's enumerators are kept once it is searched, so the searcher
            // has fewer segments than are kept only then): keep those still searched.
            var current = new HashSet<object>(leaves.Select(l => l.AtomicReader.CoreCacheKey), ReferenceEqualityComparer.Instance);
            foreach (var key in reuse._segments.Keys.Where(k => !current.Contains(k)).ToList())
            {
                reuse._segments.Remove(key);
            }
        }

        return reuse;
    }

    /// <summary>
    /// The segment's terms enumerator of <paramref name="field"/> (null where the segment lacks the field): the same
    /// one for every search of the thread, positioned by each lookup (a seek does not depend on where it was).
    /// </summary>
    public TermsEnum? Terms(AtomicReaderContext leaf, string field)
    {
        var segment = Of(leaf);
        if (!segment.Terms.TryGetValue(field, out var terms))
        {
            segment.Terms[field] = terms = leaf.AtomicReader.GetTerms(field)?.GetEnumerator();
        }

        return terms;
    }

    /// <summary>
    /// The term's documents and frequencies in <paramref name="leaf"/> (<paramref name="terms"/> positioned on it, a
    /// term of <paramref name="field"/>). Enumerators are kept per field: the postings reader takes one back only for a
    /// field indexed as the one it was made for (the exact forms have no positions, the stems do).
    /// </summary>
    public DocsEnum Docs(AtomicReaderContext leaf, string field, TermsEnum terms, IBits? live)
    {
        var kept = Of(leaf, field);
        var i = kept.DocsTaken++;
        var docs = terms.Docs(live, i < kept.Docs.Count ? kept.Docs[i] : null, DocsFlags.FREQS);
        Keep(kept.Docs, i, docs);
        return docs;
    }

    /// <summary>The term's documents, frequencies and positions in <paramref name="leaf"/> (as <see cref="Docs"/>).</summary>
    public DocsAndPositionsEnum Positions(AtomicReaderContext leaf, string field, TermsEnum terms, IBits? live)
    {
        var kept = Of(leaf, field);
        var i = kept.PositionsTaken++;
        var positions = terms.DocsAndPositions(live, i < kept.Positions.Count ? kept.Positions[i] : null);
        Keep(kept.Positions, i, positions);
        return positions;
    }

    private static void Keep<T>(List<T> kept, int i, T taken)
    {
        if (i < kept.Count)
        {
            kept[i] = taken; // the same one, or a new one where the kept one could not serve this field
        }
        else
        {
            kept.Add(taken);
        }
    }

    private Segment Of(AtomicReaderContext leaf)
    {
        var key = leaf.AtomicReader.CoreCacheKey;
        if (!_segments.TryGetValue(key, out var segment))
        {
            _segments[key] = segment = new Segment();
        }

        return segment;
    }

    private FieldEnums Of(AtomicReaderContext leaf, string field)
    {
        var segment = Of(leaf);
        if (!segment.Fields.TryGetValue(field, out var kept))
        {
            segment.Fields[field] = kept = new FieldEnums();
        }

        if (kept.Search != _search)
        {
            (kept.Search, kept.DocsTaken, kept.PositionsTaken) = (_search, 0, 0);
        }

        return kept;
    }

    private sealed class Segment
    {
        public Dictionary<string, FieldEnums> Fields { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, TermsEnum?> Terms { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>A segment's postings enumerators of one field, and how many of each the current search has taken.</summary>
    private sealed class FieldEnums
    {
        public List<DocsEnum> Docs { get; } = [];

        public List<DocsAndPositionsEnum> Positions { get; } = [];

        public int Search { get; set; }

        public int DocsTaken { get; set; }

        public int PositionsTaken { get; set; }
    }
}
