using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace TextSearch.Perf;

/// <summary>The Release server as a child process, with timing of its start and sampling of its memory.</summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly Process _process;

    private ServerHost(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    public string Address { get; }

    public int Pid => _process.Id;

    public TimeSpan StartupTime { get; private set; }

    public static string DefaultServerDll(string repo) =>
        Path.Combine(repo, "src", "TextSearch.Server", "bin", "Release", "net10.0", "TextSearch.Server.dll");

    public static async Task<ServerHost> StartAsync(string serverDll, string indexPath, params string[] extra)
    {
        var port = FreePort();
        var address = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { serverDll, "--urls", address, "--TextSearch:HttpUrl", "none", "--TextSearch:IndexPath", indexPath, "--TextSearch:SeedsPath", "", "--Logging:LogLevel:Default", "Warning" }.Concat(extra))
        {
            info.ArgumentList.Add(arg);
        }

        var watch = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("server: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new ServerHost(process, address);
        using var channel = GrpcChannel.ForAddress(address);
        var health = new Health.HealthClient(channel);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {process.ExitCode}");
            }

            try
            {
                var r = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(1));
                if (r.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    break;
                }
            }
            catch (Grpc.Core.RpcException)
            {
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException("the server did not become SERVING");
            }

            await Task.Delay(10);
        }

        host.StartupTime = watch.Elapsed;
        return host;
    }

    /// <summary>Resident set size in MB, from /proc.</summary>
    public double RssMb()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return 0;
    }

    /// <summary>Stops with SIGTERM (a graceful shutdown) and waits.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
