using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace TextSearch.Cli.Tests.EndToEnd;

/// <summary>The built executable (textsearch.dll) as a real child process: real console, real exit codes.</summary>
[Collection(ServerCollection.Name)]
public sealed class ProcessTests(ServerFixture server)
{
    /// <summary>
    /// textsearch.dll in the CLI's own output folder, exactly as a user runs it. (The copy next to the tests is not
    /// used: this folder also holds the server, whose shared framework supplies assemblies the CLI must carry itself.)
    /// </summary>
    private static string CliDll()
    {
        // AppContext.BaseDirectory is bin/<Configuration>/net10.0/
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))) ?? "Debug";
        var built = Path.Combine(ServerFixture.FindUp("src"), "TextSearch.Cli", "bin", configuration, "net10.0", "textsearch.dll");
        return File.Exists(built) ? built : throw new FileNotFoundException("textsearch.dll was not built", built);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "TEXTSEARCH_SERVER", "TEXTSEARCH_BIDI", "NO_COLOR" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout).Replace("\r\n", "\n", StringComparison.Ordinal), (await stderr).Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_executable_searches_and_prints_json()
    {
        var (code, stdout, stderr) = await RunProcessAsync(null, "--server", server.Address.ToString(), "search", "قسد", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("5", json.RootElement.GetProperty("totalHits").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("hits").GetArrayLength());
    }

    [Fact]
    public async Task The_executable_prints_utf8_whatever_the_locale()
    {
        var env = new Dictionary<string, string> { ["LANG"] = "C", ["LC_ALL"] = "C" };

        var (code, stdout, stderr) = await RunProcessAsync(env, "--server", server.Address.ToString(), "normalize", "ٱلرَّحْمَٰنِ");

        Assert.True(code == 0, stderr);
        Assert.Equal("الرحمن\n", stdout);
    }

    [Fact]
    public async Task The_executable_reports_a_server_that_is_down_in_one_line()
    {
        var (code, stdout, stderr) = await RunProcessAsync(null, "--server", "http://127.0.0.1:1", "get", "x");

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("textsearch: cannot reach the server at http://127.0.0.1:1 (is it running?)\n", stderr);
    }

    [Fact]
    public async Task The_executable_exits_2_on_a_usage_error()
    {
        var (code, stdout, stderr) = await RunProcessAsync(null, "search");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("textsearch: search: missing QUERY (without one, give --source, --from, --to or --facets to list the matching documents).\n", stderr, StringComparison.Ordinal);
    }
}
