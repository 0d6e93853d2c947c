using System.Text.Json;
using Lucene.Net.Analysis.Miscellaneous;
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
    private readonly bool _indexExact;
    private readonly bool _titleInBody;

    public LuceneSchema(RankingOptions ranking, TextAnalyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(analyzer);
        _indexExact = ranking.ExactBoost > 0;
        _titleInBody = ranking.TitleInBody;
        Similarity = ranking.Coordination
            ? new CoordinatedBm25Similarity(ranking.K1, ranking.B, ranking.CoordinationExponent)
            : new BM25Similarity(ranking.K1, ranking.B);
        var exact = new CoreAnalyzer(new TextAnalyzer(analyzer.Options with { Stem = false }));
        IndexAnalyzer = new PerFieldAnalyzerWrapper(
            new CoreAnalyzer(analyzer),
            new Dictionary<string, LuceneAnalyzer> { [LuceneFields.TitleExact] = exact, [LuceneFields.BodyExact] = exact });
    }

    /// <summary>Stems for title/body, normalized unstemmed terms for the exact fields.</summary>
    public LuceneAnalyzer IndexAnalyzer { get; }

    public Similarity Similarity { get; }

    public LuceneDocument ToLucene(Document doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var d = new LuceneDocument
        {
            new StringField(LuceneFields.Id, doc.Id, Field.Store.YES),
            new SortedDocValuesField(LuceneFields.IdSort, new BytesRef(doc.Id)),
            new TextField(LuceneFields.Title, doc.Title, Field.Store.YES),
            new StoredField(LuceneFields.Body, doc.Body),
            new TextField(LuceneFields.Body, BodyText(doc), Field.Store.NO),
            new StoredField(LuceneFields.Source, doc.Source),
        };
        if (_indexExact)
        {
            d.Add(new TextField(LuceneFields.TitleExact, doc.Title, Field.Store.NO));
            d.Add(new TextField(LuceneFields.BodyExact, BodyText(doc), Field.Store.NO));
        }

        if (doc.PublishedAt is { } published)
        {
            d.Add(new StoredField(LuceneFields.PublishedAt, published.UtcTicks));
        }

        if (doc.Metadata.Count > 0)
        {
            d.Add(new StoredField(LuceneFields.Metadata, JsonSerializer.Serialize(doc.Metadata, MetadataJson.Default.IReadOnlyDictionaryStringString)));
        }

        return d;
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

    // What the body field indexes: the body, or the title followed by the body.
    private string BodyText(Document doc) => _titleInBody && doc.Title.Length > 0 ? doc.Title + "\n\n" + doc.Body : doc.Body;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class MetadataJson : System.Text.Json.Serialization.JsonSerializerContext;
