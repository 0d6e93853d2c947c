using System.Diagnostics;
using Grpc.Core;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>
/// Issue 12: one read-only client must not make the server unresponsive. Snippet calls on the largest documents and
/// page_size 100 searches for the word they repeat, with short deadlines, run against the built server in its own
/// process while a steady probe searches for something else. Every probe is answered within its deadline, and once the
/// hostile calls' deadlines have passed the server goes back to idle (measured in the server's CPU time, which a busy
/// machine does not inflate; the probe's latency is reported, not asserted). Before the fix, snippets cost time quadratic in the matches of
/// a document, were not cancellable and ran outside the query budget: one Snippet call on a 400,000-character
/// document kept a core busy for a minute and more after its deadline. The thresholds are generous by design, and
/// nothing is timed by the wall clock of a machine that may be busy with other tests: the server's query budget is
/// put out of the way (only the callers' deadlines end the hostile work, as the test means), and the hostile phase
/// lasts until the probe has been answered often enough, not for a fixed time.
/// </summary>
public sealed class HostileSnippetTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Hostile = "سوريا";
    private const string Calm = "الخرطوم";

    private static readonly TimeSpan HostileDeadline = TimeSpan.FromSeconds(1);

    /// <summary>The probe's deadline: a probe not answered within it was starved.</summary>
    private static readonly TimeSpan ProbeDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Hostile rounds (three calls each) and answered probes the hostile phase lasts for at least.</summary>
    private const int MinRounds = 6;
    private const int MinProbes = 10;

    /// <summary>How long the hostile phase may last while the probes are not answered often enough.</summary>
    private static readonly TimeSpan MaxHostilePhase = TimeSpan.FromSeconds(60);

    private static string Repeat(string word, int chars) => string.Concat(Enumerable.Repeat(word + " ", chars / (word.Length + 1)));

    /// <summary>The server's CPU time, read afresh.</summary>
    private static TimeSpan CpuTime(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime;
    }

    /// <summary>How many cores the server kept busy over <paramref name="window"/>.</summary>
    private static async Task<double> CoresBusyAsync(int pid, TimeSpan window)
    {
        var cpu = CpuTime(pid);
        var clock = Stopwatch.StartNew();
        await Task.Delay(window);
        return (CpuTime(pid) - cpu).TotalSeconds / clock.Elapsed.TotalSeconds;
    }

    [Fact]
    public async Task Hostile_snippets_and_searches_neither_starve_a_probe_nor_keep_the_server_busy()
    {
        var index = Path.Combine(Path.GetTempPath(), "textsearch-tests", Guid.NewGuid().ToString("N"));
        try
        {
            // The server's own query budget (5 s by default) would end a probe that a busy machine slows past it, and a
            // hostile call too: put it out of the way, so that only the deadlines decide.
            await using var server = await ServerProcess.StartAsync(new ServerLaunch(index) { Arguments = ["--TextSearch:Limits:QueryTimeBudgetMs", "60000"] });
            var documents = new DocumentService.DocumentServiceClient(server.Channel);
            var search = new SearchService.SearchServiceClient(server.Channel);

            // Eight documents of 400,000 characters repeating one word, 92 more of 5,000 (a page of 100 hits), and
            // 20 small ones the probe finds.
            var huge = Repeat(Hostile, 400_000);
            for (var i = 0; i < 8; i++)
            {
                await documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = $"huge-{i}", Title = Hostile, Body = huge } });
            }

            var medium = Repeat(Hostile, 5_000);
            for (var i = 0; i < 92; i++)
            {
                await documents.UpsertDocumentAsync(new UpsertDocumentRequest { Document = new Document { Id = $"medium-{i:D2}", Title = Hostile, Body = medium } });
            }

            for (var i = 0; i < 20; i++)
            {
                await documents.UpsertDocumentAsync(new UpsertDocumentRequest
                {
                    Document = new Document { Id = $"calm-{i:D2}", Title = "خبر", Body = $"وصل الوفد إلى {Calm} صباح اليوم رقم {i}. ثم عاد." },
                });
            }

            // The probe's search once before (its first run pays for compiling and warming what it uses), then a quiet
            // server (indexing and merges done), so that what is measured is the hostile load.
            Assert.Equal(5, (await search.SearchAsync(new SearchRequest { Query = Calm, PageSize = 5 }, deadline: DateTime.UtcNow.AddSeconds(60))).Hits.Count);
            var settle = Stopwatch.StartNew();
            while (await CoresBusyAsync(server.ProcessId, TimeSpan.FromSeconds(1)) > 0.2 && settle.Elapsed < TimeSpan.FromSeconds(30))
            {
            }

            // Hostile clients: every second, two Snippet calls on huge documents and a page_size 100 search for their
            // word, each with a 1 s deadline, for at least 6 rounds and until the probe below has been answered 10
            // times. (A pace, not a flood: the point is the cost of one call, which the old code made quadratic and
            // uncancellable, not how many calls a shared 2-core machine can take.)
            using var hostilePhase = new CancellationTokenSource();
            var hostileDone = 0;
            var hostileCalls = 0;
            var hostileRounds = 0;
            async Task RunHostile(Func<DateTime, Task> call)
            {
                Interlocked.Increment(ref hostileCalls);
                try
                {
                    await call(DateTime.UtcNow + HostileDeadline);
                    Interlocked.Increment(ref hostileDone);
                }
                catch (RpcException)
                {
                }
            }

            var hostile = new List<Task>();
            var rounds = Task.Run(async () =>
            {
                for (var round = 0; !hostilePhase.IsCancellationRequested; round++)
                {
                    foreach (var id in new[] { $"huge-{(2 * round) % 8}", $"huge-{((2 * round) + 1) % 8}" })
                    {
                        hostile.Add(RunHostile(async deadline => await search.SnippetAsync(
                            new SnippetRequest { DocumentId = id, Query = Hostile, MaxSnippets = 10, FragmentChars = 1000 }, deadline: deadline)));
                    }

                    hostile.Add(RunHostile(async deadline => await search.SearchAsync(
                        new SearchRequest { Query = Hostile, PageSize = 100, MaxSnippets = 10, FragmentChars = 1000 }, deadline: deadline)));
                    Interlocked.Increment(ref hostileRounds);
                    await Task.Delay(1000);
                }
            });

            // The probe: a small search for another word, every 100 ms, while the hostile clients run. A probe that is
            // not answered within its deadline counts against the server (and ends the phase as an answered one does).
            await Task.Delay(500);
            var latencies = new List<TimeSpan>();
            var probeFailures = new List<StatusCode>();
            var phase = Stopwatch.StartNew();
            while ((latencies.Count + probeFailures.Count < MinProbes || Volatile.Read(ref hostileRounds) < MinRounds) && phase.Elapsed < MaxHostilePhase)
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    var found = await search.SearchAsync(new SearchRequest { Query = Calm, PageSize = 5 }, deadline: DateTime.UtcNow + ProbeDeadline);
                    Assert.Equal(5, found.Hits.Count);
                    latencies.Add(clock.Elapsed);
                }
                catch (RpcException e)
                {
                    probeFailures.Add(e.StatusCode);
                }

                await Task.Delay(100);
            }

            await hostilePhase.CancelAsync();
            await rounds;
            var lastDeadline = DateTime.UtcNow + HostileDeadline;
            await Task.WhenAll(hostile);

            // A few seconds after the last hostile deadline, the server is back near idle: no work left running for
            // callers that have gone.
            await Task.Delay(lastDeadline - DateTime.UtcNow + TimeSpan.FromSeconds(3));
            var busy = await CoresBusyAsync(server.ProcessId, TimeSpan.FromSeconds(3));

            latencies.Sort();
            var p99 = latencies.Count > 0 ? latencies[(int)Math.Ceiling(0.99 * latencies.Count) - 1] : TimeSpan.Zero;
            var summary = $"probe p99 {p99.TotalMilliseconds:0} ms over {latencies.Count} answered probes; failed probes: [{string.Join(", ", probeFailures)}]; "
                + $"{hostileDone} of {hostileCalls} hostile calls completed; {busy:0.00} cores busy after the hostile deadlines";
            output.WriteLine(summary);
            Assert.True(hostileCalls >= 3 * MinRounds, summary);
            Assert.True(latencies.Count >= MinProbes, summary);
            Assert.Empty(probeFailures);
            Assert.True(busy < 0.5, summary);
        }
        finally
        {
            if (Directory.Exists(index))
            {
                Directory.Delete(index, recursive: true);
            }
        }
    }
}
