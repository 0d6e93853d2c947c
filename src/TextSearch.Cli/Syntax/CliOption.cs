using System.CommandLine;
using System.Globalization;

namespace TextSearch.Cli.Syntax;

/// <summary>
/// Makes the options of textsearch. Every option is recursive and declared once, on the root command, so that it may
/// stand before or after the command name; which command an option belongs to is <see cref="CliCommand.OwnOptions"/>.
/// A value an option refuses becomes a parse error in the CLI's own words.
/// </summary>
internal static class CliOption
{
    /// <summary>A switch: given or not. It takes no value, so "--json true" leaves "true" to the command.</summary>
    public static Option<bool> Switch(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, Arity = ArgumentArity.Zero, Recursive = true };

    /// <summary>
    /// An option with one value, null when it is not given. <paramref name="parse"/> returns null for a value it refuses;
    /// <paramref name="error"/> turns that value into the message.
    /// </summary>
    public static Option<T> Value<T>(string name, string helpName, string description, Func<string, T> parse, Func<string, string> error) =>
        new(name)
        {
            HelpName = helpName,
            Description = description,
            Recursive = true,
            CustomParser = result =>
            {
                // No value, or the option twice: System.CommandLine reports the arity; CliSyntax words it.
                if (result.Tokens.Count != 1)
                {
                    return default;
                }

                var text = result.Tokens[0].Value;
                var value = parse(text);
                if (value is null)
                {
                    result.AddError(error(text));
                }

                return value;
            },
        };

    /// <summary>A value that must not be empty (a path, a query, a token).</summary>
    public static Option<string?> Text(string name, string helpName, string description) =>
        Value<string?>(name, helpName, description, text => text.Length > 0 ? text : null, _ => $"{name} must not be empty.");

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, digits only.</summary>
    public static Option<int?> Whole(string name, string helpName, int min, int max, string description) =>
        Value<int?>(
            name,
            helpName,
            description,
            text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null,
            text => string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number from {min} to {max}; got '{text}'."));

    /// <summary>"--name VALUE" in help and usage lines; a switch is its name alone.</summary>
    public static string Label(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return option.HelpName is null ? option.Name : $"{option.Name} {option.HelpName}";
    }

    /// <summary>The option was written on the command line (a switch's default does not count).</summary>
    public static bool Given(ParseResult parse, Option option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetResult(option) is { Implicit: false };
    }
}
