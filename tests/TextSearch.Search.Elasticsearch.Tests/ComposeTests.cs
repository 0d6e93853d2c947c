using System.Diagnostics;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>
/// docker-compose.yml: validated by <c>docker compose config</c> wherever a docker client with the compose plugin
/// exists (otherwise that test is skipped, with the reason), and always checked for its structure by reading it.
/// </summary>
public sealed class ComposeTests
{
    private static string RepositoryRoot => Support.Shared.RepositoryRoot;

    private static string ComposeFile => Path.Combine(RepositoryRoot, "docker-compose.yml");

    [DockerComposeFact]
    public void Docker_compose_validates_the_file()
    {
        var (exit, output) = DockerCompose.Run(RepositoryRoot, "-f", ComposeFile, "config", "-q");
        Assert.True(exit == 0, $"docker compose config failed ({exit}): {output}");
    }

    [Fact]
    public void Elasticsearch_is_a_secured_single_node_9_5_with_a_health_check()
    {
        // 9.x: the client sends compatible-with=9, which an 8.x node refuses.
        var es = Service("elasticsearch");
        Assert.Contains("image: docker.elastic.co/elasticsearch/elasticsearch:9.5.", es, StringComparison.Ordinal);
        Assert.Contains("discovery.type: single-node", es, StringComparison.Ordinal);
        Assert.Contains("xpack.security.enabled: \"true\"", es, StringComparison.Ordinal);
        Assert.Contains("ELASTIC_PASSWORD: ${ELASTIC_PASSWORD:-", es, StringComparison.Ordinal);
        Assert.Contains("healthcheck:", es, StringComparison.Ordinal);
        Assert.Contains("curl -fsS -u elastic:$${ELASTIC_PASSWORD}", es, StringComparison.Ordinal);
        Assert.Contains("_cluster/health", es, StringComparison.Ordinal);
    }

    [Fact]
    public void Textsearch_is_built_here_configured_for_elasticsearch_and_waits_for_it()
    {
        var ts = Service("textsearch");
        Assert.Contains("build: .", ts, StringComparison.Ordinal);
        Assert.Contains("TextSearch__Engine: Elasticsearch", ts, StringComparison.Ordinal);
        Assert.Contains("TextSearch__Elasticsearch__Url: http://elasticsearch:9200", ts, StringComparison.Ordinal);
        Assert.Contains("TextSearch__Elasticsearch__Username: elastic", ts, StringComparison.Ordinal);
        Assert.Contains("TextSearch__Elasticsearch__Password: ${ELASTIC_PASSWORD:-", ts, StringComparison.Ordinal);
        Assert.Contains("TextSearch__SeedsPath: /app/seeds", ts, StringComparison.Ordinal);
        Assert.Contains("condition: service_healthy", ts, StringComparison.Ordinal);
        Assert.Contains("\"50051:50051\"", ts, StringComparison.Ordinal);
        Assert.Contains("\"8080:8080\"", ts, StringComparison.Ordinal);
        Assert.Contains("test: [\"CMD\", \"dotnet\", \"TextSearch.Server.dll\", \"healthcheck\", \"http://127.0.0.1:50051\"]", ts, StringComparison.Ordinal);

        // The password default is the same on both sides.
        var esDefault = Between(Service("elasticsearch"), "ELASTIC_PASSWORD: ${ELASTIC_PASSWORD:-", "}");
        Assert.Equal(esDefault, Between(ts, "Password: ${ELASTIC_PASSWORD:-", "}"));
    }

    [Fact]
    public void The_embedded_engine_is_a_profile()
    {
        var embedded = Service("textsearch-embedded");
        Assert.Contains("profiles: [\"embedded\"]", embedded, StringComparison.Ordinal);
        Assert.Contains("TextSearch__Engine: Lucene", embedded, StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_is_multi_stage_non_root_and_carries_the_seeds()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot, "Dockerfile"));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime", dockerfile, StringComparison.Ordinal);
        Assert.Contains("COPY src/ src/", dockerfile, StringComparison.Ordinal);
        Assert.Contains("COPY seeds/ /app/seeds/", dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER app", dockerfile, StringComparison.Ordinal);
    }

    /// <summary>The lines of one service (under <c>services:</c>, two-space indented), read without a YAML library.</summary>
    private static string Service(string name)
    {
        var lines = File.ReadAllLines(ComposeFile);
        var services = Array.IndexOf(lines, "services:");
        Assert.True(services >= 0, "no top-level services:");
        var start = Array.FindIndex(lines, services + 1, l => l == $"  {name}:");
        Assert.True(start > 0, $"no service '{name}'");
        var block = new List<string>();
        for (var i = start + 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length > 0 && !line.StartsWith("   ", StringComparison.Ordinal) && !line.TrimStart().StartsWith('#'))
            {
                break;
            }

            block.Add(line);
        }

        return string.Join('\n', block);
    }

    private static string Between(string text, string before, string after)
    {
        var start = text.IndexOf(before, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{before}' not found");
        start += before.Length;
        return text[start..text.IndexOf(after, start, StringComparison.Ordinal)];
    }
}

/// <summary>Runs only where <c>docker compose version</c> succeeds; skipped, with the reason, elsewhere.</summary>
public sealed class DockerComposeFactAttribute : FactAttribute
{
    public DockerComposeFactAttribute()
    {
        if (DockerCompose.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}

internal static class DockerCompose
{
    private static readonly Lazy<string?> Probe = new(() =>
    {
        try
        {
            var (exit, output) = Run(Directory.GetCurrentDirectory(), "version");
            return exit == 0 ? null : $"no docker compose here: `docker compose version` exited with {exit} ({output.Trim()})";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"no docker client here ({ex.Message})";
        }
    });

    /// <summary>Why compose cannot run here, or null when it can.</summary>
    public static string? Unavailable => Probe.Value;

    public static (int ExitCode, string Output) Run(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("docker")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("compose");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("docker did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
