using System.Globalization;
using TextSearch.Cli.Bench;
using TextSearch.Client;
using TextSearch.V1;

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

    /// <summary>--source, each time it is given; empty for any source.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>--from: the first day (UTC) of the documents' dates.</summary>
    public DateOnly? From { get; init; }

    /// <summary>--to: the last day (UTC) of the documents' dates, included.</summary>
    public DateOnly? To { get; init; }

    /// <summary>--sort; null when not given (by relevance).</summary>
    public SortOrder? Sort { get; init; }

    /// <summary>--facets, each once, in the order given; empty for none.</summary>
    public IReadOnlyList<string> Facets { get; init; } = [];

    public int? FacetSize { get; init; }

    /// <summary>--size of suggest.</summary>
    public int? Size { get; init; }

    /// <summary>
    /// The filter of --source, --from and --to: --from is the start of its day (UTC, inclusive), --to the start of the
    /// next day (exclusive), so the whole of the --to day is in. Null when none is given.
    /// </summary>
    public DocumentFilter? Filter => Sources.Count == 0 && From is null && To is null
        ? null
        : new DocumentFilter
        {
            Sources = Sources,
            PublishedAfter = From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            PublishedBefore = To is { } to
                ? (to == DateOnly.MaxValue ? DateTimeOffset.MaxValue : new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))
                : null,
        };

    /// <summary>
    /// The options that ask for this search again, in the order the "next page" line prints them (before --page-token):
    /// page size, snippets, filters, sort order and facets, as given.
    /// </summary>
    public IReadOnlyList<string> SearchOptionArguments()
    {
        var args = new List<string>();
        if (PageSize is { } size)
        {
            args.AddRange(["--page-size", size.ToString(CultureInfo.InvariantCulture)]);
        }

        if (Snippets is { } snippets)
        {
            args.AddRange(["--snippets", snippets.ToString(CultureInfo.InvariantCulture)]);
        }

        foreach (var source in Sources)
        {
            args.AddRange(["--source", source]);
        }

        if (From is { } from)
        {
            args.AddRange(["--from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]);
        }

        if (To is { } to)
        {
            args.AddRange(["--to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]);
        }

        if (Sort is { } sort)
        {
            args.AddRange(["--sort", SortName(sort)]);
        }

        if (Facets.Count > 0)
        {
            args.AddRange(["--facets", string.Join(',', Facets)]);
        }

        if (FacetSize is { } facetSize)
        {
            args.AddRange(["--facet-size", facetSize.ToString(CultureInfo.InvariantCulture)]);
        }

        return args;
    }

    /// <summary>The --sort word of a sort order.</summary>
    public static string SortName(SortOrder sort) => sort switch
    {
        SortOrder.Newest => "newest",
        SortOrder.Oldest => "oldest",
        _ => "relevance",
    };

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
