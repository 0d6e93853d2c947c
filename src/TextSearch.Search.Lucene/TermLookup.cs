using Lucene.Net.Index;
using Lucene.Net.Search;

namespace TextSearch.Search.Lucene;

/// <summary>
/// The term queries of one search, with their per-segment term states looked up once: one terms enumerator per
/// segment and field serves every term of that field, and a term that both phases (or several clauses) use is looked
/// up once. Lucene's own TermQuery opens a fresh enumerator per term and segment (a few kilobytes each), and the full
/// ranking has five or more terms per query word.
/// </summary>
internal sealed class TermLookup(IndexReaderContext top)
{
    private readonly Dictionary<(string Field, string Text), TermContext> _contexts = [];
    private readonly Dictionary<(int Leaf, string Field), TermsEnum?> _enums = [];

    /// <summary>A term query whose term states come from this lookup.</summary>
    public TermQuery Query(string field, string text, float boost = 1f)
    {
        var term = new Term(field, text);
        if (!_contexts.TryGetValue((field, text), out var context))
        {
            context = new TermContext(top);
            foreach (var leaf in top.Leaves)
            {
                if (!_enums.TryGetValue((leaf.Ord, field), out var terms))
                {
                    terms = leaf.AtomicReader.GetTerms(field)?.GetEnumerator();
                    _enums[(leaf.Ord, field)] = terms;
                }

                if (terms is not null && terms.SeekExact(term.Bytes))
                {
                    context.Register(terms.GetTermState(), leaf.Ord, terms.DocFreq, terms.TotalTermFreq);
                }
            }

            _contexts[(field, text)] = context;
        }

        return new TermQuery(term, context) { Boost = boost };
    }
}
