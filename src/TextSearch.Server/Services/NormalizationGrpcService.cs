using Grpc.Core;
using TextSearch.Analysis;
using TextSearch.Search;
using TextSearch.V1;

namespace TextSearch.Server.Services;

public sealed class NormalizationGrpcService(TextAnalyzer analyzer) : NormalizationService.NormalizationServiceBase
{
    public override Task<NormalizeResponse> Normalize(NormalizeRequest request, ServerCallContext context)
    {
        RequireText(request.Text, Limits.MaxNormalizeChars);
        var unit = ProtoMapper.ToUnit(request.OffsetEncoding);
        var normalizer = ArabicNormalizer.For(ProtoMapper.ToRules(request.Options));
        var result = normalizer.Normalize(request.Text);
        var response = new NormalizeResponse { Normalized = result.Text, Changed = result.Changed };
        if (request.IncludeOffsets)
        {
            response.Offsets.Add(OffsetSpans(request.Text, result, unit));
        }

        return Task.FromResult(response);
    }

    public override Task<AnalyzeResponse> Analyze(AnalyzeRequest request, ServerCallContext context)
    {
        RequireText(request.Text, Limits.MaxAnalyzeChars);
        var unit = ProtoMapper.ToUnit(request.OffsetEncoding);
        var index = new OffsetIndex(request.Text, unit);
        var response = new AnalyzeResponse();
        foreach (var t in analyzer.Analyze(request.Text))
        {
            response.Tokens.Add(new Token
            {
                Text = t.Text,
                Term = t.Term,
                Stem = t.Stem,
                Position = t.Position,
                Start = index[t.Start],
                End = index[t.End],
                Stopword = t.IsStopword,
                Number = t.Kind == TokenKind.Number,
            });
        }

        return Task.FromResult(response);
    }

    private static IEnumerable<Span> OffsetSpans(string original, NormalizedText result, OffsetUnit unit)
    {
        var index = new OffsetIndex(original, unit);
        var text = result.Text;
        for (var i = 0; i < text.Length; i++)
        {
            var (start, end) = result.Map.ToOriginal(i, i + 1);
            var pair = unit != OffsetUnit.Utf16 && char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair)
            {
                (_, end) = result.Map.ToOriginal(i, i + 2);
                i++;
            }

            yield return new Span { Start = index[start], End = index[end] };
        }
    }

    private static void RequireText(string text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            Search.Throw.Invalid(Parameter.Text, "the text must not be empty.");
        }

        if (text.Length > max)
        {
            Search.Throw.Invalid(Parameter.Text, $"the text is {text.Length} characters long; the maximum is {max}.");
        }
    }
}
