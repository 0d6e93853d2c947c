namespace TextSearch.Search.Elasticsearch.Tests.Support;

/// <summary>
/// Files of ../shared (next to the checkout, as on the developers' machines and CI): Elastic's published response
/// examples and the SaudiNewsNet corpus. They are read from there, never copied into the repository.
/// </summary>
internal static class Shared
{
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TextSearch.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"no TextSearch.sln above {AppContext.BaseDirectory}");
        }
    }

    public static string Fixtures => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures", "elasticsearch"));

    public static string SaudiNewsNet => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "saudinewsnet.jsonl.gz"));

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(Fixtures, name));
}

/// <summary>A test that needs a file of ../shared: skipped, with the reason, where it is absent.</summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute(string what)
    {
        var path = what == "saudinewsnet" ? Shared.SaudiNewsNet : Shared.Fixtures;
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Skip = $"{path} is absent: the tests read it from ../shared next to the checkout";
        }
    }
}
