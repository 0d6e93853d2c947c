using TextSearch.Testing;

namespace TextSearch.Perf;

/// <summary>The Release server as a child process (the tests' <see cref="ServerProcess"/>), stopped gracefully, its errors shown.</summary>
public static class ServerHost
{
    public static string DefaultServerDll(string repo) =>
        Path.Combine(repo, "src", "TextSearch.Server", "bin", "Release", "net10.0", "TextSearch.Server.dll");

    public static Task<ServerProcess> StartAsync(string serverDll, string indexPath, params string[] extra) =>
        ServerProcess.StartAsync(new ServerLaunch(indexPath)
        {
            ServerDll = serverDll,
            Arguments = extra,
            OnError = line => Console.Error.WriteLine("server: " + line),
            StopGracefully = true,
            StartTimeout = TimeSpan.FromMinutes(2),
        });
}
