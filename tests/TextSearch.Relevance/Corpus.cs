using System.Text.Json;

namespace TextSearch.Relevance;

public sealed record EvalDocument(string Id, string Title, string Body);

public sealed record EvalQuestion(string Id, string Text, string RelevantId);

public sealed record EvalSet(IReadOnlyList<EvalDocument> Paragraphs, IReadOnlyList<EvalQuestion> Questions);

/// <summary>Reads a SQuAD-format QA file (the relevant document of a question is its paragraph) and JSONL distractors.</summary>
public static class Corpus
{
    public static EvalSet ReadSquad(string path)
    {
        using var stream = File.OpenRead(path);
        using var json = JsonDocument.Parse(stream);
        var paragraphs = new List<EvalDocument>();
        var questions = new List<EvalQuestion>();
        var a = 0;
        foreach (var article in json.RootElement.GetProperty("data").EnumerateArray())
        {
            var title = article.TryGetProperty("title", out var t) ? t.GetString() ?? string.Empty : string.Empty;
            var p = 0;
            foreach (var paragraph in article.GetProperty("paragraphs").EnumerateArray())
            {
                var id = $"qa-{a:D4}-{p:D3}";
                paragraphs.Add(new EvalDocument(id, title, paragraph.GetProperty("context").GetString() ?? string.Empty));
                foreach (var qa in paragraph.GetProperty("qas").EnumerateArray())
                {
                    var text = qa.GetProperty("question").GetString()?.Trim() ?? string.Empty;
                    if (text.Length > 0)
                    {
                        questions.Add(new EvalQuestion(qa.GetProperty("id").ToString(), text, id));
                    }
                }

                p++;
            }

            a++;
        }

        return new EvalSet(paragraphs, questions);
    }

    /// <summary>Distractors: one JSON object per line with id, title, body (.jsonl or .jsonl.gz).</summary>
    public static IEnumerable<EvalDocument> ReadJsonl(string path, int limit = int.MaxValue) =>
        TextSearch.Search.Ingestion.JsonlCorpus.Read(path, limit).Select(d => new EvalDocument("d-" + d.Id, d.Title, d.Body));
}
