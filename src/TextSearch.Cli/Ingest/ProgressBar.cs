using System.Diagnostics;
using System.Globalization;

namespace TextSearch.Cli.Ingest;

/// <summary>A one-line progress bar on stderr (only used when stderr is a terminal), redrawn at most ten times a second.</summary>
internal sealed class ProgressBar(TextWriter stderr, long totalBytes)
{
    private const int BarWidth = 30;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastDraw;
    private int _drawnLength;

    public void Update(long bytesRead, int documents)
    {
        if (_lastDraw is { } last && _clock.Elapsed - last < Interval)
        {
            return;
        }

        _lastDraw = _clock.Elapsed;
        var line = Render(bytesRead, totalBytes, documents);
        stderr.Write("\r" + line.PadRight(_drawnLength));
        stderr.Flush();
        _drawnLength = line.Length;
    }

    /// <summary>Erases the bar, leaving the cursor at the start of an empty line.</summary>
    public void Clear()
    {
        if (_drawnLength > 0)
        {
            stderr.Write("\r" + new string(' ', _drawnLength) + "\r");
            stderr.Flush();
            _drawnLength = 0;
        }
    }

    /// <summary>"[#########.....................]  31%  1,204 documents".</summary>
    internal static string Render(long done, long total, int documents)
    {
        var fraction = total <= 0 ? 1.0 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)Math.Round(fraction * BarWidth);
        var percent = (int)Math.Floor(fraction * 100);
        var noun = documents == 1 ? "document" : "documents";
        return $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {percent.ToString(CultureInfo.InvariantCulture),3}%  {documents.ToString("N0", CultureInfo.InvariantCulture)} {noun}";
    }
}
