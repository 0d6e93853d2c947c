using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace TextSearch.Testing;

/// <summary>How to launch a <see cref="ServerProcess"/>.</summary>
/// <param name="IndexPath">The index folder (<c>TextSearch:IndexPath</c>).</param>
public sealed record ServerLaunch(string IndexPath)
{
    /// <summary>The server to run: by default the one built next to the tests.</summary>
    public string ServerDll { get; init; } = ServerProcess.ServerDll;

    /// <summary>The seeds folder; empty indexes none.</summary>
    public string SeedsPath { get; init; } = string.Empty;

    /// <summary>The gRPC port; 0 takes a free one.</summary>
    public int Port { get; init; }

    /// <summary>More command-line arguments (settings as <c>--Section:Key value</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Each line the server writes to standard error (by default dropped).</summary>
    public Action<string>? OnError { get; init; }

    /// <summary>Whether disposing stops the server with SIGTERM (a graceful shutdown, waited for) rather than SIGKILL.</summary>
    public bool StopGracefully { get; init; }

    /// <summary>How long the server has to say SERVING.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// The built server run as a real child process: for crash, restart and shutdown tests, and for the performance
/// tools (its start-up time and resident memory).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly bool _stopGracefully;

    private ServerProcess(Process process, Uri address, bool stopGracefully)
    {
        _process = process;
        _stopGracefully = stopGracefully;
        Address = address;
        Channel = GrpcChannel.ForAddress(address);
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    /// <summary>From starting the process to its health saying SERVING.</summary>
    public TimeSpan StartupTime { get; private set; }

    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "TextSearch.Server.dll");

    public static Task<ServerProcess> StartAsync(string indexPath, string seedsPath = "", int port = 0) =>
        StartAsync(new ServerLaunch(indexPath) { SeedsPath = seedsPath, Port = port });

    public static async Task<ServerProcess> StartAsync(ServerLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var port = launch.Port == 0 ? FreePort() : launch.Port;
        var address = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                launch.ServerDll, "--urls", address.ToString().TrimEnd('/'), "--TextSearch:HttpUrl", "none", "--TextSearch:IndexPath", launch.IndexPath,
                "--TextSearch:SeedsPath", launch.SeedsPath, "--Logging:LogLevel:Default", "Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launch.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                launch.OnError?.Invoke(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address, launch.StopGracefully);
        try
        {
            await server.WaitServingAsync(launch.StartTimeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        server.StartupTime = watch.Elapsed;
        return server;
    }

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>SIGTERM: the server shuts down gracefully.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("could not run kill");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM exited with {kill.ExitCode}");
        }
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Resident set size in MB, from /proc.</summary>
    public double RssMb()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
            }
        }

        return 0;
    }

    /// <summary>SIGKILL, or (when launched to stop gracefully) SIGTERM and up to 30 s for the shutdown before it.</summary>
    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (!_process.HasExited && _stopGracefully)
        {
            try
            {
                Terminate();
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private async Task WaitServingAsync(TimeSpan timeout)
    {
        var health = new Health.HealthClient(Channel);
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode}");
            }

            try
            {
                var response = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (response.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < until)
            {
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("the server did not become SERVING");
            }

            await Task.Delay(10);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
