namespace TextSearch.Analysis;

/// <summary>Normalized text and the map back to the original.</summary>
/// <param name="Text">The normalized text. When the input needed no change this is the input instance itself.</param>
/// <param name="Map">The offset map from <paramref name="Text"/> back to the original.</param>
public readonly record struct NormalizedText(string Text, OffsetMap Map)
{
    public bool Changed => !Map.IsIdentity;
}
