using System.Globalization;
using TextSearch.Cli.Client;
using TextSearch.Cli.Syntax;

namespace TextSearch.Cli.Bench;

/// <summary><c>textsearch bench</c>: loads the workload, runs it (or only writes the framed request), prints the report.</summary>
internal sealed class BenchCommand(Invocation invocation, CliEnvironment environment, TextWriter stdout, TextWriter stderr)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var settings = invocation.Bench ?? throw new InvalidOperationException("bench without its settings.");
        var workload = BenchWorkload.Load(settings, invocation.PageSize, invocation.Snippets, request =>
        {
            request.Filter = TextSearch.Client.DocumentFilter.ToProto(invocation.Filter);
            request.Sort = invocation.Sort ?? V1.SortOrder.Unspecified;
            request.Facets.Add(invocation.Facets);
            request.FacetSize = invocation.FacetSize ?? 0;
        });

        if (settings.EmitRequestPath is { } path)
        {
            var frame = workload.Frame(0);
            await File.WriteAllBytesAsync(path, frame, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync(
                $"wrote {Num(frame.Length)} bytes to {path}: one gRPC message (5-byte prefix + {Num(frame.Length - 5)}-byte request) for POST {workload.Path}")
                .ConfigureAwait(false);
            return CliApp.ExitOk;
        }

        if (environment.StderrIsTerminal)
        {
            var amount = settings.Count is { } count ? $"{Num(count)} calls" : $"calls for {settings.Duration!.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
            var warmup = settings.Warmup > 0 ? $" after {Num(settings.Warmup)} warm-up calls" : string.Empty;
            await stderr.WriteLineAsync($"bench: {amount} of {workload.Method} to {invocation.ServerText}{warmup}, {Num(settings.Concurrency)} workers over {Num(settings.Connections)} connection(s)...").ConfigureAwait(false);
        }

        var runner = new BenchRunner(settings, workload, invocation.Server, invocation.ServerText, invocation.UnaryDeadline);
        var report = await runner.RunAsync(cancellationToken).ConfigureAwait(false);

        await stdout.WriteAsync(invocation.Json ? BenchFormatter.Json(report) : BenchFormatter.Human(report)).ConfigureAwait(false);

        if (report.Cancelled)
        {
            await stderr.WriteLineAsync($"{ErrorMessages.Prefix}cancelled").ConfigureAwait(false);
            return CliApp.ExitCancelled;
        }

        if (!report.AllOk)
        {
            var failed = report.Count - report.OkCount;
            await stderr.WriteLineAsync(
                $"{ErrorMessages.Prefix}bench: {Num(failed)} of {Num(report.Count)} calls did not return OK ({BenchFormatter.StatusList(report.StatusCodes.Where(s => s.Code != Grpc.Core.StatusCode.OK))})")
                .ConfigureAwait(false);
            return CliApp.ExitFailure;
        }

        return CliApp.ExitOk;
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
