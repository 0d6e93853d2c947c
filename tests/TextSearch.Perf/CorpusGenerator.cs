using System.Text;
using TextSearch.Search;

namespace TextSearch.Perf;

/// <summary>
/// Expands a real corpus to any size for scale tests. The first documents are the real ones; each further
/// document takes a real title and recombines sentences drawn from random real articles, and a small share of its
/// longer words get two inner letters swapped, so the vocabulary keeps growing with the corpus as real text's does
/// (the index's term dictionary grows, not just its postings). Deterministic for a given seed.
/// </summary>
public static class CorpusGenerator
{
    private const double MutatedWordShare = 0.03;

    public static IEnumerable<Document> Expand(IReadOnlyList<Document> real, int count, int seed = 42)
    {
        var random = new Random(seed);
        var sentences = real.SelectMany(d => SplitSentences(d.Body)).Where(s => s.Length > 20).ToArray();
        for (var i = 0; i < count; i++)
        {
            if (i < real.Count)
            {
                yield return real[i];
                continue;
            }

            var template = real[random.Next(real.Count)];
            var target = Math.Clamp(template.Body.Length, 300, 12_000);
            var body = new StringBuilder(target + 200);
            while (body.Length < target)
            {
                body.Append(Mutate(sentences[random.Next(sentences.Length)], random)).Append(' ');
            }

            yield return new Document
            {
                Id = $"gen-{i:D7}",
                Title = Mutate(template.Title, random),
                Body = body.ToString().TrimEnd(),
                Source = template.Source,
            };
        }
    }

    private static IEnumerable<string> SplitSentences(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '.' or '؟' or '!' or '\n')
            {
                yield return text[start..(i + 1)].Trim();
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..].Trim();
        }
    }

    private static string Mutate(string sentence, Random random)
    {
        var words = sentence.Split(' ');
        var changed = false;
        for (var w = 0; w < words.Length; w++)
        {
            var word = words[w];
            if (word.Length >= 5 && random.NextDouble() < MutatedWordShare)
            {
                var chars = word.ToCharArray();
                var k = 1 + random.Next(chars.Length - 3);
                (chars[k], chars[k + 1]) = (chars[k + 1], chars[k]);
                words[w] = new string(chars);
                changed = true;
            }
        }

        return changed ? string.Join(' ', words) : sentence;
    }
}
