using System.Reflection;
using System.Text.Json;
using Grpc.Core;
using TextSearch.Cli.Client;
using TextSearch.Cli.Syntax;
using TextSearch.Client;

namespace TextSearch.Cli;

/// <summary>The whole CLI behind one testable entry point: arguments in, text out, an exit code back.</summary>
public static class CliApp
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;
    public const int ExitCancelled = 130;

    /// <summary>When set, an unexpected error prints its stack trace.</summary>
    public const string DebugVariable = "TEXTSEARCH_DEBUG";

    /// <summary>The API key sent on every call (as <c>authorization: Bearer KEY</c>), when set.</summary>
    public const string ApiKeyVariable = "TEXTSEARCH_API_KEY";

    /// <summary>
    /// Runs <c>textsearch ARGS</c>. Colour and the progress bar are used only when <paramref name="stdout"/> /
    /// <paramref name="stderr"/> are the process's console writers attached to a terminal.
    /// </summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        return RunAsync(args, stdout, stderr, CliEnvironment.Detect(stdout, stderr), cancellationToken);
    }

    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);

        var syntax = new CliSyntax();
        Invocation invocation;
        try
        {
            switch (syntax.Read(args, environment.GetVariable))
            {
                case ShowHelp help:
                    await stdout.WriteAsync(HelpText.For(syntax, help.Topic)).ConfigureAwait(false);
                    return ExitOk;
                case ShowVersion:
                    await stdout.WriteLineAsync($"textsearch {Version}").ConfigureAwait(false);
                    return ExitOk;
                case Invocation i:
                    invocation = i;
                    break;
                default:
                    throw new InvalidOperationException("unexpected parse result.");
            }
        }
        catch (UsageException ex)
        {
            await UsageErrorAsync(stderr, ex).ConfigureAwait(false);
            return ExitUsage;
        }

        TextSearchClient client;
        try
        {
            client = TextSearchClient.Create(new TextSearchClientOptions
            {
                Address = invocation.Server,
                ApiKey = environment.GetVariable(ApiKeyVariable) is { Length: > 0 } key ? key : null,
                // Zero means no deadline, as for --timeout 0.
                Timeout = invocation.UnaryDeadline ?? TimeSpan.Zero,
                IndexBatchTimeout = invocation.StreamDeadline ?? TimeSpan.Zero,
            });
        }
        catch (ArgumentException ex)
        {
            await stderr.WriteLineAsync($"{ErrorMessages.Prefix}{ErrorMessages.OneLine(ex.Message)} (check ${ApiKeyVariable})").ConfigureAwait(false);
            return ExitUsage;
        }

        using var owned = client;
        try
        {
            return await new Commands(invocation, client, environment, stdout, stderr).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await UsageErrorAsync(stderr, ex).ConfigureAwait(false);
            return ExitUsage;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            await stderr.WriteLineAsync($"{ErrorMessages.Prefix}cancelled").ConfigureAwait(false);
            return ExitCancelled;
        }
        catch (RpcException ex)
        {
            var deadline = invocation.Command.Kind == CommandKind.Index ? invocation.StreamDeadline : invocation.UnaryDeadline;
            await stderr.WriteLineAsync(ErrorMessages.Describe(ex, invocation.ServerText, deadline)).ConfigureAwait(false);
            return ExitFailure;
        }
        catch (HttpRequestException ex)
        {
            var message = ErrorMessages.IsUnreachable(ex)
                ? $"{ErrorMessages.Prefix}cannot reach the server at {invocation.ServerText} (is it running?)"
                : $"{ErrorMessages.Prefix}cannot talk to the server at {invocation.ServerText}: {ErrorMessages.OneLine(ex.Message)}";
            await stderr.WriteLineAsync(message).ConfigureAwait(false);
            return ExitFailure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or JsonException)
        {
            await stderr.WriteLineAsync($"{ErrorMessages.Prefix}{ErrorMessages.OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitFailure;
        }
        catch (Exception ex)
        {
            // A bug: still one line, with the details on request.
            var details = environment.GetVariable(DebugVariable) is { Length: > 0 } ? Environment.NewLine + ex : $" (set {DebugVariable}=1 for details)";
            await stderr.WriteLineAsync($"{ErrorMessages.Prefix}unexpected error: {ex.GetType().Name}: {ErrorMessages.OneLine(ex.Message)}{details}").ConfigureAwait(false);
            return ExitFailure;
        }
    }

    private static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static async Task UsageErrorAsync(TextWriter stderr, UsageException ex)
    {
        await stderr.WriteLineAsync($"{ErrorMessages.Prefix}{ex.Message}").ConfigureAwait(false);
        var help = ex.Command is null ? "textsearch help" : $"textsearch help {ex.Command}";
        await stderr.WriteLineAsync($"Run '{help}' for usage.").ConfigureAwait(false);
    }
}
