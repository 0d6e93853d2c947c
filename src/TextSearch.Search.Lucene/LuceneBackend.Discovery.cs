using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using TextSearch.Analysis;
using LuceneQuery = Lucene.Net.Search.Query;
using LuceneOccur = Lucene.Net.Search.Occur;

namespace TextSearch.Search.Lucene;

/// <summary>Filters and facets of a search, completions (Suggest) and document frequencies (Related).</summary>
public sealed partial class LuceneBackend
{
    /// <summary>The search's filter (and the document it leaves out) as a Lucene filter; null when there is none.</summary>
    private static Filter? Filter(BackendSearch search)
    {
        var spec = search.Filter;
        if (spec.IsEmpty && search.ExcludeId is null)
        {
            return null;
        }

        var all = new BooleanQuery(disableCoord: true);
        if (spec.SourceKeys.Count > 0)
        {
            var any = new BooleanQuery(disableCoord: true);
            foreach (var key in spec.SourceKeys)
            {
                any.Add(new TermQuery(new Term(LuceneFields.SourceKey, key)), LuceneOccur.SHOULD);
            }

            all.Add(any, LuceneOccur.MUST);
        }

        if (spec.AfterMillis is not null || spec.BeforeMillis is not null)
        {
            // [after, before): the upper bound is exclusive.
            all.Add(NumericRangeQuery.NewInt64Range(LuceneFields.PublishedMillis, spec.AfterMillis, spec.BeforeMillis, minInclusive: true, maxInclusive: false), LuceneOccur.MUST);
        }

        foreach (var pair in spec.MetadataPairs)
        {
            all.Add(new TermQuery(new Term(LuceneFields.MetadataPairs, pair)), LuceneOccur.MUST);
        }

        if (search.ExcludeId is { } id)
        {
            if (all.Clauses.Count == 0)
            {
                all.Add(new MatchAllDocsQuery(), LuceneOccur.MUST);
            }

            all.Add(new TermQuery(new Term(LuceneFields.Id, id)), LuceneOccur.MUST_NOT);
        }

        return new QueryWrapperFilter(all);
    }

    /// <summary>The query restricted by the filter; its scores unchanged.</summary>
    private static LuceneQuery Filtered(LuceneQuery query, Filter? filter) => filter is null ? query : new FilteredQuery(query, filter);

    public Task<IReadOnlyList<SuggestEntry>> SuggestAsync(string prefix, int size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return Task.FromResult(Read(cancellationToken, searcher =>
        {
            var reader = searcher.IndexReader;
            if (prefix.Length > CachedPrefixChars)
            {
                return Suggest(reader, prefix, size, cancellationToken).Entries;
            }

            // A short prefix scans many words (every word of the index starts with one of a few dozen letters, and a
            // third of Arabic words with "ال"): its answer is kept for this reader, as long as the index is unchanged.
            // The most there may be is kept, and cut to the size asked. Only long scans are kept (a prefix no word has,
            // or few words, is cheap to answer again), so the prefixes kept are the few that begin many words.
            var cache = SuggestCache.GetValue(reader, _ => new System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<SuggestEntry>>(StringComparer.Ordinal));
            if (!cache.TryGetValue(prefix, out var cached))
            {
                var (entries, scanned) = Suggest(reader, prefix, Limits.MaxSuggestSize, cancellationToken);
                cached = entries;
                if (scanned >= LongScanTerms && cache.Count < CachedPrefixes)
                {
                    cache[prefix] = cached;
                }
            }

            return cached.Count <= size ? cached : [.. cached.Take(size)];
        }));
    }

    /// <summary>Completions of prefixes up to this long are kept per reader.</summary>
    private const int CachedPrefixChars = 3;

    private const int CachedPrefixes = 4096;

    /// <summary>A scan of this many completion terms or more is worth keeping.</summary>
    private const int LongScanTerms = 2048;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IndexReader, System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<SuggestEntry>>> SuggestCache = new();

    private static readonly List<(string Spelling, long Count)> NoSpellings = [];

    /// <summary>
    /// The completions of <paramref name="prefix"/>: range scans of the completion terms (the markers and spellings of
    /// the words some document writes otherwise, and the words themselves unless the schema reads them from the exact
    /// field: <see cref="LuceneSchema.SuggestWordsField"/>) and of the words; the best <paramref name="size"/> words are
    /// kept, each with its best spelling. Scanned: the terms read.
    /// </summary>
    private (IReadOnlyList<SuggestEntry> Entries, int Scanned) Suggest(IndexReader reader, string prefix, int size, CancellationToken cancellationToken)
    {
        var live = MultiFields.GetLiveDocs(reader);
        var wordsApart = Schema.SuggestWordsField != LuceneFields.Suggest;
        var words = new List<(string Word, long Count)>();
        var varied = new Dictionary<string, (long Marker, List<(string Spelling, long Count)> Spellings)>(StringComparer.Ordinal);
        var scanned = Scan(LuceneFields.Suggest, (text, count) =>
        {
            var (w, s) = SuggestTerms.Split(text);
            if (w.Length == text.Length)
            {
                // A word: counted from here only when the completion field holds the words (an index written with
                // other ranking settings may hold some while the schema reads them from the exact forms).
                if (!wordsApart)
                {
                    words.Add((w, count));
                }

                return;
            }

            ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(varied, w, out var exists);
            if (!exists)
            {
                entry = (0, []);
            }

            if (s.Length == 0)
            {
                entry.Marker = count;
            }
            else
            {
                entry.Spellings.Add((s, count));
            }
        });
        if (wordsApart)
        {
            scanned += Scan(Schema.SuggestWordsField, (text, count) =>
            {
                if (text.Length >= SuggestTerms.MinLength)
                {
                    words.Add((text, count));
                }
            });
        }

        var best = new PriorityQueue<SuggestEntry, (long Count, string Word)>(size + 1, Worst.Instance);
        foreach (var (word, count) in words)
        {
            if (count == 0)
            {
                continue;
            }

            // Most words have no other spelling: they share one empty list instead of a new one each.
            var (marker, spellings) = varied.TryGetValue(word, out var v) ? v : (0, NoSpellings);
            best.Enqueue(new SuggestEntry(word, SuggestTerms.BestSpelling(word, count, marker, spellings).Spelling, count), (count, word));
            if (best.Count > size)
            {
                best.Dequeue();
            }
        }

        var result = new List<SuggestEntry>(best.Count);
        while (best.TryDequeue(out var entry, out _))
        {
            result.Add(entry);
        }

        result.Reverse();
        return (result, scanned);

        // Every term of the field from the prefix on that starts with it, with its live documents; the terms read.
        int Scan(string field, Action<string, long> take)
        {
            var terms = MultiFields.GetTerms(reader, field);
            var start = new BytesRef(prefix);
            var iterator = terms?.GetEnumerator();
            if (iterator is null || iterator.SeekCeil(start) == TermsEnum.SeekStatus.END)
            {
                return 0;
            }

            DocsEnum? docs = null;
            var read = 0;
            do
            {
                var term = iterator.Term;
                if (!StringHelper.StartsWith(term, start))
                {
                    break;
                }

                if ((++read & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                take(term.Utf8ToString(), Live(iterator, live, ref docs));
            }
            while (iterator.MoveNext());
            return read;
        }
    }

    /// <summary>The live documents of the current term (its document frequency when the index has no deletions).</summary>
    private static long Live(TermsEnum iterator, IBits? live, ref DocsEnum? docs)
    {
        if (live is null)
        {
            return iterator.DocFreq;
        }

        docs = iterator.Docs(live, docs, DocsFlags.NONE);
        long count = 0;
        while (docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
        {
            count++;
        }

        return count;
    }

    /// <summary>Orders the kept completions so the worst is dequeued first: fewer documents, then the later word.</summary>
    private sealed class Worst : IComparer<(long Count, string Word)>
    {
        public static readonly Worst Instance = new();

        public int Compare((long Count, string Word) x, (long Count, string Word) y) =>
            x.Count != y.Count ? x.Count.CompareTo(y.Count) : string.CompareOrdinal(y.Word, x.Word);
    }

    public Task<IReadOnlyDictionary<string, long>> DocumentFrequenciesAsync(IReadOnlyCollection<string> stems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stems);
        return Task.FromResult(Read(cancellationToken, searcher =>
        {
            var reader = searcher.IndexReader;
            var terms = MultiFields.GetTerms(reader, LuceneFields.Body);
            var live = MultiFields.GetLiveDocs(reader);
            var result = new Dictionary<string, long>(stems.Count, StringComparer.Ordinal);
            if (terms is null)
            {
                return (IReadOnlyDictionary<string, long>)result;
            }

            var iterator = terms.GetEnumerator();
            DocsEnum? docs = null;
            foreach (var stem in stems)
            {
                cancellationToken.ThrowIfCancellationRequested();
                result[stem] = iterator.SeekExact(new BytesRef(stem)) ? Live(iterator, live, ref docs) : 0;
            }

            return result;
        }));
    }

    /// <summary>
    /// Counts facet values over every document collected: the normalized source (per segment by ordinal, turned into
    /// values when the segment ends) and the month of the date.
    /// </summary>
    private sealed class FacetCounter(IReadOnlyList<FacetField> fields) : ICollector
    {
        private readonly bool _sources = fields.Contains(FacetField.Source);
        private readonly bool _months = fields.Contains(FacetField.PublishedAt);
        private readonly Dictionary<string, long> _sourceCounts = new(StringComparer.Ordinal);
        private readonly Dictionary<long, long> _monthCounts = [];
        private SortedDocValues? _sourceValues;
        private int[] _ordCounts = [];
        private NumericDocValues? _dates;
        private IBits? _dated;

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer)
        {
        }

        public void SetNextReader(AtomicReaderContext context)
        {
            FlushSegment();
            var reader = context.AtomicReader;
            if (_sources)
            {
                _sourceValues = reader.GetSortedDocValues(LuceneFields.SourceKey);
                _ordCounts = _sourceValues is null ? [] : new int[_sourceValues.ValueCount];
            }

            if (_months)
            {
                _dates = reader.GetNumericDocValues(LuceneFields.PublishedMillis);
                _dated = reader.GetDocsWithField(LuceneFields.PublishedMillis);
            }
        }

        public void Collect(int doc)
        {
            if (_sourceValues is { } values && values.GetOrd(doc) is var ord and >= 0)
            {
                _ordCounts[ord]++;
            }

            if (_dates is { } dates && _dated is { } dated && dated.Get(doc))
            {
                var month = DocumentKeys.MonthStart(dates.Get(doc));
                _monthCounts[month] = _monthCounts.GetValueOrDefault(month) + 1;
            }
        }

        public IReadOnlyList<FacetResult> Results()
        {
            FlushSegment();
            return [.. fields.Select(f => f == FacetField.Source
                ? new FacetResult(f, [.. _sourceCounts.Select(c => new FacetCount(c.Key, c.Value))])
                : new FacetResult(f, [.. _monthCounts.Select(c => new FacetCount(DocumentKeys.Month(c.Key), c.Value))]))];
        }

        private void FlushSegment()
        {
            if (_sourceValues is not { } values)
            {
                return;
            }

            var bytes = new BytesRef();
            for (var ord = 0; ord < _ordCounts.Length; ord++)
            {
                if (_ordCounts[ord] > 0)
                {
                    values.LookupOrd(ord, bytes);
                    var key = bytes.Utf8ToString();
                    _sourceCounts[key] = _sourceCounts.GetValueOrDefault(key) + _ordCounts[ord];
                }
            }

            _sourceValues = null;
        }
    }
}
