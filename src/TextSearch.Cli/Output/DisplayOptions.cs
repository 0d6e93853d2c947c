namespace TextSearch.Cli.Output;

/// <summary>How human-readable output is drawn.</summary>
/// <param name="Color">Highlights in bold yellow (ANSI escapes).</param>
/// <param name="Brackets">Highlights between [brackets].</param>
/// <param name="Visual">Right-to-left text reordered into visual order (for terminals without bidi support).</param>
/// <param name="Width">Columns available; in visual mode, text is wrapped to it before it is reordered.</param>
internal sealed record DisplayOptions(bool Color, bool Brackets, bool Visual, int Width)
{
    public const string HighlightOn = "\u001b[1;33m";
    public const string HighlightOff = "\u001b[0m";

    /// <summary>Plain logical text: what pipes and files get by default.</summary>
    public static DisplayOptions Plain { get; } = new(Color: false, Brackets: false, Visual: false, Width: 80);
}
