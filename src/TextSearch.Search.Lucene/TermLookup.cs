using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace TextSearch.Search.Lucene;

/// <summary>
/// The term queries of one search, with their per-segment term states looked up once: one terms enumerator per
/// segment and field serves every term of that field, and a term that both phases (or several clauses) use is looked
/// up once. Lucene's own TermQuery opens a fresh enumerator per term and segment (a few kilobytes each), and the full
/// ranking has five or more terms per query word. The enumerators are the searching thread's (<paramref name="reuse"/>),
/// kept from one search to the next.
/// </summary>
internal sealed class TermLookup(IndexReaderContext top, PostingsReuse reuse)
{
    private readonly Dictionary<(string Field, string Text), TermContext> _contexts = [];
    private readonly Dictionary<string, CollectionStatistics> _statistics = [];
    private Bm25? _bm25;

    /// <summary>A term query whose term states come from this lookup.</summary>
    public TermQuery Query(string field, string text, float boost = 1f) => new(new Term(field, text), Context(field, text)) { Boost = boost };

    /// <summary>The term's states in every segment (and its statistics), looked up once per search.</summary>
    public TermContext Context(string field, string text)
    {
        if (!_contexts.TryGetValue((field, text), out var context))
        {
            var bytes = new BytesRef(text);
            context = new TermContext(top);
            foreach (var leaf in top.Leaves)
            {
                if (Terms(leaf, field) is { } terms && terms.SeekExact(bytes))
                {
                    context.Register(terms.GetTermState(), leaf.Ord, terms.DocFreq, terms.TotalTermFreq);
                }
            }

            _contexts[(field, text)] = context;
        }

        return context;
    }

    /// <summary>
    /// The segment's terms enumerator of the term's field positioned on the term from its looked-up state (no seek
    /// through the terms dictionary), or null where the segment lacks the term.
    /// </summary>
    public TermsEnum? Seek(AtomicReaderContext leaf, Term term, TermContext context)
    {
        if (context.Get(leaf.Ord) is not { } state || Terms(leaf, term.Field) is not { } terms)
        {
            return null;
        }

        terms.SeekExact(term.Bytes, state);
        return terms;
    }

    /// <summary>A field's collection statistics (for BM25's weights), computed once per search for both phases.</summary>
    public CollectionStatistics Statistics(IndexSearcher searcher, string field)
    {
        if (!_statistics.TryGetValue(field, out var statistics))
        {
            _statistics[field] = statistics = searcher.CollectionStatistics(field);
        }

        return statistics;
    }

    /// <summary>BM25 for the terms this search scores itself, its fields' length factors computed once per search.</summary>
    public Bm25 Bm25(Similarity similarity) => _bm25 ??= new Bm25(similarity);

    /// <summary>The segment's terms enumerator of a field (null when the segment lacks the field), shared by its terms.</summary>
    public TermsEnum? Terms(AtomicReaderContext leaf, string field) => reuse.Terms(leaf, field);
}
