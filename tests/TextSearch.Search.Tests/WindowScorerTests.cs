using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using TextSearch.Analysis;
using TextSearch.Search.Ingestion;
using TextSearch.Search.Lucene;
using TextSearch.Search.Query;

namespace TextSearch.Search.Tests;

/// <summary>
/// The window scored term by term (<see cref="WindowScorer"/>) gives the very scores of the full ranking's Lucene query,
/// bit for bit: over the seeds and documents made of their words (so proximity pairs match at every distance), in
/// several segments, for queries of one to six words with and without proximity, coordination and exact forms.
/// </summary>
public sealed class WindowScorerTests
{
    private static readonly IReadOnlyList<Document> Seeds = SeedIngestor.Load(TestSupport.SeedsPath);

    private static readonly string[] Vocabulary = [.. Seeds
        .SelectMany(d => (d.Title + " " + d.Body).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Where(w => w.Length > 2)
        .Distinct(StringComparer.Ordinal)];

    public static TheoryData<string, RankingOptions> Rankings => new()
    {
        { "defaults", new RankingOptions() },
        { "no coordination", new RankingOptions { Coordination = false } },
        { "no proximity", new RankingOptions { ProximityBoost = 0 } },
        { "no exact forms, slop 1", new RankingOptions { ExactBoost = 0, ProximitySlop = 1 } },
        { "coordination exponent 1, variants off", new RankingOptions { CoordinationExponent = 1, VariantBoost = 0 } },
        { "pairs of words up to three apart", new RankingOptions { ProximityReach = 3 } },
        { "pairs as exact phrases (slop 0)", new RankingOptions { ProximitySlop = 0, ProximityReach = 2 } },

        // The body's keys do not hold the title's words: every form is read in every document.
        { "the title apart from the body", new RankingOptions { TitleInBody = false } },
    };

    [Theory]
    [MemberData(nameof(Rankings))]
    public void Scores_equal_the_full_querys_lucene_scores_bit_for_bit(string name, RankingOptions ranking)
    {
        var schema = new LuceneSchema(ranking, TextAnalyzer.Default);
        using var directory = new RAMDirectory();
        using var reader = Index(directory, schema, seed: 11);
        Assert.True(reader.Leaves.Count > 1, "several segments");
        var searcher = new IndexSearcher(reader) { Similarity = schema.Similarity };
        var builder = new LuceneQueryBuilder(ranking);
        var parser = new QueryParser(TextAnalyzer.Default, SynonymMap.Empty, ranking);
        var random = new Random(5);
        var (compared, scored, numberPairs) = (0, 0, 0);
        for (var q = 0; q < 300; q++)
        {
            var words = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]);
            // Every fourth query asks when, so its words also pair with the number class.
            var query = parser.Parse((q % 4 == 0 ? "متى " : string.Empty) + string.Join(' ', words));
            if (builder.Plan(query) is not { } plan)
            {
                continue;
            }

            // Every document the full query matches, in document order.
            var terms = new TermLookup(searcher.TopReaderContext, PostingsReuse.Begin(searcher.IndexReader.Leaves));
            var full = builder.Build(query, exclusions: false, terms);
            var docs = searcher.Search(full, reader.MaxDoc).ScoreDocs.Select(sd => new WindowDoc(sd.Doc, 0f)).OrderBy(d => d.Doc).ToArray();
            var expected = LuceneBackend.ScoreThroughLucene(searcher, full, docs, default);
            var actual = WindowScorer.Score(searcher, plan, new TermLookup(searcher.TopReaderContext, PostingsReuse.Begin(searcher.IndexReader.Leaves)), docs, default);
            for (var i = 0; i < docs.Length; i++)
            {
                Assert.True(
                    BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                    $"{name}, query {query}, document {docs[i].Doc}: Lucene {expected[i]:R}, window scorer {actual[i]:R}");
            }

            compared += docs.Length;
            scored += plan.Pairs.Count > 0 ? 1 : 0;
            numberPairs += plan.Pairs.Any(p => p.Second == VariantKey.NumberClass) ? 1 : 0;
        }

        Assert.True(compared > 1000, $"only {compared} scores compared");
        Assert.True(ranking.ProximityBoost == 0 || scored > 100, $"only {scored} queries with proximity pairs");

        // A question asking when pairs its words with the number class, which the keys' field holds at every number.
        var numbersPaired = ranking.ProximityBoost > 0 && ranking.ProximityOnKeys && ranking.NumberProximity;
        Assert.True(!numbersPaired || (numberPairs > 20 && reader.DocFreq(new Term(LuceneFields.BodyKey, VariantKey.NumberClass)) > 0), $"only {numberPairs} queries with number pairs");
    }

    [Fact]
    public void Queries_it_does_not_describe_are_left_to_lucene()
    {
        var builder = new LuceneQueryBuilder(new RankingOptions());
        var parser = new QueryParser(TextAnalyzer.Default, SynonymMap.Empty);
        Assert.NotNull(builder.Plan(parser.Parse("الرقة داعش -سوريا")));
        Assert.Null(builder.Plan(parser.Parse("\"دير الزور\" داعش"))); // a phrase
        Assert.Null(builder.Plan(parser.Parse("-سوريا"))); // exclusions alone

        // A proximity pair of one stem twice (Lucene scores repeated phrase terms its own way; the parser merges
        // repeated words, so only a query built otherwise has it).
        var word = new QueryClause(Query.Occur.Should, [new QueryPhrase([new QueryWord("داعش", "داعش", 0)], Variants: false, FromSynonym: false)]);
        Assert.Null(builder.Plan(new SearchQuery("داعش داعش", "داعش داعش", [word, word])));
        Assert.Null(builder.Plan(SearchQuery.All));
    }

    [Theory]
    [InlineData(new[] { 0 }, new[] { 1 }, 4, 1f)] // "a b": adjacent
    [InlineData(new[] { 1 }, new[] { 0 }, 4, 0.33333334f)] // "b a": two moves apart
    [InlineData(new[] { 0 }, new[] { 9 }, 4, 0f)] // too far
    [InlineData(new[] { 0, 10 }, new[] { 3, 11 }, 4, 1.3333334f)] // two matches: distances 2 and 0
    [InlineData(new[] { 0, 1, 2 }, new[] { 3 }, 4, 1f)] // of three first words, the nearest counts, once
    public void Sloppy_frequency_weighs_each_match_by_its_distance(int[] first, int[] second, int slop, float expected)
    {
        Assert.Equal(expected, WindowScorer.SloppyFrequency(first, second, slop));
    }

    /// <summary>The seeds, then documents of their words in random order and lengths (some words repeated), committed in several segments.</summary>
    private static DirectoryReader Index(global::Lucene.Net.Store.Directory directory, LuceneSchema schema, int seed)
    {
        var random = new Random(seed);
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new CoreAnalyzer(TextAnalyzer.Default)) { Similarity = schema.Similarity }))
        {
            foreach (var doc in Seeds)
            {
                writer.AddDocument(schema.ToLucene(doc));
            }

            writer.Commit();
            for (var i = 0; i < 240; i++)
            {
                var words = Enumerable.Range(0, 3 + random.Next(60)).Select(_ => Vocabulary[random.Next(Math.Min(Vocabulary.Length, 40 + random.Next(Vocabulary.Length)))]);
                var title = string.Join(' ', Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
                writer.AddDocument(schema.ToLucene(new Document { Id = $"g{i:D3}", Title = title, Body = string.Join(' ', words) }));
                if (i % 80 == 79)
                {
                    writer.Commit();
                }
            }
        }

        return DirectoryReader.Open(directory);
    }
}
