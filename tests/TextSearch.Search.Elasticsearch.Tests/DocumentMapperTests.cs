using Lucene.Net.Analysis;
using TextSearch.Analysis;
using TextSearch.Search.Elasticsearch.Tests.Support;
using TextSearch.Search.Ingestion;
using TextSearch.Search.Lucene;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>
/// The term fields hold exactly the tokens, at exactly the positions, that the embedded engine indexes: read back
/// with Lucene's own whitespace tokenizer and stop filter (what the <c>textsearch_terms</c> analyzer is in
/// Elasticsearch), they equal the stream of the embedded engine's CoreAnalyzer, stopword gaps included.
/// </summary>
public sealed class DocumentMapperTests
{
    public static TheoryData<string> SeedIds => new(SeedIngestor.Load(TestSupport.SeedsPath).Select(d => d.Id));

    private static List<(string Term, int Position)> Tokens(Analyzer analyzer, string text) => TokenStreams.Read(analyzer, "f", text);

    [Theory]
    [MemberData(nameof(SeedIds))]
    public void Term_fields_read_back_as_the_embedded_engines_tokens_and_positions(string id)
    {
        var doc = SeedIngestor.Load(TestSupport.SeedsPath).Single(d => d.Id == id);
        var mapper = new EsDocumentMapper(TextAnalyzer.Default, new RankingOptions());
        var es = mapper.ToEs(doc);
        using var terms = new TermsAnalyzer();
        using var stems = new CoreAnalyzer(TextAnalyzer.Default);
        using var exact = new CoreAnalyzer(new TextAnalyzer(TextAnalyzer.Default.Options with { Stem = false }));
        var bodyText = doc.Title + "\n\n" + doc.Body;

        Assert.Equal(Tokens(stems, doc.Title), Tokens(terms, es.TitleTerms!));
        Assert.Equal(Tokens(stems, bodyText), Tokens(terms, es.BodyTerms!));
        Assert.Equal(Tokens(exact, doc.Title), Tokens(terms, es.TitleExact!));
        Assert.Equal(Tokens(exact, bodyText), Tokens(terms, es.BodyExact!));
        Assert.Contains(" _ ", es.BodyTerms!, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SeedIds))]
    public void The_keys_field_indexes_every_number_also_as_the_number_class_at_its_position(string id)
    {
        // body_keys is indexed through textsearch_keys, executed from the settings the client sends: each key at the
        // core's position, and the number class next to each number, as the embedded engine's body_key holds them.
        var doc = SeedIngestor.Load(TestSupport.SeedsPath).Single(d => d.Id == id);
        var es = new EsDocumentMapper(TextAnalyzer.Default, new RankingOptions()).ToEs(doc);
        using var terms = new TermsAnalyzer();
        using var keys = new KeysAnalyzer(AnalysisSettingsTests.Serialized(TextAnalyzer.Default.Options));
        var plain = Tokens(terms, es.BodyKeys!);
        var expected = plain.SelectMany(t => VariantKey.IsNumber(t.Term) ? [t, (VariantKey.NumberClass, t.Position)] : new[] { t }).ToList();

        Assert.Equal(expected, Tokens(keys, es.BodyKeys!));
        Assert.Contains(plain, t => VariantKey.IsNumber(t.Term)); // every seed dates or counts something
    }

    [Fact]
    public void Stopwords_keep_their_positions_as_placeholders()
    {
        var mapper = new EsDocumentMapper(TextAnalyzer.Default, new RankingOptions());
        var (stems, exact, keys) = mapper.TermFields("في الرَّقَّة وفي الديموقراطية");
        Assert.Equal("_ رقه _ ديموقراط", stems);
        Assert.Equal("_ الرقه _ الديموقراطيه", exact);
        Assert.Equal("_ رقه _ دمقرط", keys);
        Assert.Equal(new TermTexts(string.Empty, string.Empty, string.Empty), mapper.TermFields(string.Empty));
        Assert.Equal(new TermTexts(string.Empty, string.Empty, string.Empty), mapper.TermFields("!!! 😀"));
    }

    [Fact]
    public void Title_goes_first_in_the_body_fields_unless_switched_off()
    {
        var doc = new Document { Id = "t", Title = "الموصل", Body = "هجين" };
        Assert.Equal("موصل هجين", new EsDocumentMapper(TextAnalyzer.Default, new RankingOptions()).ToEs(doc).BodyTerms);
        Assert.Equal("هجين", new EsDocumentMapper(TextAnalyzer.Default, new RankingOptions { TitleInBody = false }).ToEs(doc).BodyTerms);
    }

    [Fact]
    public void Exact_fields_are_left_out_when_their_boost_is_zero()
    {
        var es = new EsDocumentMapper(TextAnalyzer.Default, new RankingOptions { ExactBoost = 0 }).ToEs(new Document { Id = "t", Title = "الموصل" });
        Assert.Null(es.TitleExact);
        Assert.Null(es.BodyExact);
        Assert.Equal("موصل", es.TitleTerms);
    }

    [Fact]
    public void Documents_round_trip_through_source()
    {
        var doc = new Document
        {
            Id = "g1",
            Title = "عنوانٌ مُشَكَّل",
            Body = "نصّ الخبر",
            Source = "مصدر",
            PublishedAt = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)).AddTicks(1234567),
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
        };
        var es = new EsDocumentMapper(TextAnalyzer.Default, new RankingOptions()).ToEs(doc);
        Assert.Equal("2020-01-02T08:04:05.1234567Z", es.PublishedAt);
        var back = EsDocumentMapper.FromEs(es, "fallback");
        Assert.Equal(doc.Id, back.Id);
        Assert.Equal(doc.Title, back.Title);
        Assert.Equal(doc.Body, back.Body);
        Assert.Equal(doc.Source, back.Source);
        Assert.Equal(doc.PublishedAt, back.PublishedAt);
        Assert.Equal(doc.Metadata, back.Metadata);
        Assert.Equal("fallback", EsDocumentMapper.FromEs(new EsDocument(), "fallback").Id);
    }

    [Theory]
    [InlineData("doc-1", "doc-1")]
    [InlineData("مستند/١", "مستند/١")]
    public void Ids_within_elasticsearchs_limit_are_kept(string id, string expected) => Assert.Equal(expected, EsDocumentMapper.EsId(id));

    [Fact]
    public void Longer_ids_are_hashed_and_never_equal_a_valid_id()
    {
        var arabic = new string('ب', 256); // 512 UTF-8 bytes: kept.
        Assert.Equal(arabic, EsDocumentMapper.EsId(arabic));
        var cjk = new string('中', 256); // 768 bytes: hashed.
        var hashed = EsDocumentMapper.EsId(cjk);
        Assert.StartsWith("\u0001sha256:", hashed, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(hashed) <= EsDocumentMapper.MaxEsIdBytes);
        Assert.Null(SearchEngine.Validate(new Document { Id = cjk }));
        Assert.NotNull(SearchEngine.Validate(new Document { Id = hashed }));
    }

    [Theory]
    [InlineData("الاسلا", "الاسلا")]
    [InlineData("a.b", "a\\.b")]
    [InlineData("ال(", "ال\\(")]
    [InlineData("بَ", "ب\\\u064e")]
    [InlineData("\U00020000x", "\U00020000x")]
    public void Completion_prefixes_are_literal_in_the_include_regex_and_surrogate_pairs_stay_whole(string prefix, string expected) =>
        Assert.Equal(expected, EsQueryBuilder.RegexLiteral(prefix));
}
