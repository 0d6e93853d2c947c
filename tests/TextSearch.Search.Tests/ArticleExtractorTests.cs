using TextSearch.Search.Ingestion;

namespace TextSearch.Search.Tests;

public sealed class ArticleExtractorTests
{
    private static readonly IReadOnlyDictionary<string, Document> Seeds =
        SeedIngestor.Load(TestSupport.SeedsPath).ToDictionary(d => d.Id);

    [Fact]
    public void Ids_are_file_names_without_extension()
    {
        Assert.Equal(
            ["000_e7c410046469def3", "001_0cdae21df2de8709", "002_efd2be0952ca666b", "003_46747d5c7beb1e50", "004_7d9db1b0e6b1bccf"],
            Seeds.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("000_e7c410046469def3", "أفول داعش.. التنظيم ينهار في سوريا ويخسر دير الزور والرقة معا")]
    [InlineData("001_0cdae21df2de8709", "اكتمال الحصار على داعش في دير الزور فيما يخوض التنظيم معركته الأخيرة في الرقة")]
    [InlineData("003_46747d5c7beb1e50", "هزيمة تاريخية لـ «داعش» في الرقة")]
    [InlineData("004_7d9db1b0e6b1bccf", "خروج الآلاف من آخر جيوب داعش في شرق سوريا")]
    public void Titles_are_the_headlines(string id, string title) => Assert.Equal(title, Seeds[id].Title);

    [Fact]
    public void An_article_without_a_headline_line_takes_its_first_sentence()
    {
        var doc = Seeds["002_efd2be0952ca666b"];
        Assert.StartsWith("أحرزت قوات النظام تقدما", doc.Title, StringComparison.Ordinal);
        Assert.True(doc.Title.Length <= 200);
        Assert.StartsWith("أحرزت قوات النظام تقدما", doc.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Date_and_byline_source_are_extracted()
    {
        var doc = Seeds["000_e7c410046469def3"];
        Assert.Equal(new DateTimeOffset(2017, 10, 14, 0, 0, 0, TimeSpan.Zero), doc.PublishedAt);
        Assert.Equal("وكالات – الإمارات 71", doc.Source);
        Assert.DoesNotContain("تاريخ الخبر", doc.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("وكالات – الإمارات 71", doc.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_line_is_extracted()
    {
        var doc = Seeds["003_46747d5c7beb1e50"];
        Assert.Equal("الخليج", doc.Source);
        Assert.DoesNotContain("المصدر:", doc.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("رونالدو")]          // only in the headline ticker
    [InlineData("المزيد")]           // ticker
    [InlineData("أحدث الأخبار")]
    [InlineData("مشاركة :")]
    [InlineData("أقسام")]
    [InlineData("من سوريا\n")]
    [InlineData("أخبار متعلقة")]
    [InlineData("çerez")]            // the Turkish cookie notice
    [InlineData("Tamam")]
    public void Site_chrome_is_not_article_text(string chrome)
    {
        Assert.All(Seeds.Values, d =>
        {
            Assert.DoesNotContain(chrome, d.Body + "\n", StringComparison.Ordinal);
            Assert.DoesNotContain(chrome.Trim(), d.Title, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Article_text_is_kept()
    {
        Assert.Contains("استعادت قوات نظام بشار الأسد", Seeds["000_e7c410046469def3"].Body, StringComparison.Ordinal);
        Assert.EndsWith("من جهة أخرى.", Seeds["004_7d9db1b0e6b1bccf"].Body, StringComparison.Ordinal);
        Assert.EndsWith("في المناطق المحررة من داعش”.", Seeds["001_0cdae21df2de8709"].Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Date_with_arabic_digits_parses()
    {
        var doc = ArticleExtractor.Extract("x", "عنوان\n\nالمصدر: وكالة\nتاريخ الخبر: ٠٣/٠٢/٢٠١٩\n\nنص الخبر.");
        Assert.Equal(new DateTimeOffset(2019, 2, 3, 0, 0, 0, TimeSpan.Zero), doc.PublishedAt);
        Assert.Equal("وكالة", doc.Source);
        Assert.Equal("نص الخبر.", doc.Body);
    }
}
