using System.Globalization;

namespace TextSearch.Cli;

/// <summary>What the CLI learns from its surroundings: environment variables and whether it writes to terminals.</summary>
internal sealed record CliEnvironment(Func<string, string?> GetVariable, bool StdoutIsTerminal, bool StderrIsTerminal, int? TerminalWidth)
{
    /// <summary>
    /// The real process environment. A writer counts as a terminal only when it is the console's own writer and that
    /// stream is not redirected; a <see cref="StringWriter"/> in a test never is.
    /// </summary>
    public static CliEnvironment Detect(TextWriter stdout, TextWriter stderr)
    {
        var stdoutIsTerminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        var stderrIsTerminal = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        int? width = null;
        if (stdoutIsTerminal)
        {
            try
            {
                width = Console.WindowWidth > 0 ? Console.WindowWidth : null;
            }
            catch (IOException)
            {
            }
            catch (PlatformNotSupportedException)
            {
            }
        }

        return new CliEnvironment(Environment.GetEnvironmentVariable, stdoutIsTerminal, stderrIsTerminal, width);
    }

    /// <summary>The terminal's width, else $COLUMNS, else 80.</summary>
    public int Width =>
        TerminalWidth
        ?? (int.TryParse(GetVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns > 0 ? columns : 80);
}
