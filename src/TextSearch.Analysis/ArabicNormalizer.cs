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

    public static ArabicNormalizer Default { get; } = new();

    public NormalizationRules Rules => _table.Rules;

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
