namespace TextSearch.Server.Browser.Tests;

/// <summary>
/// A test that needs Debian's Chromium at <see cref="Path"/>. Without it the test is reported skipped on a developer
/// machine; under CI (the CI variable is set, and .ci/run installs the package) a missing browser is a failure.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Path = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Path) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = $"{Path} is not installed (apt-get install chromium); .ci/run installs it.";
        }
    }
}
