using System.Text.Json;
using Lucene.Net.Documents;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;
using TextSearch.Analysis;
using LuceneAnalyzer = Lucene.Net.Analysis.Analyzer;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace TextSearch.Search.Lucene;

/// <summary>
/// How documents are laid out in the index: fields, the analyzer of each, the similarity. Shared by the backend
/// and by the performance tools that index the same documents with plain Lucene.NET as a reference.
/// </summary>
public sealed class LuceneSchema
{
    [ThreadStatic]
    private static Buffers? t_buffers;

    private readonly TextAnalyzer _analyzer;
    private readonly bool _indexExact;
    private readonly bool _titleInBody;

    public LuceneSchema(RankingOptions ranking, TextAnalyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(analyzer);
        _analyzer = analyzer;
        _indexExact = ranking.ExactBoost > 0;
        _titleInBody = ranking.TitleInBody;
        SuggestWordsField = _indexExact && _titleInBody ? LuceneFields.BodyExact : LuceneFields.Suggest;
        Similarity = ranking.Coordination
            ? new CoordinatedBm25Similarity(ranking.K1, ranking.B, ranking.CoordinationExponent)
            : new BM25Similarity(ranking.K1, ranking.B);
        IndexAnalyzer = new CoreAnalyzer(analyzer);
    }

    /// <summary>The writer's analyzer (the stems), for fields given as text; the documents' own fields come analyzed.</summary>
    public LuceneAnalyzer IndexAnalyzer { get; }

    public Similarity Similarity { get; }

    /// <summary>
    /// The field whose terms are the completion words (<see cref="SuggestTerms"/>): the body's exact forms when they
    /// hold every word of the title and the body (the default), so the completion field keeps only the markers and
    /// spellings of the words some document writes otherwise; else the completion field holds the words too.
    /// </summary>
    public string SuggestWordsField { get; }

    /// <summary>
    /// The ranking settings that decide which fields a document gets (kept with the index: an index read with other
    /// settings would search fields it lacks, and complete words from a field that does not hold them).
    /// </summary>
    public string FieldSettings => $"ExactBoost {(_indexExact ? "on" : "off")}, TitleInBody {(_titleInBody ? "on" : "off")}";

    /// <summary>
    /// The Lucene document. The title and the body are analyzed once each, and every field that indexes them (stems,
    /// exact terms, variant keys; the body field holds the title too) replays that one analysis.
    /// </summary>
    public LuceneDocument ToLucene(Document doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        // The thread's buffers: the document is built and indexed on this thread before it builds the next one.
        var buffers = t_buffers is { } cached && cached.Session.Analyzer == _analyzer ? cached : t_buffers = new Buffers(new AnalysisSession(_analyzer));
        // One analysis of each text also gathers the completion terms.
        buffers.Suggest.Clear();
        var title = buffers.Title.Load(buffers.Session, doc.Title, buffers.Suggest);
        var body = buffers.Body.Load(buffers.Session, doc.Body, buffers.Suggest);
        var head = _titleInBody && doc.Title.Length > 0 ? title : null;
        var d = new LuceneDocument
        {
            new StringField(LuceneFields.Id, doc.Id, Field.Store.YES),
            new SortedDocValuesField(LuceneFields.IdSort, new BytesRef(doc.Id)),
            new StoredField(LuceneFields.Title, doc.Title),
            new TextField(LuceneFields.Title, title.Stream(TokenForm.Stem)),
            new StoredField(LuceneFields.Body, doc.Body),
            new TextField(LuceneFields.Body, head is null ? body.Stream(TokenForm.Stem) : head.Stream(TokenForm.Stem, body)),
            new TextField(LuceneFields.BodyKey, head is null ? body.Stream(TokenForm.Key) : head.Stream(TokenForm.Key, body)),
            new StoredField(LuceneFields.Source, doc.Source),
        };
        if (_indexExact)
        {
            d.Add(new Field(LuceneFields.TitleExact, title.Stream(TokenForm.Term), ScoredTermsType));
            d.Add(new Field(LuceneFields.BodyExact, head is null ? body.Stream(TokenForm.Term) : head.Stream(TokenForm.Term, body), ScoredTermsType));
        }

        if (doc.PublishedAt is { } published)
        {
            d.Add(new StoredField(LuceneFields.PublishedAt, published.UtcTicks));
            var millis = DocumentKeys.Millis(published);
            d.Add(new Int64Field(LuceneFields.PublishedMillis, millis, Field.Store.NO));
            d.Add(new NumericDocValuesField(LuceneFields.PublishedMillis, millis));
        }

        if (doc.Metadata.Count > 0)
        {
            d.Add(new StoredField(LuceneFields.Metadata, JsonSerializer.Serialize(doc.Metadata, MetadataJson.Default.IReadOnlyDictionaryStringString)));
            foreach (var (key, value) in doc.Metadata)
            {
                d.Add(new StringField(LuceneFields.MetadataPairs, DocumentKeys.MetadataPair(key, value), Field.Store.NO));
            }
        }

        var sourceKey = DocumentKeys.SourceKey(_analyzer, doc.Source);
        if (sourceKey.Length > 0)
        {
            d.Add(new StringField(LuceneFields.SourceKey, sourceKey, Field.Store.NO));
            d.Add(new SortedDocValuesField(LuceneFields.SourceKey, new BytesRef(sourceKey)));
        }

        if (buffers.SuggestStream.Load(buffers.Suggest.Terms(words: SuggestWordsField == LuceneFields.Suggest)).Count > 0)
        {
            d.Add(new Field(LuceneFields.Suggest, buffers.SuggestStream, SuggestFieldType));
        }

        return d;
    }

    /// <summary>
    /// Fields only ever searched term by term (the exact forms): documents, frequencies and norms for BM25, no positions
    /// (phrases read the stems, proximity the variant keys).
    /// </summary>
    private static readonly FieldType ScoredTermsType = Frozen(new FieldType(TextField.TYPE_NOT_STORED) { IndexOptions = global::Lucene.Net.Index.IndexOptions.DOCS_AND_FREQS });

    /// <summary>Completion terms: indexed as given, one position each, documents only (no frequencies, no norms).</summary>
    private static readonly FieldType SuggestFieldType = Frozen(new FieldType { IsIndexed = true, IsTokenized = true, OmitNorms = true, IndexOptions = global::Lucene.Net.Index.IndexOptions.DOCS_ONLY });

    private static FieldType Frozen(FieldType type)
    {
        type.Freeze();
        return type;
    }

    /// <summary>A thread's analysis session and analyzed texts, reused from document to document.</summary>
    private sealed class Buffers(AnalysisSession session)
    {
        public AnalysisSession Session { get; } = session;

        public SuggestTermBuilder Suggest { get; } = new();

        public TermListStream SuggestStream { get; } = new();

        public AnalyzedText Title { get; } = new();

        public AnalyzedText Body { get; } = new();
    }

    public static Document ToDocument(LuceneDocument d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var metadataJson = d.Get(LuceneFields.Metadata);
        var published = d.GetField(LuceneFields.PublishedAt)?.GetInt64Value();
        return new Document
        {
            Id = d.Get(LuceneFields.Id),
            Title = d.Get(LuceneFields.Title) ?? string.Empty,
            Body = d.Get(LuceneFields.Body) ?? string.Empty,
            Source = d.Get(LuceneFields.Source) ?? string.Empty,
            PublishedAt = published is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null,
            Metadata = metadataJson is null
                ? Document.EmptyMetadata
                : JsonSerializer.Deserialize(metadataJson, MetadataJson.Default.IReadOnlyDictionaryStringString) ?? Document.EmptyMetadata,
        };
    }
}

/// <summary>A token stream of given terms (the completion terms of a document).</summary>
internal sealed class TermListStream : global::Lucene.Net.Analysis.TokenStream
{
    private readonly global::Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute _term;
    private readonly List<string> _terms = [];
    private int _next;

    public int Count => _terms.Count;

    public TermListStream() => _term = AddAttribute<global::Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();

    public TermListStream Load(IEnumerable<string> terms)
    {
        _terms.Clear();
        _terms.AddRange(terms);
        return this;
    }

    public override void Reset()
    {
        base.Reset();
        _next = 0;
    }

    public override bool IncrementToken()
    {
        ClearAttributes();
        if (_next >= _terms.Count)
        {
            return false;
        }

        _term.SetEmpty().Append(_terms[_next++]);
        return true;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class MetadataJson : System.Text.Json.Serialization.JsonSerializerContext;
