using System.CommandLine;
using System.Text;

namespace TextSearch.Cli.Syntax;

/// <summary>The help of textsearch and of each command, written from the <see cref="CliSyntax"/> tree.</summary>
internal static class HelpText
{
    public static string For(CliSyntax syntax, CliCommand? command) => command is null ? General(syntax) : OfCommand(syntax, command);

    public static string General(CliSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        var sb = new StringBuilder();
        sb.AppendLine("textsearch: the command-line client of the TextSearch Arabic search service (gRPC).");
        sb.AppendLine();
        sb.AppendLine("Usage: textsearch [options] COMMAND ARGS...");
        sb.AppendLine();
        sb.AppendLine("Commands:");
        foreach (var c in syntax.Commands)
        {
            Row(sb, $"{c.Name} {c.PositionalsLabel}".TrimEnd(), c.Description);
        }

        Row(sb, "help [COMMAND]", syntax.HelpCommand.Description);
        sb.AppendLine();
        sb.AppendLine("Options (before or after the command):");
        AppendOptions(sb, syntax.AllOptions.Where(o => syntax.Globals.Contains(o) || syntax.Commands.Any(c => c.Kind != CommandKind.Bench && c.OwnOptions.Contains(o))));
        Row(sb, "-h, --help", syntax.Help.Description);
        Row(sb, "--version", syntax.Version.Description);
        Row(sb, "--", "End of options: what follows is text, even if it starts with '-'.");
        sb.AppendLine("bench has options of its own: textsearch help bench.");
        sb.AppendLine();
        AppendCommon(sb);
        return sb.ToString();
    }

    public static string OfCommand(CliSyntax syntax, CliCommand command)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        ArgumentNullException.ThrowIfNull(command);
        var sb = new StringBuilder();
        sb.Append("Usage: ").AppendLine(command.Usage);
        sb.AppendLine();
        sb.AppendLine(command.Description);
        if (command.Details.Length > 0)
        {
            sb.AppendLine();
            sb.AppendLine(command.Details);
        }

        sb.AppendLine();
        sb.AppendLine("Options:");
        AppendOptions(sb, syntax.AllOptions.Where(o => syntax.Globals.Contains(o) || command.OwnOptions.Contains(o)));
        sb.AppendLine();
        AppendCommon(sb);
        return sb.ToString();
    }

    private static void AppendOptions(StringBuilder sb, IEnumerable<Option> options)
    {
        foreach (var o in options)
        {
            Row(sb, CliOption.Label(o), o.Description);
        }
    }

    private static void Row(StringBuilder sb, string name, string? description) => sb.Append("  ").Append(name.PadRight(24)).AppendLine(description);

    private static void AppendCommon(StringBuilder sb)
    {
        sb.AppendLine("Output:");
        sb.AppendLine("  Highlights are bold yellow when stdout is a terminal and NO_COLOR is not set, and plain");
        sb.AppendLine("  otherwise; --brackets marks them [like this] too, --color / --no-color force the colour.");
        sb.AppendLine("  Text is printed in logical order, which reads correctly in terminals and viewers with bidi");
        sb.AppendLine("  support and in pipes. For a terminal without bidi support use --visual (or");
        sb.AppendLine("  TEXTSEARCH_BIDI=visual): each line of right-to-left text is wrapped to the terminal width and");
        sb.AppendLine("  reordered, with numbers and Latin words kept left-to-right inside it.");
        sb.AppendLine("  --json prints one JSON document per command (the proto3 JSON mapping of the response:");
        sb.AppendLine("  lowerCamelCase names, 64-bit numbers as strings, offsets in code points).");
        sb.AppendLine();
        sb.AppendLine("Environment:");
        sb.AppendLine("  TEXTSEARCH_SERVER   the server, when --server is not given");
        sb.AppendLine("  TEXTSEARCH_API_KEY  the API key, sent on every call as 'authorization: Bearer KEY'");
        sb.AppendLine("  TEXTSEARCH_BIDI     'visual' or 'logical' (the default)");
        sb.AppendLine("  NO_COLOR            when set and not empty, no colour unless --color");
        sb.AppendLine("  COLUMNS             the width used by --visual when stdout is not a terminal (default 80)");
        sb.AppendLine("  TEXTSEARCH_DEBUG    when set, an unexpected error prints its stack trace");
        sb.AppendLine();
        sb.AppendLine("Exit codes: 0 success, 1 error (server unreachable, gRPC error, rejected documents), 2 usage error.");
    }
}
