using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace TextSearch.Testing;

/// <summary>Reading what an analyzer or a field's token stream produces (shared by the engines' suites).</summary>
public static class TokenStreams
{
    /// <summary>The terms an analyzer produces for <paramref name="text"/>, with their positions (stopword gaps included).</summary>
    public static List<(string Term, int Position)> Read(Analyzer analyzer, string field, string text)
    {
        using var stream = analyzer.GetTokenStream(field, text);
        return Read(stream);
    }

    /// <summary>The terms of a token stream, with their positions; the stream is reset, read to its end and ended.</summary>
    public static List<(string Term, int Position)> Read(TokenStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var tokens = new List<(string, int)>();
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
