using System.Globalization;
using TextSearch.Cli.Bench;

namespace TextSearch.Cli.Arguments;

/// <summary>
/// The command line: <c>textsearch [options] COMMAND [options] ARGS...</c>. Options may stand before or after the
/// command, as <c>--name value</c> or <c>--name=value</c>; <c>--</c> ends the options. An argument is an option only
/// when it starts with "--" or with "-" and an ASCII letter, so a query such as "-٥" or "-داعش" is taken as text;
/// a query that starts with "-" and a Latin letter needs "--" before it.
/// </summary>
internal static class ArgParser
{
    public const string ServerVariable = "TEXTSEARCH_SERVER";
    public const string BidiVariable = "TEXTSEARCH_BIDI";

    public static ParseResult Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);

        string? command = null;
        var positionals = new List<string>();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var help = false;
        var version = false;
        var endOfOptions = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!endOfOptions && arg == "--")
            {
                endOfOptions = true;
                continue;
            }

            if (!endOfOptions && IsOption(arg))
            {
                if (arg is "-h" or "--help")
                {
                    help = true;
                    continue;
                }

                if (arg == "--version")
                {
                    version = true;
                    continue;
                }

                var eq = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=', StringComparison.Ordinal) : -1;
                var name = eq > 0 ? arg[..eq] : arg;
                var inline = eq > 0 ? arg[(eq + 1)..] : null;
                var option = OptionSpec.Find(name) ?? throw new UsageException(UnknownOption(name), CommandSpec.Find(command ?? string.Empty));
                string? value = null;
                if (option.Value is not null)
                {
                    if (inline is not null)
                    {
                        value = inline;
                    }
                    else if (i + 1 < args.Count)
                    {
                        value = args[++i];
                    }
                    else
                    {
                        throw new UsageException($"option {name} needs a value ({option.Value}).", CommandSpec.Find(command ?? string.Empty));
                    }
                }
                else if (inline is not null)
                {
                    throw new UsageException($"option {name} does not take a value.", CommandSpec.Find(command ?? string.Empty));
                }

                if (!values.TryAdd(name, value))
                {
                    throw new UsageException($"option {name} is given more than once.", CommandSpec.Find(command ?? string.Empty));
                }

                continue;
            }

            if (command is null)
            {
                command = arg;
            }
            else
            {
                positionals.Add(arg);
            }
        }

        if (version)
        {
            return new ShowVersion();
        }

        if (command is null)
        {
            return help ? new ShowHelp(null) : throw new UsageException("no command given.");
        }

        if (command == "help")
        {
            return positionals.Count switch
            {
                0 => new ShowHelp(null),
                1 => new ShowHelp(CommandSpec.Find(positionals[0]) ?? throw new UsageException($"unknown command '{positionals[0]}'.")),
                _ => throw new UsageException("help takes at most one command name."),
            };
        }

        var spec = CommandSpec.Find(command) ?? throw new UsageException($"unknown command '{command}'.");
        if (help)
        {
            return new ShowHelp(spec);
        }

        foreach (var name in values.Keys)
        {
            if (!OptionSpec.Find(name)!.Global && !spec.Options.Contains(name))
            {
                throw new UsageException($"option {name} does not apply to '{spec.Name}'.", spec);
            }
        }

        if (positionals.Count < spec.Arguments.Length)
        {
            throw new UsageException($"{spec.Name}: missing {string.Join(" and ", spec.Arguments.Skip(positionals.Count))}.", spec);
        }

        if (positionals.Count > 0 && spec.Arguments.Length == 0)
        {
            throw new UsageException($"{spec.Name} takes no arguments; got '{positionals[0]}' (options start with --).", spec);
        }

        if (positionals.Count > spec.Arguments.Length)
        {
            var expected = string.Join(' ', spec.Arguments);
            throw new UsageException(
                $"{spec.Name}: too many arguments (expected {expected}, got {positionals.Count}); quote text that contains spaces, e.g. textsearch {spec.Name} \"two words\".",
                spec);
        }

        var (server, serverText) = Server(values.GetValueOrDefault("--server"), environment(ServerVariable), spec);
        return new Invocation
        {
            Command = spec,
            Arguments = positionals,
            Server = server,
            ServerText = serverText,
            Timeout = values.TryGetValue("--timeout", out var timeout) ? Timeout(timeout!, spec) : null,
            Json = values.ContainsKey("--json"),
            Visual = Visual(values.ContainsKey("--visual"), values.ContainsKey("--logical"), environment(BidiVariable), spec),
            Brackets = values.ContainsKey("--brackets"),
            Color = Switch(values.ContainsKey("--color"), values.ContainsKey("--no-color"), "--color", "--no-color", spec),
            PageSize = values.TryGetValue("--page-size", out var size) ? Integer("--page-size", size!, 1, 100, spec) : null,
            PageToken = values.TryGetValue("--page-token", out var token) ? NonEmpty("--page-token", token!, spec) : null,
            Snippets = values.TryGetValue("--snippets", out var snippets) ? Integer("--snippets", snippets!, 1, 10, spec) : null,
            Bench = spec.Kind == CommandKind.Bench ? BenchSettings.Parse(values, spec) : null,
        };
    }

    /// <summary>"--anything", or "-" followed by an ASCII letter.</summary>
    internal static bool IsOption(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) || (arg.Length >= 2 && arg[0] == '-' && char.IsAsciiLetter(arg[1]));

    private static string UnknownOption(string name) =>
        name.StartsWith("--", StringComparison.Ordinal)
            ? $"unknown option '{name}'."
            : $"unknown option '{name}' (to pass text that starts with '-', put '--' before it: textsearch search -- '{name}').";

    private static (Uri Server, string Text) Server(string? option, string? variable, CommandSpec spec)
    {
        var (text, origin) = option is not null
            ? (option, "--server")
            : !string.IsNullOrWhiteSpace(variable) ? (variable.Trim(), ServerVariable) : (Invocation.DefaultServer, "the default server");
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0)
        {
            return (uri, text.TrimEnd('/'));
        }

        throw new UsageException($"{origin} '{text}' is not an http:// or https:// URL (e.g. {Invocation.DefaultServer}).", spec);
    }

    private static TimeSpan Timeout(string text, CommandSpec spec)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            && seconds <= TimeSpan.FromDays(1).TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        throw new UsageException($"--timeout must be a number of seconds between 0 (no deadline) and 86400; got '{text}'.", spec);
    }

    private static int Integer(string name, string text, int min, int max, CommandSpec spec)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        throw new UsageException($"{name} must be a whole number from {min} to {max}; got '{text}'.", spec);
    }

    private static string NonEmpty(string name, string text, CommandSpec spec) =>
        text.Length > 0 ? text : throw new UsageException($"{name} must not be empty.", spec);

    private static bool Visual(bool visual, bool logical, string? variable, CommandSpec spec)
    {
        if (Switch(visual, logical, "--visual", "--logical", spec) is { } chosen)
        {
            return chosen;
        }

        return variable?.Trim().ToUpperInvariant() switch
        {
            null or "" or "LOGICAL" => false,
            "VISUAL" => true,
            _ => throw new UsageException($"{BidiVariable} must be 'visual' or 'logical'; got '{variable}'.", spec),
        };
    }

    private static bool? Switch(bool on, bool off, string onName, string offName, CommandSpec spec) => (on, off) switch
    {
        (true, true) => throw new UsageException($"{onName} and {offName} contradict each other.", spec),
        (true, false) => true,
        (false, true) => false,
        _ => null,
    };
}
