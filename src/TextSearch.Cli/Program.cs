using System.Text;
using TextSearch.Cli;

// Arabic needs UTF-8 whatever the locale says; the console writers are created after this.
try
{
    Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
catch (Exception ex) when (ex is IOException or PlatformNotSupportedException)
{
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C cancels the call cleanly; a second one ends the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

return await CliApp.RunAsync(args, Console.Out, Console.Error, cancellation.Token).ConfigureAwait(false);
