using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace TextSearch.Search.Elasticsearch.Tests.Support;

internal static class TokenStreams
{
    /// <summary>The terms an analyzer produces for <paramref name="text"/>, with their positions (stopword gaps included).</summary>
    public static List<(string Term, int Position)> Read(Analyzer analyzer, string field, string text)
    {
        var tokens = new List<(string, int)>();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        var position = -1;
        while (stream.IncrementToken())
        {
            position += increment.PositionIncrement;
            tokens.Add((term.ToString(), position));
        }

        stream.End();
        return tokens;
    }
}
