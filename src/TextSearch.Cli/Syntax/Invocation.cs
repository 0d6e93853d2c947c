using TextSearch.Cli.Bench;

namespace TextSearch.Cli.Syntax;

/// <summary>What the command line asks for.</summary>
internal abstract record CliRequest;

/// <summary>Show the general help (Topic null) or one command's help.</summary>
internal sealed record ShowHelp(CliCommand? Topic) : CliRequest;

internal sealed record ShowVersion : CliRequest;

/// <summary>Run a command against a server.</summary>
internal sealed record Invocation : CliRequest
{
    public const string DefaultServer = "http://localhost:50051";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public required CliCommand Command { get; init; }

    public required IReadOnlyList<string> Arguments { get; init; }

    public required Uri Server { get; init; }

    /// <summary>The server as the user wrote it (for messages).</summary>
    public required string ServerText { get; init; }

    /// <summary>--timeout; null when not given. <see cref="TimeSpan.Zero"/> means no deadline.</summary>
    public TimeSpan? Timeout { get; init; }

    public bool Json { get; init; }

    public bool Visual { get; init; }

    public bool Brackets { get; init; }

    /// <summary>--color (true) or --no-color (false); null: decided by the terminal and NO_COLOR.</summary>
    public bool? Color { get; init; }

    public int? PageSize { get; init; }

    public string? PageToken { get; init; }

    public int? Snippets { get; init; }

    /// <summary>The settings of <c>bench</c>; null for every other command.</summary>
    public BenchSettings? Bench { get; init; }

    /// <summary>The deadline of a unary call: --timeout, or 30 s; null for none.</summary>
    public TimeSpan? UnaryDeadline => Timeout is { } t ? (t == TimeSpan.Zero ? null : t) : DefaultTimeout;

    /// <summary>The deadline of the bulk upload: only an explicit --timeout.</summary>
    public TimeSpan? StreamDeadline => Timeout is { } t && t != TimeSpan.Zero ? t : null;
}

/// <summary>A mistake on the command line (exit code 2).</summary>
/// <param name="message">The error line, without the "textsearch: " prefix.</param>
/// <param name="command">The command whose help the hint points to; null for the general help.</param>
internal sealed class UsageException(string message, string? command = null) : Exception(message)
{
    public string? Command { get; } = command;
}
