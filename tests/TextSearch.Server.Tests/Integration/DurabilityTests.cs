using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using TextSearch.V1;
using Xunit.Abstractions;

namespace TextSearch.Server.Tests.Integration;

/// <summary>
/// Repeated crash and restart on one index: concurrent writers stream unary upserts into the server (a real child
/// process), the server is killed with SIGKILL a random delay after its first acknowledged write, and restarted on the
/// same index. After every restart the index opens (the server becomes SERVING) and every document whose upsert
/// returned OK, in this or any earlier cycle, can be fetched and is found by a token unique to it. Documents whose call
/// failed or was cut off are not acknowledged: they may or may not be stored, and are not checked.
/// </summary>
/// <remarks>
/// Environment: DURABILITY_CYCLES (default 20), DURABILITY_MIN_DELAY_MS and DURABILITY_MAX_DELAY_MS (the random delay
/// from the cycle's first acknowledged write to the kill, default 100 and 1200), DURABILITY_WRITERS (default 2),
/// DURABILITY_SEED (default random; printed). tests/reliability/durability.sh runs it with many more cycles.
/// </remarks>
public sealed class DurabilityTests(ITestOutputHelper output)
{
    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    /// <summary>A Latin token unique to document n: letters only, so the analyzer keeps it whole.</summary>
    private static string Token(int n)
    {
        var chars = new char[7];
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            chars[i] = (char)('a' + (n % 26));
            n /= 26;
        }

        return "qz" + new string(chars);
    }

    [Fact]
    public async Task Acknowledged_upserts_survive_repeated_sigkill()
    {
        var cycles = Setting("DURABILITY_CYCLES", 20);
        var minDelay = Setting("DURABILITY_MIN_DELAY_MS", 100);
        var maxDelay = Math.Max(minDelay, Setting("DURABILITY_MAX_DELAY_MS", 1200));
        var writers = Math.Max(1, Setting("DURABILITY_WRITERS", 2));
        var seed = Setting("DURABILITY_SEED", Environment.TickCount);
        output.WriteLine($"cycles={cycles} delay={minDelay}..{maxDelay} ms writers={writers} seed={seed}");
        var random = new Random(seed);

        var index = Path.Combine(Path.GetTempPath(), "textsearch-tests", Guid.NewGuid().ToString("N"));
        var acknowledged = new ConcurrentDictionary<string, string>(); // id → token
        var next = -1;
        try
        {
            for (var cycle = 0; cycle <= cycles; cycle++)
            {
                // Every start but the first reopens an index whose last writer was SIGKILLed.
                var server = await ServerProcess.StartAsync(index);
                try
                {
                    await VerifyAsync(server, acknowledged, cycle);
                    if (cycle == cycles)
                    {
                        break;
                    }

                    using var stop = new CancellationTokenSource();
                    var firstAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    var documents = new DocumentService.DocumentServiceClient(server.Channel);
                    var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
                    {
                        while (!stop.IsCancellationRequested)
                        {
                            var n = Interlocked.Increment(ref next);
                            var id = $"dur-{w}-{n}";
                            var token = Token(n);
                            try
                            {
                                await documents.UpsertDocumentAsync(
                                    new UpsertDocumentRequest
                                    {
                                        Document = new Document { Id = id, Title = "وثيقة متينة", Body = $"نص الوثيقة {token} رقم {n}" },
                                    },
                                    cancellationToken: CancellationToken.None);
                                acknowledged[id] = token;
                                firstAcknowledged.TrySetResult();
                            }
                            catch (RpcException e)
                            {
                                if (!stop.IsCancellationRequested && e.StatusCode != StatusCode.Unavailable)
                                {
                                    output.WriteLine($"cycle {cycle}: writer {w} stopped on {e.StatusCode} {e.Status.Detail}");
                                }

                                // Not acknowledged (the server is going or gone): not checked.
                                return;
                            }
                        }
                    })).ToArray();

                    // The delay runs from the first acknowledged write, not from SERVING: a fresh server's first writes
                    // can take longer than the whole delay on a busy machine, and a cycle killed before any write was
                    // acknowledged tests nothing. (If every writer stops without one, the delay runs from then.)
                    await Task.WhenAny(firstAcknowledged.Task, Task.WhenAll(tasks)).WaitAsync(TimeSpan.FromMinutes(2));
                    await Task.Delay(random.Next(minDelay, maxDelay + 1));
                    server.Kill();
                    await stop.CancelAsync();
                    await Task.WhenAll(tasks);
                }
                finally
                {
                    await server.DisposeAsync();
                }
            }

            output.WriteLine($"{acknowledged.Count} acknowledged documents survived {cycles} SIGKILLs");
            Assert.True(acknowledged.Count > cycles, $"too few writes were acknowledged ({acknowledged.Count}) for the test to mean anything");
        }
        finally
        {
            if (Directory.Exists(index))
            {
                Directory.Delete(index, recursive: true);
            }
        }
    }

    private async Task VerifyAsync(ServerProcess server, ConcurrentDictionary<string, string> acknowledged, int cycle)
    {
        var documents = new DocumentService.DocumentServiceClient(server.Channel);
        var search = new SearchService.SearchServiceClient(server.Channel);
        var missing = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(acknowledged.ToArray(), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (entry, ct) =>
        {
            var (id, token) = entry;
            try
            {
                var doc = await documents.GetDocumentAsync(new GetDocumentRequest { Id = id }, cancellationToken: ct);
                if (doc.Id != id || !doc.Body.Contains(token, StringComparison.Ordinal))
                {
                    missing.Add($"{id}: wrong content");
                }
            }
            catch (RpcException e)
            {
                missing.Add($"{id}: GetDocument {e.StatusCode} {e.Status.Detail}");
                return;
            }

            var found = await search.SearchAsync(new SearchRequest { Query = token, PageSize = 10 }, cancellationToken: ct);
            if (!found.Hits.Any(h => h.Id == id))
            {
                missing.Add($"{id}: not found by '{token}' (total_hits {found.TotalHits})");
            }
        });
        if (!missing.IsEmpty)
        {
            output.WriteLine($"after restart {cycle}: {missing.Count} of {acknowledged.Count} acknowledged documents lost");
        }

        Assert.True(missing.IsEmpty, $"after restart {cycle}: " + string.Join("; ", missing.Take(10)));
    }
}
