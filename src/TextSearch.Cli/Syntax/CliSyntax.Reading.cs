using System.CommandLine;
using System.CommandLine.Parsing;
using TextSearch.Cli.Bench;

namespace TextSearch.Cli.Syntax;

/// <summary>
/// Reading a command line: System.CommandLine tokenizes it and binds the options and arguments; what is left here is the
/// CLI's own rules and words for what went wrong.
/// <para>
/// A word on the command line is an option only when System.CommandLine knows it as one. Any other word that starts
/// with "--", or with "-" and an ASCII letter, is an unknown option; every other word is text. So "-داعش" or "-٥" is a
/// query word as it stands (<c>textsearch search -داعش</c>), while a query that starts with "-" and a Latin letter
/// needs "--" before it.
/// </para>
/// </summary>
internal sealed partial class CliSyntax
{
    private static readonly ParserConfiguration Configuration = new()
    {
        // No -abc bundles (the only short option is -h), and no @file response files: "@user" is a query like any other.
        EnablePosixBundling = false,
        ResponseFileTokenReplacer = null,
    };

    public CliRequest Read(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);

        var parse = Root.Parse(args, Configuration);
        var chosen = parse.CommandResult.Command;
        var (stray, words) = Scan(parse, args, (chosen as CliCommand)?.Name);
        if (parse.GetValue(Version))
        {
            return new ShowVersion();
        }

        var help = parse.GetValue(Help);
        if (chosen == Root)
        {
            if (words.Count == 0)
            {
                return help ? new ShowHelp(null) : throw new UsageException("no command given.");
            }

            // "textsearch -- search -word": the command's name may come right after "--"; what follows it is still text.
            var end = args.ToList().IndexOf("--");
            if (words[0].Literal && args[end + 1] == words[0].Text && (Find(words[0].Text) is not null || words[0].Text == HelpCommand.Name))
            {
                return Read([.. args.Take(end), words[0].Text, "--", .. args.Skip(end + 2)], environment);
            }

            throw new UsageException($"unknown command '{words[0].Text}'.");
        }

        // A word before the command's name stands where a command was expected.
        if (stray.Count > 0)
        {
            throw new UsageException($"unknown command '{stray[0].Text}'.");
        }

        var positionals = words.Select(w => w.Text).ToList();
        if (chosen == HelpCommand)
        {
            return positionals.Count switch
            {
                0 => new ShowHelp(null),
                1 => new ShowHelp(Find(positionals[0]) ?? throw new UsageException($"unknown command '{positionals[0]}'.")),
                _ => throw new UsageException("help takes at most one command name."),
            };
        }

        var command = (CliCommand)chosen;
        if (help)
        {
            return new ShowHelp(command);
        }

        if (AllOptions.FirstOrDefault(o => CliOption.Given(parse, o) && !Globals.Contains(o) && !command.OwnOptions.Contains(o)) is { } foreign)
        {
            throw new UsageException($"option {foreign.Name} does not apply to '{command.Name}'.", command.Name);
        }

        CheckPositionals(command, positionals);

        // What is left are the values the options refused (CliOption.Value), in System.CommandLine's order.
        if (parse.Errors.Count > 0)
        {
            throw new UsageException(parse.Errors[0].Message, command.Name);
        }

        var sources = parse.GetValue(Source) ?? [];
        var from = parse.GetValue(From);
        var to = parse.GetValue(To);
        var facets = parse.GetValue(Facets) ?? [];
        if (from is { } first && to is { } last && first > last)
        {
            throw new UsageException($"--from {first:yyyy-MM-dd} is after --to {last:yyyy-MM-dd}.", command.Name);
        }

        if (CliOption.Given(parse, FacetSize) && facets.Count == 0)
        {
            throw new UsageException("--facet-size needs --facets.", command.Name);
        }

        // A search without a query lists the documents of a filter or counts facets; with neither, it has nothing to do.
        if (command.Kind == CommandKind.Search && positionals.Count == 0 && sources.Count == 0 && from is null && to is null && facets.Count == 0)
        {
            throw new UsageException(
                $"{command.Name}: missing QUERY (without one, give {Source.Name}, {From.Name}, {To.Name} or {Facets.Name} to list the matching documents).",
                command.Name);
        }

        var (server, serverText) = ServerOf(parse.GetValue(Server), environment(ServerVariable), command.Name);
        return new Invocation
        {
            Command = command,
            Arguments = [.. command.Positionals.Select(a => parse.GetValue(a) ?? string.Empty)],
            Server = server,
            ServerText = serverText,
            Timeout = parse.GetValue(Timeout),
            Json = parse.GetValue(Json),
            Visual = VisualOf(parse.GetValue(Visual), parse.GetValue(Logical), environment(BidiVariable), command.Name),
            Brackets = parse.GetValue(Brackets),
            Color = Either(parse.GetValue(Color), parse.GetValue(NoColor), Color, NoColor, command.Name),
            PageSize = parse.GetValue(PageSize),
            PageToken = parse.GetValue(PageToken),
            Snippets = parse.GetValue(Snippets),
            Sources = sources,
            From = from,
            To = to,
            Sort = parse.GetValue(Sort),
            Facets = facets,
            FacetSize = parse.GetValue(FacetSize),
            Size = parse.GetValue(Size),
            Bench = command.Kind == CommandKind.Bench ? BenchSettings.From(parse, Bench, [PageSize, Snippets, Source, From, To, Sort, Facets, FacetSize]) : null,
        };
    }

    /// <summary>A word of the command line that no option took as its value; <paramref name="Literal"/> when it comes after "--".</summary>
    private sealed record Word(string Text, bool Literal);

    /// <summary>
    /// Goes through the tokens once and stops at the first option mistake (unknown, repeated, without its value), then
    /// looks for a switch given a value. Returns the words before the command's name (none belong there) and the words
    /// after it.
    /// </summary>
    private (List<Word> Stray, List<Word> Words) Scan(ParseResult parse, IReadOnlyList<string> args, string? command)
    {
        var taken = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        foreach (var option in AllOptions)
        {
            taken.UnionWith(parse.GetResult(option)?.Tokens ?? []);
        }

        var seen = new HashSet<Option>();
        var occurrences = new Dictionary<Option, int>();
        var stray = new List<Word>();
        var words = new List<Word>();
        var literal = false;
        foreach (var token in parse.Tokens)
        {
            switch (token.Type)
            {
                case TokenType.DoubleDash:
                    literal = true;
                    break;
                case TokenType.Command:
                    stray.AddRange(words);
                    words.Clear();
                    break;
                case TokenType.Option when FindOption(token.Value) is { } option && option != Help && option != Version:
                    occurrences[option] = occurrences.GetValueOrDefault(option) + 1;
                    if (!seen.Add(option) && !CliOption.IsRepeatable(option))
                    {
                        throw new UsageException($"option {option.Name} is given more than once.", command);
                    }

                    // A repeatable option takes one value each time it is given: fewer values than times means one went without.
                    if (option.Arity.MinimumNumberOfValues > 0 && parse.GetResult(option) is { } given && given.Tokens.Count < occurrences[option])
                    {
                        throw new UsageException($"option {option.Name} needs a value ({option.HelpName}).", command);
                    }

                    break;

                // A leading "[name]" is a directive to System.CommandLine (none is declared); to textsearch it is a word.
                case TokenType.Argument or TokenType.Directive when !taken.Contains(token):
                    if (!literal && IsOptionLike(token.Value))
                    {
                        throw new UsageException(UnknownOption(token.Value), command);
                    }

                    words.Add(new Word(token.Value, literal));
                    break;
            }
        }

        // System.CommandLine splits "--json=yes" into the switch and a word "yes"; only the line itself shows where it came from.
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOfAny(['=', ':']) is > 2 and var end
                && FindOption(arg[..end]) is { Arity.MaximumNumberOfValues: 0 } @switch)
            {
                throw new UsageException($"option {@switch.Name} does not take a value.", command);
            }
        }

        return (stray, words);
    }

    private static void CheckPositionals(CliCommand command, List<string> positionals)
    {
        var expected = command.Positionals.Select(a => a.Name).ToList();
        if (positionals.Count < command.RequiredPositionals)
        {
            throw new UsageException($"{command.Name}: missing {string.Join(" and ", expected.Take(command.RequiredPositionals).Skip(positionals.Count))}.", command.Name);
        }

        if (positionals.Count > 0 && expected.Count == 0)
        {
            throw new UsageException($"{command.Name} takes no arguments; got '{positionals[0]}' (options start with --).", command.Name);
        }

        if (positionals.Count > expected.Count)
        {
            throw new UsageException(
                $"{command.Name}: too many arguments (expected {string.Join(' ', expected)}, got {positionals.Count}); quote text that contains spaces, e.g. textsearch {command.Name} \"two words\".",
                command.Name);
        }
    }

    private Option? FindOption(string name) =>
        AllOptions.Append(Help).Append(Version).FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name));

    /// <summary>"--anything", or "-" followed by an ASCII letter: what would be an option if it were one.</summary>
    private static bool IsOptionLike(string word) =>
        word.StartsWith("--", StringComparison.Ordinal) || (word.Length >= 2 && word[0] == '-' && char.IsAsciiLetter(word[1]));

    private static string UnknownOption(string word)
    {
        if (!word.StartsWith("--", StringComparison.Ordinal))
        {
            return $"unknown option '{word}' (to pass text that starts with '-', put '--' before it: textsearch search -- '{word}').";
        }

        var end = word.IndexOf('=', StringComparison.Ordinal);
        return $"unknown option '{(end > 0 ? word[..end] : word)}'.";
    }

    private static (Uri Server, string Text) ServerOf(Uri? option, string? variable, string command)
    {
        if (option is not null)
        {
            return (option, option.OriginalString.TrimEnd('/'));
        }

        if (string.IsNullOrWhiteSpace(variable))
        {
            return (new Uri(Invocation.DefaultServer), Invocation.DefaultServer);
        }

        var text = variable.Trim();
        return ServerUri(text) is { } uri ? (uri, text.TrimEnd('/')) : throw new UsageException(NotAServer(ServerVariable, text), command);
    }

    private bool VisualOf(bool visual, bool logical, string? variable, string command)
    {
        if (Either(visual, logical, Visual, Logical, command) is { } chosen)
        {
            return chosen;
        }

        return variable?.Trim().ToUpperInvariant() switch
        {
            null or "" or "LOGICAL" => false,
            "VISUAL" => true,
            _ => throw new UsageException($"{BidiVariable} must be 'visual' or 'logical'; got '{variable}'.", command),
        };
    }

    /// <summary>Two switches that say yes and no: true, false, or null when neither is given.</summary>
    private static bool? Either(bool on, bool off, Option onOption, Option offOption, string command) => (on, off) switch
    {
        (true, true) => throw new UsageException($"{onOption.Name} and {offOption.Name} contradict each other.", command),
        (true, false) => true,
        (false, true) => false,
        _ => null,
    };
}
