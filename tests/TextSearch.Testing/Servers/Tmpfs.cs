using System.Diagnostics;

namespace TextSearch.Testing;

/// <summary>A small tmpfs mounted for a test (a volume that can really fill up); unmounted on dispose. Needs root.</summary>
public sealed class Tmpfs : IDisposable
{
    private readonly string _path;

    private Tmpfs(string path) => _path = path;

    public static Tmpfs Mount(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        return code == 0 ? new Tmpfs(path) : throw new InvalidOperationException($"mount failed ({code}): {error}");
    }

    /// <summary>Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN, as in CI's container).</summary>
    public static bool CanMount()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return false;
        }

        var probe = Path.Combine(Path.GetTempPath(), "textsearch-tmpfs-probe-" + Environment.ProcessId);
        try
        {
            using var mounted = Mount(probe, 1);
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
        finally
        {
            try
            {
                Directory.Delete(probe);
            }
            catch (IOException)
            {
            }
        }
    }

    public void Dispose() => Run("umount", "-l", _path);

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {file}");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}

/// <summary>A test that needs to mount a tmpfs; skipped, with the reason, where the process may not.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(Tmpfs.CanMount);

    public TmpfsFactAttribute()
    {
        if (!Available.Value)
        {
            Skip = "needs root and permission to mount a tmpfs (the volume that fills up); the Lucene directory test in TextSearch.Search.Tests covers the same with a pretend volume.";
        }
    }
}
