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
            // One value, even when T is a list (--facets a,b): a second --name is "given more than once".
            Arity = ArgumentArity.ExactlyOne,
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

    /// <summary>
    /// An option that may be given again and again, one value each time ("--source A --source B"); empty when it is not
    /// given. <paramref name="parse"/> returns null for a value it refuses; <paramref name="error"/> words that value.
    /// </summary>
    public static Option<IReadOnlyList<T>> Repeatable<T>(string name, string helpName, string description, Func<string, T?> parse, Func<string, string> error)
        where T : class =>
        new(name)
        {
            HelpName = helpName,
            Description = description,
            Recursive = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
            CustomParser = result =>
            {
                var values = new List<T>();
                foreach (var token in result.Tokens)
                {
                    if (parse(token.Value) is { } value)
                    {
                        values.Add(value);
                    }
                    else
                    {
                        result.AddError(error(token.Value));
                        break;
                    }
                }

                return values;
            },
        };

    /// <summary>A calendar day written as YYYY-MM-DD (ISO 8601), nothing else.</summary>
    public static Option<DateOnly?> Day(string name, string description) =>
        Value<DateOnly?>(
            name,
            "DATE",
            description,
            text => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null,
            text => $"{name} must be a date as YYYY-MM-DD, e.g. 2017-01-31; got '{text}'.");

    /// <summary>True for an option that may be given more than once (<see cref="Repeatable{T}"/>).</summary>
    public static bool IsRepeatable(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return option.Arity.MaximumNumberOfValues > 1;
    }

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
