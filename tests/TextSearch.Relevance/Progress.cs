namespace TextSearch.Relevance;

/// <summary>A progress bar on stderr (a line every 10% when stderr is not a terminal).</summary>
public sealed class Progress(string label, int total)
{
    private int _lastShown = -1;

    public void Report(int done)
    {
        var percent = total == 0 ? 100 : (int)(100L * done / total);
        if (Console.IsErrorRedirected)
        {
            if (percent / 10 != _lastShown / 10 || done == total)
            {
                Console.Error.WriteLine($"{label}: {done}/{total} ({percent}%)");
                _lastShown = percent;
            }

            return;
        }

        if (percent == _lastShown && done != total)
        {
            return;
        }

        _lastShown = percent;
        const int width = 30;
        var filled = width * percent / 100;
        Console.Error.Write($"\r{label,-28} [{new string('#', filled)}{new string('.', width - filled)}] {percent,3}% {done}/{total}");
        if (done >= total)
        {
            Console.Error.WriteLine();
        }
    }
}
