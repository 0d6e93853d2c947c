namespace TextSearch.Analysis;

/// <summary>
/// Normalizes Arabic text by a set of <see cref="NormalizationRules"/>, keeping a map back to the original.
/// Thread-safe. Input that is already normal is returned as is, without allocating.
/// </summary>
public sealed class ArabicNormalizer(NormalizationRules rules = NormalizationRules.Default)
{
    [ThreadStatic]
    private static NormalizationBuffer? t_buffer;

    private readonly NormalizationTable _table = NormalizationTable.For(rules);

    private static readonly RuleSetCache<ArabicNormalizer> Cache = new(NormalizationTable.MaxCachedTables, rules => new ArabicNormalizer(rules));

    public static ArabicNormalizer Default { get; } = new();

    /// <summary>
    /// The normalizer of a rule set, shared: callers that take rules per request (the Normalize RPC) reuse one
    /// normalizer and table per rule set instead of building them (a bounded cache, least recently used out).
    /// </summary>
    public static ArabicNormalizer For(NormalizationRules rules) =>
        (rules & NormalizationRules.All) == NormalizationRules.Default ? Default : Cache.Get(rules & NormalizationRules.All);

    public NormalizationRules Rules => _table.Rules;

    /// <summary>How many normalizers the shared cache holds now.</summary>
    internal static int CachedCount => Cache.Count;

    public NormalizationTable Table => _table;

    /// <summary>The index of the first character that normalization would touch, or -1 if the text is already normal.</summary>
    public int IndexOfFirstChange(ReadOnlySpan<char> text) => NormalizationBuffer.IndexOfFirstChange(text, _table.Map);

    /// <summary>True when normalization leaves <paramref name="text"/> exactly as it is.</summary>
    public bool IsNormalized(ReadOnlySpan<char> text) => IndexOfFirstChange(text) < 0;

    /// <summary>Normalizes <paramref name="text"/> into a reusable buffer (no allocation once the buffer has grown).</summary>
    public void Normalize(ReadOnlySpan<char> text, NormalizationBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var first = IndexOfFirstChange(text);
        if (first < 0)
        {
            buffer.SetIdentity(text.Length);
        }
        else
        {
            buffer.Run(text, first, _table);
        }
    }

    /// <summary>Normalizes <paramref name="text"/>, with the map back to it.</summary>
    public NormalizedText Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = IndexOfFirstChange(text);
        if (first < 0)
        {
            return new NormalizedText(text, OffsetMap.Identity(text.Length));
        }

        var buffer = t_buffer ??= new NormalizationBuffer();
        buffer.Run(text, first, _table);
        return new NormalizedText(buffer.Chars.ToString(), buffer.DetachMap());
    }

    /// <summary>Normalizes <paramref name="text"/> to a string (the same instance when nothing changes).</summary>
    public string NormalizeToString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = IndexOfFirstChange(text);
        if (first < 0)
        {
            return text;
        }

        var buffer = t_buffer ??= new NormalizationBuffer();
        buffer.Run(text, first, _table);
        return buffer.Chars.ToString();
    }
}
