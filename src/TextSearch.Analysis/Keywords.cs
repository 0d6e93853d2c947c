using System.Text;

namespace TextSearch.Analysis;

/// <summary>
/// Keyword values (a document's source, a filter on it) compared as text is: normalized by the same table, with runs of
/// white space made one space and the ends trimmed. "الإسلامية " and "الاسلاميه" are the same source.
/// </summary>
public static class Keywords
{
    /// <summary>The comparable form of a keyword value; empty for a blank one.</summary>
    public static string Normalize(TextAnalyzer analyzer, string value)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentNullException.ThrowIfNull(value);
        var normalized = analyzer.Normalizer.NormalizeToString(value);
        var span = normalized.AsSpan().Trim();
        if (!HasInnerRun(span))
        {
            return span.Length == normalized.Length ? normalized : span.ToString();
        }

        var builder = new StringBuilder(span.Length);
        var space = false;
        foreach (var c in span)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool HasInnerRun(ReadOnlySpan<char> span)
    {
        for (var i = 0; i < span.Length; i++)
        {
            if (char.IsWhiteSpace(span[i]) && (span[i] != ' ' || (i + 1 < span.Length && char.IsWhiteSpace(span[i + 1]))))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// The completion terms of a document (Suggest): for every word that is not a stopword and has at least
/// <see cref="MinLength"/> characters, its normalized term. A word the document writes in a form other than its
/// normalized term also gets a marker (the term and a space) and a term for each of its spellings in the document (the
/// normalized term, a space and the characters of the text), its normalized form included when it is one of them. So
/// most words cost one term, and the documents that write a word as its normalized form number the word's documents,
/// less the marker's, plus that spelling's (<see cref="BestSpelling"/>). <see cref="SuggestTermBuilder"/> gathers them
/// token by token during an analysis the engine makes anyway. Terms sort so that a word's marker and
/// spellings follow the word itself, and every word with a given normalized prefix sorts after that prefix: a
/// completion is a range scan.
/// </summary>
public static class SuggestTerms
{
    /// <summary>Shorter words are not offered as completions.</summary>
    public const int MinLength = 2;

    /// <summary>Between a normalized word and one of its spellings (never inside a token).</summary>
    public const char Separator = ' ';

    /// <summary>
    /// A spelling longer than this (marks and tatweel stretch a word without limit, while its normalized term is at
    /// most <see cref="Tokenizer.MaxTokenLength"/>) is recorded as the normalized term: every completion term stays far
    /// below the engines' limit on one term (32,766 UTF-8 bytes).
    /// </summary>
    public const int MaxSpellingChars = 2 * Tokenizer.MaxTokenLength;

    /// <summary>
    /// The spelling of <paramref name="word"/> held by most documents (ties by spelling), from its documents, its
    /// marker's and its spelling terms' (<paramref name="spellings"/>, spelling and documents); with its documents.
    /// </summary>
    public static (string Spelling, long Count) BestSpelling(string word, long wordCount, long markerCount, IEnumerable<(string Spelling, long Count)> spellings)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(spellings);
        // The documents that write the word as its normalized form: those without a marker, and those with one that
        // hold that spelling's term.
        var list = spellings as IReadOnlyCollection<(string Spelling, long Count)> ?? [.. spellings];
        var best = (Spelling: word, Count: wordCount - markerCount + list.Where(s => s.Spelling == word).Sum(s => s.Count));
        foreach (var (spelling, count) in list)
        {
            if (spelling != word && count > 0 && (count > best.Count || (count == best.Count && string.CompareOrdinal(spelling, best.Spelling) < 0)))
            {
                best = (spelling, count);
            }
        }

        return best;
    }

    /// <summary>The normalized word of a spelling term, and the spelling (empty for a word term).</summary>
    public static (string Word, string Spelling) Split(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var at = term.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? (term, string.Empty) : (term[..at], term[(at + 1)..]);
    }

    /// <summary>
    /// The normalized last word of what was typed, and what comes before it as typed ("" when one word was typed); null
    /// when the text ends without a word to complete (white space, punctuation).
    /// </summary>
    public static (string Head, string Prefix)? LastWord(TextAnalyzer analyzer, string typed)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentNullException.ThrowIfNull(typed);
        var session = new AnalysisSession(analyzer);
        session.Reset(typed);
        (int Start, int End, string Term)? last = null;
        while (session.MoveNext())
        {
            var token = session.Current;
            last = (token.Start, token.End, token.Term.ToString());
        }

        if (last is not { } word)
        {
            return null;
        }

        // Only marks may follow the word (a haraka typed after its last letter); a space or punctuation ends it.
        foreach (var c in typed.AsSpan(word.End))
        {
            if (char.GetUnicodeCategory(c) is not (System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.Format)
                && c != ArabicChars.Tatweel)
            {
                return null;
            }
        }

        return (typed[..word.Start], word.Term);
    }
}

/// <summary>
/// Gathers the completion terms of one document token by token (<see cref="SuggestTerms"/>), for an analysis that is
/// already under way: a word seen again costs a lookup, not a string. Reusable after <see cref="Clear"/>; not
/// thread-safe.
/// </summary>
public sealed class SuggestTermBuilder
{
    private readonly HashSet<string> _words = new(StringComparer.Ordinal);
    private readonly HashSet<string> _plain = new(StringComparer.Ordinal);
    private readonly HashSet<string> _varied = new(StringComparer.Ordinal);
    private readonly HashSet<string> _spellings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _wordLookup;

    public SuggestTermBuilder() => _wordLookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();

    public void Clear()
    {
        _words.Clear();
        _plain.Clear();
        _varied.Clear();
        _spellings.Clear();
    }

    /// <summary>One token: its normalized term and the characters of the text it came from.</summary>
    public void Add(ReadOnlySpan<char> term, ReadOnlySpan<char> original, bool stopword)
    {
        if (stopword || term.Length < SuggestTerms.MinLength)
        {
            return;
        }

        if (!_wordLookup.TryGetValue(term, out var word))
        {
            word = term.ToString();
            _words.Add(word);
        }

        var spelling = original.Length <= SuggestTerms.MaxSpellingChars ? original : term;
        if (spelling.SequenceEqual(term))
        {
            _plain.Add(word);
        }
        else
        {
            _varied.Add(word);
            _spellings.Add(string.Concat(word, " ", spelling));
        }
    }

    /// <summary>
    /// The document's completion terms, each once, in no particular order; without the word terms when
    /// <paramref name="words"/> is false (an engine that reads the words from another field of the same terms).
    /// </summary>
    public IEnumerable<string> Terms(bool words = true)
    {
        if (words)
        {
            foreach (var word in _words)
            {
                yield return word;
            }
        }

        foreach (var word in _varied)
        {
            yield return word + SuggestTerms.Separator;
            if (_plain.Contains(word))
            {
                yield return string.Concat(word, " ", word);
            }
        }

        foreach (var spelling in _spellings)
        {
            yield return spelling;
        }
    }
}
