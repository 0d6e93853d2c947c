using TextSearch.Analysis;
using TextSearch.Search.Lucene;

namespace TextSearch.Search.Tests;

/// <summary>The fields a document's one analysis is replayed into (<see cref="AnalyzedText"/>, through <see cref="LuceneSchema"/>).</summary>
public sealed class AnalyzedTextTests
{
    private static List<(string Term, int Position)> Field(Document doc, string field, RankingOptions? ranking = null)
    {
        var lucene = new LuceneSchema(ranking ?? new RankingOptions(), TextAnalyzer.Default).ToLucene(doc);
        using var analyzer = new global::Lucene.Net.Analysis.Core.WhitespaceAnalyzer(global::Lucene.Net.Util.LuceneVersion.LUCENE_48);
        using var stream = lucene.Fields.OfType<global::Lucene.Net.Documents.Field>().First(f => f.Name == field && f.GetTokenStreamValue() is not null).GetTokenStream(analyzer);
        return TokenStreams.Read(stream);
    }

    [Fact]
    public void The_keys_field_holds_the_number_class_at_every_numbers_position_title_included()
    {
        var doc = new Document { Id = "n", Title = "حصاد 2017", Body = "افتتح المتحف عام ١٩٩٩ ثم وسع 2005" };
        var keys = Field(doc, LuceneFields.BodyKey);
        var numbers = keys.Where(t => VariantKey.IsNumber(t.Term)).ToList();
        Assert.Equal(["2017", "1999", "2005"], numbers.Select(t => t.Term));
        Assert.Equal(numbers.Select(t => t.Position), keys.Where(t => t.Term == VariantKey.NumberClass).Select(t => t.Position));

        // The stems' field holds no number class.
        Assert.DoesNotContain(Field(doc, LuceneFields.Body), t => t.Term == VariantKey.NumberClass);
    }
}
