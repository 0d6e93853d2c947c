using TextSearch.Analysis;

namespace TextSearch.Search.Query;

/// <summary>
/// Groups of equivalent expressions, one group per line, expressions separated by commas (the Solr/Elasticsearch
/// synonym format; '#' starts a comment). Expressions are analyzed like the index, so spelling does not matter.
/// Applied at query time only: replacing the file needs no reindex.
/// </summary>
public sealed class SynonymMap
{
    private readonly Dictionary<string, List<(string[] Stems, int Group)>> _byFirstStem = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyList<QueryPhrase>> _groups = [];

    public static SynonymMap Empty { get; } = new([], TextAnalyzer.Default);

    private SynonymMap(IEnumerable<IReadOnlyList<string>> groups, TextAnalyzer analyzer)
    {
        foreach (var group in groups)
        {
            var phrases = new List<QueryPhrase>();
            foreach (var expression in group)
            {
                var words = QueryParser.AnalyzeWords(expression, analyzer);
                if (words.Count > 0)
                {
                    phrases.Add(new QueryPhrase(words, Variants: false, FromSynonym: true));
                }
            }

            if (phrases.Count < 2)
            {
                continue;
            }

            var id = _groups.Count;
            _groups.Add(phrases);
            foreach (var phrase in phrases)
            {
                var stems = phrase.Words.Select(w => w.Stem).ToArray();
                if (!_byFirstStem.TryGetValue(stems[0], out var list))
                {
                    _byFirstStem[stems[0]] = list = [];
                }

                list.Add((stems, id));
                list.Sort((x, y) => y.Stems.Length.CompareTo(x.Stems.Length));
            }
        }
    }

    /// <summary>The source text's groups, with the raw expressions, for generating other engines' settings.</summary>
    public IReadOnlyList<IReadOnlyList<string>> RawGroups { get; private init; } = [];

    public int GroupCount => _groups.Count;

    public static SynonymMap Parse(string text, TextAnalyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(text);
        var groups = new List<IReadOnlyList<string>>();
        foreach (var rawLine in text.Split('\n'))
        {
            var hash = rawLine.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? rawLine[..hash] : rawLine).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var expressions = line.Split([',', '،', '⇔'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (expressions.Length >= 2)
            {
                groups.Add(expressions);
            }
        }

        return new SynonymMap(groups, analyzer) { RawGroups = groups };
    }

    /// <summary>
    /// The longest synonym expression starting at <paramref name="start"/> of <paramref name="stems"/>: how many
    /// words it covers and all the alternatives of its group; (0, empty) when none.
    /// </summary>
    public (int Length, IReadOnlyList<QueryPhrase> Alternatives) Match(IReadOnlyList<string> stems, int start)
    {
        if (!_byFirstStem.TryGetValue(stems[start], out var candidates))
        {
            return (0, []);
        }

        foreach (var (candidate, group) in candidates)
        {
            if (start + candidate.Length > stems.Count)
            {
                continue;
            }

            var all = true;
            for (var k = 1; k < candidate.Length && all; k++)
            {
                all = stems[start + k] == candidate[k];
            }

            if (all)
            {
                return (candidate.Length, _groups[group]);
            }
        }

        return (0, []);
    }
}
