namespace TextSearch.Cli.Arguments;

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
}

/// <summary>A command: its name, positional arguments, the options of its own, and its help.</summary>
internal sealed record CommandSpec(CommandKind Kind, string Name, string[] Arguments, string[] Options, string Summary, string Details)
{
    public string Usage => $"textsearch {Name}{string.Concat(Options.Select(o => $" [{o}{OptionSpec.Find(o)!.ValueSuffix}]"))} {string.Join(' ', Arguments)}".TrimEnd();

    public static IReadOnlyList<CommandSpec> All { get; } =
    [
        new(CommandKind.Normalize, "normalize", ["TEXT"], [],
            "Print TEXT normalized the way the index normalizes it.",
            "Alef forms, teh marbuta, alef maksura, diacritics, tatweel, Persian letters, Arabic-Indic digits,\n" +
            "presentation forms and invisible marks are folded, exactly as the server indexes text.\n" +
            "Example: textsearch normalize 'ٱلرَّحْمَٰنِ'   prints   الرحمن"),
        new(CommandKind.Analyze, "analyze", ["TEXT"], [],
            "Show the tokens of TEXT: position, original text, normalized term, stem, flags.",
            "Stopwords are not indexed but keep their position; numbers are flagged."),
        new(CommandKind.Search, "search", ["QUERY"], ["--page-size", "--page-token", "--snippets"],
            "Ranked search with highlighted snippets.",
            "Words are ranked with BM25; \"a phrase\" must match as a phrase; -word excludes a word (put '--'\n" +
            "before a query that starts with '-', e.g. textsearch search -- '-word other').\n" +
            "Each hit shows its rank on this page, title, id, score, source and date when known, and its snippets.\n" +
            "The last lines give the total number of hits and the token of the next page:\n" +
            "  textsearch search QUERY --page-token TOKEN"),
        new(CommandKind.Snippet, "snippet", ["DOC_ID", "QUERY"], ["--snippets"],
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
        new(CommandKind.Bench, "bench", [],
            ["--call", "--query", "--queries", "--docs", "--unique-ids", "--concurrency", "--connections", "--count", "--duration", "--warmup",
                "--page-size", "--snippets", "--count-errors", "--emit-request"],
            "Load-test the server: many concurrent calls, then latency percentiles and status codes.",
            Bench.BenchSettings.Details),
    ];

    public static CommandSpec? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}

/// <summary>An option: its name, the name of its value (null for a switch), and whether every command takes it.</summary>
internal sealed record OptionSpec(string Name, string? Value, bool Global, string Help)
{
    public string ValueSuffix => Value is null ? string.Empty : " " + Value;

    public static IReadOnlyList<OptionSpec> All { get; } =
    [
        new("--server", "URL", true, "The server (default http://localhost:50051, or $TEXTSEARCH_SERVER)."),
        new("--timeout", "SECONDS", true, "Deadline of each call (default 30; 0 = none; index: none unless given)."),
        new("--json", null, true, "Machine-readable output: one JSON document (proto3 JSON mapping; bench: its report) on stdout."),
        new("--visual", null, true, "Reorder right-to-left text for terminals without bidi support ($TEXTSEARCH_BIDI=visual)."),
        new("--logical", null, true, "Print text in logical order (the default; overrides $TEXTSEARCH_BIDI)."),
        new("--brackets", null, true, "Mark highlights with [brackets] (in addition to colour, if any)."),
        new("--color", null, true, "Colour highlights even when stdout is not a terminal or NO_COLOR is set."),
        new("--no-color", null, true, "Never colour highlights."),
        new("--page-size", "N", false, "Hits per page, 1 to 100 (default 10)."),
        new("--page-token", "TOKEN", false, "The page to show: the token printed under the previous page."),
        new("--snippets", "N", false, "Snippets per hit (search, default 1) or per document (snippet, default 3); at most 10."),
        new("--call", "CALL", false, "bench: the RPC to call: search (default), normalize or upsert."),
        new("--query", "Q", false, "bench: the one query (search) or text (normalize) to send."),
        new("--queries", "FILE", false, "bench: queries (or texts), one per line, sent in turn; blank lines are skipped."),
        new("--docs", "FILE", false, "bench: documents for upsert (.jsonl, .jsonl.gz, .txt or a folder), sent in turn."),
        new("--unique-ids", null, false, "bench: give every upserted document a new id (its id + -RUN-N)."),
        new("--concurrency", "N", false, "bench: concurrent workers (default 16)."),
        new("--connections", "N", false, "bench: HTTP/2 connections the workers share (default 1; at most --concurrency)."),
        new("--count", "N", false, "bench: calls to make, not counting the warm-up (default 1000)."),
        new("--duration", "TIME", false, "bench: run for this long instead of --count: 30s, 2m, 1m30s, 500ms, 1h."),
        new("--warmup", "N", false, "bench: calls made first and left out of the results (default 0)."),
        new("--count-errors", null, false, "bench: include failed calls in the latency statistics (like ghz --count-errors)."),
        new("--emit-request", "FILE", false, "bench: write the first request as a gRPC frame to FILE and exit (for h2load -d)."),
    ];

    public static OptionSpec? Find(string name) => All.FirstOrDefault(o => o.Name == name);
}
