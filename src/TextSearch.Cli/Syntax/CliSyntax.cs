using System.CommandLine;
using System.Globalization;
using TextSearch.Cli.Bench;
using TextSearch.Client;
using TextSearch.V1;

namespace TextSearch.Cli.Syntax;

/// <summary>
/// The command line of textsearch as a System.CommandLine tree: <c>textsearch [options] COMMAND [options] ARGS...</c>.
/// Options go before or after the command, as <c>--name value</c> or <c>--name=value</c>; <c>--</c> ends the options.
/// Reading a command line (<see cref="Read"/>) is in CliSyntax.Reading.cs; the help is <see cref="HelpText"/>.
/// </summary>
internal sealed partial class CliSyntax
{
    public const string ServerVariable = "TEXTSEARCH_SERVER";
    public const string BidiVariable = "TEXTSEARCH_BIDI";

    public CliSyntax()
    {
        Commands =
        [
            new(CommandKind.Normalize, "normalize", ["TEXT"], [],
                "Print TEXT normalized the way the index normalizes it.",
                "Alef forms, teh marbuta, alef maksura, diacritics, tatweel, Persian letters, Arabic-Indic digits,\n" +
                "presentation forms and invisible marks are folded, exactly as the server indexes text.\n" +
                "Example: textsearch normalize 'ٱلرَّحْمَٰنِ'   prints   الرحمن"),
            new(CommandKind.Analyze, "analyze", ["TEXT"], [],
                "Show the tokens of TEXT: position, original text, normalized term, stem, flags.",
                "Stopwords are not indexed but keep their position; numbers are flagged."),
            new(CommandKind.Search, "search", ["[QUERY]"], [PageSize, PageToken, Snippets, Source, From, To, Sort, Facets, FacetSize],
                "Ranked search with highlighted snippets, filters, sort orders and facets.",
                "Words are ranked with BM25; \"a phrase\" must match as a phrase; -word excludes a word (put '--'\n" +
                "before a query that starts with '-', e.g. textsearch search -- '-word other').\n" +
                "Each hit shows its rank on this page, title, id, score, source and date when known, and its snippets.\n" +
                "The last lines give the total number of hits and the token of the next page, with the command\n" +
                "that shows it (the same query, filters and sort order):\n" +
                "  textsearch search QUERY --page-token TOKEN\n" +
                "\n" +
                "Filters never change scores: --source (repeatable: any of them; compared after normalization),\n" +
                "--from and --to (days, UTC, both included; undated documents are left out once either is given).\n" +
                "--sort newest|oldest orders the hits by date (undated ones last) instead of by relevance.\n" +
                "--facets source,published_at counts every matching document per source and per month (YYYY-MM),\n" +
                "printed as a table after the hits; --facet-size N values per facet (default 10).\n" +
                "With a filter or facets the QUERY may be left out: the matching documents are listed.\n" +
                "Examples:\n" +
                "  textsearch search داعش --source الخليج --source 'عنب بلدي' --from 2017-01-01 --to 2017-12-31\n" +
                "  textsearch search --from 2017-10-01 --sort newest --facets source,published_at"),
            new(CommandKind.Snippet, "snippet", ["DOC_ID", "QUERY"], [Snippets],
                "Show the passages of one document that match QUERY.", string.Empty),
            new(CommandKind.Get, "get", ["ID"], [],
                "Print a stored document.", string.Empty),
            new(CommandKind.Delete, "delete", ["ID"], [],
                "Delete a document.", string.Empty),
            new(CommandKind.Index, "index", ["PATH"], [],
                "Upsert documents from a file or a folder, streamed to the server.",
                "PATH is one of:\n" +
                "  FILE.txt           one document: id = the file name without .txt, title = the first non-empty\n" +
                "                     line, body = the rest. (The server's own seed extraction, which also finds\n" +
                "                     the source and the date in saved news pages, is not applied.)\n" +
                "  FILE.jsonl         one JSON object per line: {\"id\", \"title\", \"body\", \"source\", \"date\"}\n" +
                "  FILE.jsonl.gz      the same, gzip-compressed.\n" +
                "                     \"date\" (or \"publishedAt\") is ISO 8601, e.g. 2019-02-20 or 2019-02-20T10:00:00Z;\n" +
                "                     an optional \"metadata\" object maps strings to strings; other fields are ignored.\n" +
                "  FOLDER             every .txt, .jsonl and .jsonl.gz file directly inside it, in name order.\n" +
                "A progress bar is drawn on stderr when stderr is a terminal; the summary line goes to stdout.\n" +
                "Documents the server (or the CLI, for a malformed line) rejects are listed on stderr and make the\n" +
                "exit code 1; the others are stored. Documents go in batches of up to 500 (4 MiB), each acknowledged\n" +
                "by the server once committed and sent again whole if the server is unavailable; a batch has no\n" +
                "deadline unless --timeout is given."),
            new(CommandKind.Suggest, "suggest", ["TEXT"], [Size],
                "Complete the last word of TEXT from the indexed words.",
                "The words before the last are kept as typed; the completions are ranked by the number of documents\n" +
                "holding them and shown in their most frequent spelling, with the normalized word and that number.\n" +
                "Example: textsearch suggest 'قوات الديمو'   suggests   قوات الديموقراطية"),
            new(CommandKind.Related, "related", ["ID"], [PageSize, Source, From, To],
                "The documents most like document ID (never ID itself).",
                "The most distinctive terms of the document are searched for; --source, --from and --to restrict the\n" +
                "documents returned, as for search. One page of hits (--page-size, default 10), shown as search shows them."),
            new(CommandKind.Bench, "bench", [],
                [Bench.Call, Bench.Query, Bench.Queries, Bench.Docs, Bench.UniqueIds, Bench.Concurrency, Bench.Connections, Bench.Count,
                    Bench.Duration, Bench.Warmup, PageSize, Snippets, Source, From, To, Sort, Facets, FacetSize, Bench.CountErrors, Bench.EmitRequest],
                "Load-test the server: many concurrent calls, then latency percentiles and status codes.",
                BenchSettings.Details),
        ];
        Globals = [Server, Timeout, Json, Visual, Logical, Brackets, Color, NoColor];
        AllOptions = [.. Globals, PageSize, PageToken, Snippets, Source, From, To, Sort, Facets, FacetSize, Size, .. Bench.All];
        HelpCommand.Arguments.Add(new Argument<string>("COMMAND") { Arity = ArgumentArity.ZeroOrOne });

        Root.Options.Add(Help);
        Root.Options.Add(Version);
        foreach (var option in AllOptions)
        {
            Root.Options.Add(option);
        }

        foreach (var command in Commands)
        {
            Root.Subcommands.Add(command);
        }

        Root.Subcommands.Add(HelpCommand);
    }

    /// <summary>The root: the program itself. A plain command, so no directives ("[diagram]") and no default options.</summary>
    public Command Root { get; } = new("textsearch", "The command-line client of the TextSearch Arabic search service (gRPC).");

    /// <summary><c>help [COMMAND]</c>.</summary>
    public Command HelpCommand { get; } = new("help", "Show this help, or a command's.");

    public IReadOnlyList<CliCommand> Commands { get; }

    /// <summary>The options every command takes.</summary>
    public IReadOnlyList<Option> Globals { get; }

    /// <summary>Every option but --help and --version, in the order the help lists them.</summary>
    public IReadOnlyList<Option> AllOptions { get; }

    public Option<bool> Help { get; } = CliOption.Switch("--help", "Show help.", "-h");

    public Option<bool> Version { get; } = CliOption.Switch("--version", "Show the version.");

    public Option<Uri?> Server { get; } = CliOption.Value<Uri?>(
        "--server", "URL", "The server (default http://localhost:50051, or $TEXTSEARCH_SERVER).", ServerUri, text => NotAServer("--server", text));

    public Option<TimeSpan?> Timeout { get; } = CliOption.Value<TimeSpan?>(
        "--timeout",
        "SECONDS",
        "Deadline of each call (default 30; 0 = none; index: none unless given).",
        text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            && seconds <= TimeSpan.FromDays(1).TotalSeconds ? TimeSpan.FromSeconds(seconds) : null,
        text => $"--timeout must be a number of seconds between 0 (no deadline) and 86400; got '{text}'.");

    public Option<bool> Json { get; } = CliOption.Switch("--json", "Machine-readable output: one JSON document (proto3 JSON mapping; bench: its report) on stdout.");

    public Option<bool> Visual { get; } = CliOption.Switch("--visual", "Reorder right-to-left text for terminals without bidi support ($TEXTSEARCH_BIDI=visual).");

    public Option<bool> Logical { get; } = CliOption.Switch("--logical", "Print text in logical order (the default; overrides $TEXTSEARCH_BIDI).");

    public Option<bool> Brackets { get; } = CliOption.Switch("--brackets", "Mark highlights with [brackets] (in addition to colour, if any).");

    public Option<bool> Color { get; } = CliOption.Switch("--color", "Colour highlights even when stdout is not a terminal or NO_COLOR is set.");

    public Option<bool> NoColor { get; } = CliOption.Switch("--no-color", "Never colour highlights.");

    public Option<int?> PageSize { get; } = CliOption.Whole("--page-size", "N", 1, 100, "Hits per page, 1 to 100 (default 10).");

    public Option<string?> PageToken { get; } = CliOption.Text("--page-token", "TOKEN", "The page to show: the token printed under the previous page.");

    public Option<int?> Snippets { get; } = CliOption.Whole(
        "--snippets", "N", 1, 10, "Snippets per hit (search, default 1) or per document (snippet, default 3); at most 10.");

    public Option<IReadOnlyList<string>> Source { get; } = CliOption.Repeatable(
        "--source", "S", "Only documents from source S; repeat it for any of several sources.", text => text.Trim().Length > 0 ? text : null,
        _ => "--source must not be empty.");

    public Option<DateOnly?> From { get; } = CliOption.Day("--from", "Only documents published on or after DATE (YYYY-MM-DD, UTC).");

    public Option<DateOnly?> To { get; } = CliOption.Day("--to", "Only documents published on or before DATE (YYYY-MM-DD, UTC; the whole day).");

    public Option<SortOrder?> Sort { get; } = CliOption.Value(
        "--sort", "ORDER", "relevance (default), newest or oldest first (by date; undated documents last).", ParseSort,
        text => $"--sort must be relevance, newest or oldest; got '{text}'.");

    public Option<IReadOnlyList<string>?> Facets { get; } = CliOption.Value(
        "--facets", "LIST", "Count the matching documents per source and/or per month: source,published_at.", ParseFacets,
        text => $"--facets must be a comma-separated list of {string.Join(" and ", FacetNames)} (e.g. source,published_at); got '{text}'.");

    public Option<int?> FacetSize { get; } = CliOption.Whole("--facet-size", "N", 1, 100, "Values per facet, 1 to 100 (default 10).");

    public Option<int?> Size { get; } = CliOption.Whole("--size", "N", 1, 50, "Suggestions to show, 1 to 50 (default 10).");

    public BenchOptions Bench { get; } = new();

    /// <summary>The facets the server counts, as --facets names them.</summary>
    public static IReadOnlyList<string> FacetNames { get; } = [SearchFacets.Source, SearchFacets.PublishedAt];

    public CliCommand? Find(string name) => Commands.FirstOrDefault(c => c.Name == name);

    /// <summary>relevance, newest or oldest (any case); null for anything else.</summary>
    internal static SortOrder? ParseSort(string text) => text.Trim().ToUpperInvariant() switch
    {
        "RELEVANCE" => SortOrder.Relevance,
        "NEWEST" => SortOrder.Newest,
        "OLDEST" => SortOrder.Oldest,
        _ => null,
    };

    /// <summary>Facet names separated by commas, each known, each kept once in the order given; null for anything else.</summary>
    internal static IReadOnlyList<string>? ParseFacets(string text)
    {
        var names = new List<string>();
        foreach (var item in text.Split(','))
        {
            var name = FacetNames.FirstOrDefault(n => string.Equals(n, item.Trim(), StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                return null;
            }

            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>An http:// or https:// URL with a host; null for anything else.</summary>
    private static Uri? ServerUri(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? uri
            : null;

    private static string NotAServer(string origin, string text) =>
        $"{origin} '{text}' is not an http:// or https:// URL (e.g. {Invocation.DefaultServer}).";
}
