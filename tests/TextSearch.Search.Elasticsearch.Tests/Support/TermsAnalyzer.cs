using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace TextSearch.Search.Elasticsearch.Tests.Support;

/// <summary>
/// The <c>textsearch_terms</c> analyzer, built from Lucene's own components: whitespace tokenizer and a stop filter for
/// the placeholder. The fake cluster searches every term field with it and indexes all but the keys with it.
/// </summary>
internal sealed class TermsAnalyzer : Analyzer
{
    /// <summary>The analyzer's chain over <paramref name="reader"/>: its tokenizer, and the stream after the stop filter.</summary>
    public static (Tokenizer Tokenizer, TokenStream Stream) Chain(TextReader reader)
    {
        var tokenizer = new WhitespaceTokenizer(LuceneVersion.LUCENE_48, reader);
        var placeholder = new CharArraySet(LuceneVersion.LUCENE_48, [ElasticsearchAnalysis.Placeholder], ignoreCase: false);
        return (tokenizer, new StopFilter(LuceneVersion.LUCENE_48, tokenizer, placeholder));
    }

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var (tokenizer, stream) = Chain(reader);
        return new TokenStreamComponents(tokenizer, stream);
    }
}
