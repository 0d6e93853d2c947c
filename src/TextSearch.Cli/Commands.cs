using System.Globalization;
using Google.Protobuf;
using TextSearch.Cli.Bench;
using TextSearch.Cli.Client;
using TextSearch.Cli.Ingest;
using TextSearch.Cli.Output;
using TextSearch.Cli.Syntax;
using TextSearch.Client;
using TextSearch.V1;

namespace TextSearch.Cli;

/// <summary>Runs one command: the call through <see cref="TextSearchClient"/>, the output through a formatter.</summary>
internal sealed class Commands(Invocation invocation, TextSearchClient client, CliEnvironment environment, TextWriter stdout, TextWriter stderr)
{
    /// <summary>Proto3 JSON with every field present, so scripts can rely on the shape.</summary>
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    private readonly HumanFormatter _human = new(new DisplayOptions(
        Color: invocation.Color ?? (environment.StdoutIsTerminal
            && string.IsNullOrEmpty(environment.GetVariable("NO_COLOR"))
            && environment.GetVariable("TERM") != "dumb"),
        Brackets: invocation.Brackets,
        Visual: invocation.Visual,
        Width: environment.Width));

    /// <summary>Human output asks for UTF-16 offsets (string indices); JSON keeps the API's default, code points.</summary>
    private OffsetEncoding Offsets => invocation.Json ? OffsetEncoding.Unspecified : OffsetEncoding.Utf16;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var args = invocation.Arguments;
        switch (invocation.Command.Kind)
        {
            case CommandKind.Normalize:
                Write(await client.NormalizeAsync(args[0], cancellationToken: cancellationToken).ConfigureAwait(false), _human.Normalize);
                return CliApp.ExitOk;

            case CommandKind.Analyze:
                Write(await client.AnalyzeAsync(args[0], new AnalyzeOptions { OffsetEncoding = Offsets }, cancellationToken).ConfigureAwait(false), _human.Analyze);
                return CliApp.ExitOk;

            case CommandKind.Search:
                var search = new SearchOptions
                {
                    PageSize = invocation.PageSize ?? 0,
                    PageToken = invocation.PageToken,
                    MaxSnippets = invocation.Snippets ?? 0,
                    OffsetEncoding = Offsets,
                    Filter = invocation.Filter,
                    Sort = invocation.Sort ?? SortOrder.Unspecified,
                    Facets = invocation.Facets,
                    FacetSize = invocation.FacetSize ?? 0,
                };
                Write(await client.SearchAsync(args[0], search, cancellationToken).ConfigureAwait(false), r => _human.Search(r, args[0], invocation.SearchOptionArguments()));
                return CliApp.ExitOk;

            case CommandKind.Suggest:
                Write(await client.SuggestAsync(args[0], new SuggestOptions { Size = invocation.Size ?? 0 }, cancellationToken).ConfigureAwait(false), _human.Suggestions);
                return CliApp.ExitOk;

            case CommandKind.Related:
                var related = new RelatedOptions
                {
                    PageSize = invocation.PageSize ?? 0,
                    Filter = invocation.Filter,
                    OffsetEncoding = Offsets,
                };
                Write(await client.RelatedAsync(args[0], related, cancellationToken).ConfigureAwait(false), _human.Related);
                return CliApp.ExitOk;

            case CommandKind.Snippet:
                var snippet = new SnippetOptions
                {
                    MaxSnippets = invocation.Snippets ?? 0,
                    OffsetEncoding = Offsets,
                };
                Write(await client.SnippetAsync(args[0], args[1], snippet, cancellationToken).ConfigureAwait(false), _human.Snippets);
                return CliApp.ExitOk;

            case CommandKind.Get:
                Write(await client.GetAsync(args[0], cancellationToken: cancellationToken).ConfigureAwait(false), _human.Document);
                return CliApp.ExitOk;

            case CommandKind.Delete:
                Write(await client.DeleteAsync(args[0], cancellationToken: cancellationToken).ConfigureAwait(false), HumanFormatter.Deleted);
                return CliApp.ExitOk;

            case CommandKind.Index:
                return await IndexAsync(args[0], cancellationToken).ConfigureAwait(false);

            case CommandKind.Bench:
                // bench opens channels of its own (--connections), one per connection.
                return await new BenchCommand(invocation, environment, stdout, stderr).RunAsync(cancellationToken).ConfigureAwait(false);

            default:
                throw new InvalidOperationException($"command {invocation.Command.Name} is not implemented.");
        }
    }

    private async Task<int> IndexAsync(string path, CancellationToken cancellationToken)
    {
        var source = DocumentSource.Open(path);
        var progress = environment.StderrIsTerminal ? new ProgressBar(stderr, source.TotalBytes) : null;
        var local = new List<SourceItem>();
        var origins = new List<string>();
        var sent = 0;

        // The source is read lazily, while the documents are sent (in batches, each acknowledged by the server).
        IEnumerable<Document> Documents()
        {
            foreach (var item in source.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (item.Request is null)
                {
                    local.Add(item);
                    continue;
                }

                origins.Add(item.Origin);
                yield return item.Request.Document;
            }
        }

        var response = new BulkUpsertDocumentsResponse();
        try
        {
            var result = await client.IndexAsync(
                Documents().ToAsyncEnumerable(),
                new IndexOptions
                {
                    Progress = new SyncProgress(p =>
                    {
                        sent = (int)p.Sent;
                        progress?.Update(source.BytesRead, sent);
                    }),
                },
                cancellationToken).ConfigureAwait(false);
            response.Upserted = checked((int)result.Upserted);
            foreach (var failure in result.Failures)
            {
                response.Failures.Add(new BulkFailure { Id = failure.Id, Reason = failure.Reason, Index = checked((int)failure.Index) });
            }
        }
        catch (IndexException stopped)
        {
            // Say what is stored before the error line: the batches acknowledged before the failure stay.
            progress?.Clear();
            var done = stopped.Acknowledged;
            if (done.Batches == 0)
            {
                throw;
            }

            stderr.WriteLine($"{ErrorMessages.Prefix}stopped: {done.Upserted.ToString(CultureInfo.InvariantCulture)} documents stored in {done.Batches.ToString(CultureInfo.InvariantCulture)} acknowledged batches, {done.Failures.Count.ToString(CultureInfo.InvariantCulture)} refused, before the failure");
            foreach (var failure in done.Failures)
            {
                var origin = failure.Index < origins.Count ? origins[(int)failure.Index] : $"document #{failure.Index}";
                stderr.WriteLine($"{ErrorMessages.Prefix}{origin}: {ErrorMessages.OneLine(failure.Reason)}");
            }

            throw;
        }
        finally
        {
            progress?.Clear();
        }

        // Input the CLI could not turn into a document counts as a failure too (index -1: never sent).
        foreach (var item in local)
        {
            response.Failures.Add(new BulkFailure { Id = string.Empty, Reason = $"{item.Origin}: {item.Error}", Index = -1 });
        }

        if (invocation.Json)
        {
            stdout.WriteLine(Json.Format(response));
        }
        else
        {
            var total = sent + local.Count;
            var noun = total == 1 ? "document" : "documents";
            var summary = response.Failures.Count == 0
                ? $"indexed {response.Upserted.ToString(CultureInfo.InvariantCulture)} {noun} from {path}"
                : $"indexed {response.Upserted.ToString(CultureInfo.InvariantCulture)} of {total.ToString(CultureInfo.InvariantCulture)} {noun} from {path}; {response.Failures.Count.ToString(CultureInfo.InvariantCulture)} failed";
            stdout.WriteLine(summary);
        }

        foreach (var failure in response.Failures.Where(f => f.Index >= 0))
        {
            var origin = failure.Index < origins.Count ? origins[failure.Index] : $"document #{failure.Index}";
            var id = failure.Id.Length > 0 ? $" (id '{failure.Id}')" : string.Empty;
            stderr.WriteLine($"{ErrorMessages.Prefix}{origin}{id}: {ErrorMessages.OneLine(failure.Reason)}");
        }

        foreach (var item in local)
        {
            stderr.WriteLine($"{ErrorMessages.Prefix}{item.Origin}: {item.Error}");
        }

        return response.Failures.Count == 0 ? CliApp.ExitOk : CliApp.ExitFailure;
    }

    private void Write<T>(T message, Func<T, string> human)
        where T : IMessage
    {
        stdout.Write(invocation.Json ? Json.Format(message) + Environment.NewLine : human(message));
    }
}

/// <summary>Reports on the indexing loop itself (<see cref="Progress{T}"/> would post to the thread pool).</summary>
internal sealed class SyncProgress(Action<IndexProgress> report) : IProgress<IndexProgress>
{
    public void Report(IndexProgress value) => report(value);
}
