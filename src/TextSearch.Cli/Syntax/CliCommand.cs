using System.CommandLine;

namespace TextSearch.Cli.Syntax;

internal enum CommandKind
{
    Normalize,
    Analyze,
    Search,
    Snippet,
    Get,
    Delete,
    Index,
    Bench,
    Suggest,
    Related,
}

/// <summary>
/// A command of textsearch: a System.CommandLine command whose positional arguments are strings, with the options of
/// its own (declared on the root, see <see cref="CliOption"/>) and the longer help text.
/// </summary>
internal sealed class CliCommand : Command
{
    public CliCommand(CommandKind kind, string name, string[] arguments, Option[] ownOptions, string summary, string details)
        : base(name, summary)
    {
        Kind = kind;
        OwnOptions = ownOptions;
        Details = details;
        // "[NAME]" is an optional argument named NAME.
        Positionals = [.. arguments.Select(a => a.StartsWith('[') && a.EndsWith(']')
            ? new Argument<string>(a[1..^1]) { Arity = ArgumentArity.ZeroOrOne }
            : new Argument<string>(a))];
        foreach (var argument in Positionals)
        {
            Arguments.Add(argument);
        }
    }

    public CommandKind Kind { get; }

    /// <summary>The options that apply to this command besides the global ones, in the order of its usage line.</summary>
    public IReadOnlyList<Option> OwnOptions { get; }

    public IReadOnlyList<Argument<string>> Positionals { get; }

    /// <summary>What the command's help says after the summary; may be empty.</summary>
    public string Details { get; }

    /// <summary>The arguments that must be given (the optional ones come after them).</summary>
    public int RequiredPositionals => Positionals.Count(a => a.Arity.MinimumNumberOfValues > 0);

    /// <summary>The arguments as help shows them: NAME, or [NAME] when it may be left out.</summary>
    public string PositionalsLabel => string.Join(' ', Positionals.Select(a => a.Arity.MinimumNumberOfValues > 0 ? a.Name : $"[{a.Name}]"));

    public string Usage =>
        $"textsearch {Name}{string.Concat(OwnOptions.Select(o => $" [{CliOption.Label(o)}]{(CliOption.IsRepeatable(o) ? "..." : string.Empty)}"))} {PositionalsLabel}".TrimEnd();
}
