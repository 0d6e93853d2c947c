using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using TextSearch.V1;
using Xunit.Abstractions;

namespace TextSearch.Server.Tests.Integration;

/// <summary>
/// The server process when its index fails it: a damaged index or one without its commit point stops the start with
/// one line (no stack trace), and a volume that fills up under concurrent writers loses no acknowledged write.
/// </summary>
public sealed class IndexFailureProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _index = Path.Combine(Path.GetTempPath(), "textsearch-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_index))
        {
            Directory.Delete(_index, recursive: true);
        }
    }

    public static TheoryData<string> Damages => ["no commit point", "truncated commit point", "missing segment info", "flipped bytes"];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_index_stops_the_start_with_one_line_that_says_what_to_do(string damage)
    {
        await using (var server = await ServerProcess.StartAsync(_index))
        {
            var documents = new DocumentService.DocumentServiceClient(server.Channel);
            for (var i = 0; i < 20; i++)
            {
                await documents.UpsertDocumentAsync(new UpsertDocumentRequest
                {
                    Document = new Document { Id = $"d{i}", Title = "قبل التلف", Body = string.Concat(Enumerable.Repeat($"نص الوثيقة رقم {i} ", 200)) },
                });
            }

            server.Terminate();
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        Damage(damage);
        var (exitCode, stdout, stderr) = await RunToExitAsync(_index);
        output.WriteLine(stderr);
        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"textsearch: the index at {_index} is damaged (", line, StringComparison.Ordinal);
        Assert.EndsWith("Restore it from a backup, or start with a new TextSearch:IndexPath and reindex.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(_index, "_*")); // the orphaned segments are still there to restore from
    }

    [TmpfsFact]
    public async Task No_acknowledged_write_is_lost_when_the_index_volume_fills_under_concurrent_writers()
    {
        using var volume = Tmpfs.Mount(_index, megabytes: 20);
        var indexPath = Path.Combine(_index, "index");
        var acknowledged = new ConcurrentBag<string>();
        var refused = new ConcurrentBag<RpcException>();
        await using (var server = await ServerProcess.StartAsync(indexPath))
        {
            // Nearly full: leave about 4 MB.
            var free = new DriveInfo(_index).AvailableFreeSpace;
            await File.WriteAllBytesAsync(Path.Combine(_index, "filler"), new byte[Math.Max(0, free - (4L << 20))]);

            var documents = new DocumentService.DocumentServiceClient(server.Channel);
            var singles = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < 150; i++)
                {
                    var id = $"s-{w}-{i}";
                    try
                    {
                        await documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = Article(id, 3_000) });
                        acknowledged.Add(id);
                    }
                    catch (RpcException ex)
                    {
                        refused.Add(ex);
                    }
                }
            }));
            var bulks = Enumerable.Range(0, 2).Select(b => Task.Run(async () =>
            {
                for (var round = 0; round < 4; round++)
                {
                    var ids = Enumerable.Range(0, 20).Select(i => $"b-{b}-{round}-{i}").ToList();
                    try
                    {
                        using var call = documents.BulkUpsertDocuments();
                        foreach (var id in ids)
                        {
                            await call.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = Article(id, 150_000) });
                        }

                        await call.RequestStream.CompleteAsync();
                        var response = await call;
                        Assert.Empty(response.Failures);
                        Assert.Equal(ids.Count, response.Upserted);
                        ids.ForEach(acknowledged.Add);
                    }
                    catch (RpcException ex)
                    {
                        refused.Add(ex);
                    }
                }
            }));
            await Task.WhenAll(singles.Concat(bulks));
            output.WriteLine($"{acknowledged.Count} acknowledged, {refused.Count} refused");

            Assert.NotEmpty(refused);
            Assert.All(refused, ex =>
            {
                Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
                Assert.StartsWith("no space left on the index volume", ex.Status.Detail, StringComparison.Ordinal);
            });
            await AssertAllReadableAsync(server.Channel, acknowledged);
            server.Kill();
        }

        File.Delete(Path.Combine(_index, "filler"));
        await using var restarted = await ServerProcess.StartAsync(indexPath);
        await AssertAllReadableAsync(restarted.Channel, acknowledged);
    }

    private static Document Article(string id, int chars) => new()
    {
        Id = id,
        Title = "امتلاء القرص",
        Body = string.Concat(Enumerable.Range(0, chars / 12).Select(i => $"كلمة{i % 997} ")),
    };

    private static async Task AssertAllReadableAsync(Grpc.Net.Client.GrpcChannel channel, IEnumerable<string> ids)
    {
        var documents = new DocumentService.DocumentServiceClient(channel);
        var missing = new List<string>();
        foreach (var id in ids)
        {
            try
            {
                await documents.GetDocumentAsync(new GetDocumentRequest { Id = id });
            }
            catch (RpcException ex)
            {
                missing.Add($"{id}: {ex.StatusCode}");
            }
        }

        Assert.Empty(missing);
    }

    private void Damage(string damage)
    {
        switch (damage)
        {
            case "no commit point":
                foreach (var file in Directory.GetFiles(_index, "segments*"))
                {
                    File.Delete(file);
                }

                break;
            case "truncated commit point":
                using (var stream = File.OpenWrite(Directory.GetFiles(_index, "segments_*").Single()))
                {
                    stream.SetLength(stream.Length / 2);
                }

                break;
            case "missing segment info":
                File.Delete(Directory.GetFiles(_index, "*.si").First());
                break;
            default:
                var largest = Directory.GetFiles(_index, "_*").OrderByDescending(f => new FileInfo(f).Length).First();
                var bytes = File.ReadAllBytes(largest);
                var random = new Random(7);
                for (var i = 0; i < 64; i++)
                {
                    bytes[(bytes.Length / 4) + random.Next(bytes.Length / 2)] ^= 0xFF;
                }

                File.WriteAllBytes(largest, bytes);
                break;
        }
    }

    /// <summary>Runs the server on <paramref name="index"/> expecting it not to start; returns its exit code and output.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(string index)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                ServerProcess.ServerDll, "--urls", "http://127.0.0.1:0", "--TextSearch:HttpUrl", "none", "--TextSearch:IndexPath", index,
                "--TextSearch:SeedsPath", string.Empty,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("the server started on a damaged index instead of refusing it");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
