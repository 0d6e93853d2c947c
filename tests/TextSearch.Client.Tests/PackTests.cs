using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace TextSearch.Client.Tests;

/// <summary><c>dotnet pack src/TextSearch.Client</c> makes a valid package of the built library.</summary>
public sealed class PackTests
{
    [Fact]
    public async Task Pack_produces_the_library_with_its_dependencies_and_readme()
    {
        var configuration = typeof(PackTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Configuration").Value!;
        var project = Path.Combine(Path.GetDirectoryName(ServerFixture.SeedsPath)!, "src", "TextSearch.Client", "TextSearch.Client.csproj");
        var output = Path.Combine(Path.GetTempPath(), "textsearch-pack-" + Guid.NewGuid().ToString("N"));
        try
        {
            // --no-build: the library is already built (this test project references it), which keeps this quick.
            var start = new ProcessStartInfo("dotnet", ["pack", project, "--no-build", "-c", configuration, "-o", output, "-p:NuGetAudit=false"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var log = await stdout + await stderr;
            Assert.True(process.ExitCode == 0, log);
            Assert.DoesNotContain("warning", log, StringComparison.OrdinalIgnoreCase);

            var package = Assert.Single(Directory.GetFiles(output, "TextSearch.Client.*.nupkg"));
            using var zip = ZipFile.OpenRead(package);
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net10.0/TextSearch.Client.dll", entries);
            Assert.Contains("lib/net10.0/TextSearch.Client.xml", entries);
            Assert.Contains("README.md", entries);

            await using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var nuspec = await XDocument.LoadAsync(nuspecStream, LoadOptions.None, CancellationToken.None);
            var ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            Assert.Equal("TextSearch.Client", metadata.Element(ns + "id")!.Value);
            Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
            Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
            var dependencies = metadata.Descendants(ns + "dependency").Select(d => (string)d.Attribute("id")!).ToList();
            Assert.Contains("TextSearch.Contracts", dependencies);
            Assert.Contains("Grpc.Net.Client", dependencies);
            Assert.Contains("Grpc.Net.ClientFactory", dependencies);
            Assert.DoesNotContain(dependencies, d => d.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
            Assert.Empty(metadata.Descendants(ns + "frameworkReference"));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
