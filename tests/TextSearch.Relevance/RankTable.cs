using System.Globalization;

namespace TextSearch.Relevance;

/// <summary>Each question's rank per system, as tab-separated lines, for error analysis (<c>--ranks FILE.tsv</c>).</summary>
public static class RankTable
{
    /// <summary>
    /// A header, then one line per question: its id, its relevant document, each system's rank of it (1-10, 0 when not
    /// in the top 10) and first hit, and the question's text (tabs and line ends made spaces).
    /// </summary>
    public static IEnumerable<string> Lines(IReadOnlyList<EvalQuestion> questions, IReadOnlyList<(string System, int[] Ranks, string[] First)> systems)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(systems);
        yield return string.Join('\t', ["question", "relevant", .. systems.SelectMany(s => new[] { s.System + " rank", s.System + " first" }), "text"]);
        for (var i = 0; i < questions.Count; i++)
        {
            var row = systems.SelectMany(s => new[] { s.Ranks[i].ToString(CultureInfo.InvariantCulture), s.First[i] });
            yield return string.Join('\t', [questions[i].Id, questions[i].RelevantId, .. row, Clean(questions[i].Text)]);
        }
    }

    private static string Clean(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ');
}
