using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using TextSearch.Analysis;
using TextSearch.Search.Lucene;

namespace TextSearch.Search.Tests;

/// <summary>
/// The embedded engine when its files fail it: a volume that fills up under concurrent writers, a bulk stream that
/// fails, an index whose commit point is missing or whose files are damaged.
/// </summary>
public sealed class LuceneFailureTests : IDisposable
{
    private readonly string _path = TestSupport.TempDir();

    public void Dispose()
    {
        if (Directory.Exists(_path))
        {
            Directory.Delete(_path, recursive: true);
        }
    }

    private static LuceneBackend Open(string path, Volume? volume = null, bool verify = true) => new(
        new LuceneOptions { IndexPath = path, VerifyOnOpen = verify, RamBufferMB = 4, BulkRamBufferMB = 4 },
        TextAnalyzer.Default,
        NullLogger.Instance,
        volume?.Open);

    private static Document Doc(string id, int bodyChars = 200) =>
        new() { Id = id, Title = "امتلاء القرص", Body = string.Join(' ', Enumerable.Range(0, bodyChars / 8).Select(i => $"كلمة{id.Length + i}")) };

    [Fact]
    public async Task Every_acknowledged_write_survives_a_volume_that_fills_under_concurrent_writers()
    {
        var volume = new Volume(long.MaxValue);
        var acknowledged = new ConcurrentBag<string>();
        var refusals = new ConcurrentBag<TextSearchException>();
        await using (var backend = Open(_path, volume))
        {
            var engine = TestSupport.Engine(backend);
            await backend.UpsertAsync([Doc("before")], default);
            volume.Set(3_000_000);

            // 8 writers of single documents and 2 bulk streams of large documents, until the volume is full. The bulk
            // streams start once some singles are acknowledged, so that the volume never fills before any write could
            // be acknowledged (the test would then prove nothing).
            var singlesAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var singles = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < 200; i++)
                {
                    var id = $"single-{w}-{i}";
                    try
                    {
                        await engine.UpsertAsync(Doc(id, 2_000), default);
                        acknowledged.Add(id);
                        if (acknowledged.Count >= 16)
                        {
                            singlesAcknowledged.TrySetResult();
                        }
                    }
                    catch (TextSearchException ex)
                    {
                        refusals.Add(ex);
                    }
                }

                singlesAcknowledged.TrySetResult();
            })).ToList();
            var bulks = Enumerable.Range(0, 2).Select(b => Task.Run(async () =>
            {
                await singlesAcknowledged.Task;
                for (var round = 0; round < 6; round++)
                {
                    var ids = Enumerable.Range(0, 40).Select(i => $"bulk-{b}-{round}-{i}").ToList();
                    try
                    {
                        var result = await engine.BulkUpsertAsync(ids.Select(id => BulkEntry.Of(Doc(id, 30_000))).ToAsyncEnumerable(), default);
                        Assert.Equal(ids.Count, result.Upserted);
                        ids.ForEach(acknowledged.Add);
                    }
                    catch (TextSearchException ex)
                    {
                        refusals.Add(ex);
                    }
                }
            }));
            await Task.WhenAll(singles.Concat(bulks));

            Assert.NotEmpty(refusals);
            Assert.All(refusals, ex =>
            {
                Assert.Equal(ErrorKind.ResourceExhausted, ex.Kind);
                Assert.StartsWith("no space left on the index volume", ex.Message, StringComparison.Ordinal);
            });
            Assert.NotEmpty(acknowledged);
            await AssertAllThere(backend);

            // Space again: writes work as before.
            volume.Set(long.MaxValue);
            await engine.UpsertAsync(Doc("after"), default);
            acknowledged.Add("after");
            await AssertAllThere(backend);
        }

        await using var reopened = Open(_path);
        await AssertAllThere(reopened);

        async Task AssertAllThere(LuceneBackend backend)
        {
            var missing = new List<string>();
            foreach (var id in acknowledged.Append("before"))
            {
                if (await backend.GetAsync(id, default) is null)
                {
                    missing.Add(id);
                }
            }

            Assert.Empty(missing);
            Assert.Equal(acknowledged.Count + 1, await backend.CountAsync(default));
        }
    }

    [Fact]
    public async Task A_write_that_fails_alone_does_not_fail_the_writes_it_shared_a_commit_with()
    {
        await using var backend = Open(_path);
        var writes = Enumerable.Range(0, 30).Select(i => backend.UpsertAsync([Doc($"ok-{i}")], default)).ToList();
        var broken = backend.UpsertAsync([new Document { Id = null! }], default);
        writes.AddRange(Enumerable.Range(30, 30).Select(i => backend.UpsertAsync([Doc($"ok-{i}")], default)));

        var error = await Assert.ThrowsAsync<TextSearchException>(() => broken);
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        await Task.WhenAll(writes);
        Assert.Equal(60, await backend.CountAsync(default));
    }

    [Fact]
    public async Task A_bulk_stream_that_fails_leaves_nothing_behind()
    {
        await using (var backend = Open(_path))
        {
            var engine = TestSupport.Engine(backend);
            await Assert.ThrowsAsync<IOException>(() => engine.BulkUpsertAsync(Failing(), default));

            // An unrelated write commits afterwards: nothing of the failed stream comes with it.
            await engine.UpsertAsync(Doc("unrelated"), default);
            Assert.Equal(1, await backend.CountAsync(default));
            Assert.Null(await backend.GetAsync("stream-0", default));
            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_path, LuceneBackend.StagingFolder)));
        }

        await using var reopened = Open(_path);
        Assert.Equal(1, await reopened.CountAsync(default));

        static async IAsyncEnumerable<BulkEntry> Failing()
        {
            for (var i = 0; i < Limits.BulkBatchDocuments + 300; i++)
            {
                await Task.Yield();
                yield return BulkEntry.Of(Doc($"stream-{i}", 40));
            }

            throw new IOException("the client went away");
        }
    }

    [Fact]
    public async Task Staging_left_by_a_crash_is_removed_when_the_index_opens()
    {
        var leftover = Path.Combine(_path, LuceneBackend.StagingFolder, "abandoned");
        Directory.CreateDirectory(leftover);
        await File.WriteAllTextAsync(Path.Combine(leftover, "_0.cfs"), "x");
        await using var backend = Open(_path);
        Assert.False(Directory.Exists(leftover));
    }

    [Fact]
    public async Task An_index_without_its_commit_point_refuses_to_open()
    {
        await WriteIndexAsync();
        foreach (var file in Directory.GetFiles(_path, "segments*"))
        {
            File.Delete(file);
        }

        var ex = Assert.Throws<IndexUnusableException>(() => Open(_path));
        Assert.Contains(_path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("no commit point", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Restore it from a backup, or start with a new TextSearch:IndexPath and reindex.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.NotEmpty(Directory.GetFiles(_path, "_*")); // nothing was overwritten
    }

    [Fact]
    public async Task A_truncated_commit_point_is_named_as_damage()
    {
        await WriteIndexAsync();
        var segments = Directory.GetFiles(_path, "segments_*").Single();
        await using (var stream = File.OpenWrite(segments))
        {
            stream.SetLength(stream.Length / 2);
        }

        AssertDamaged(Assert.Throws<IndexUnusableException>(() => Open(_path)));
    }

    [Fact]
    public async Task A_missing_segment_info_file_is_named_as_damage()
    {
        await WriteIndexAsync();
        File.Delete(Directory.GetFiles(_path, "*.si").First());
        AssertDamaged(Assert.Throws<IndexUnusableException>(() => Open(_path)));
    }

    [Fact]
    public async Task Flipped_bytes_in_stored_fields_are_found_by_the_checksums_at_open()
    {
        await WriteIndexAsync();
        FlipBytes(LargestSegmentFile(), 64);
        AssertDamaged(Assert.Throws<IndexUnusableException>(() => Open(_path)));
    }

    [Fact]
    public async Task Damage_found_by_a_read_is_data_loss_and_makes_the_engine_not_serving()
    {
        await WriteIndexAsync();
        DamageSlices(".tim", ".doc");

        // Without the checks at open, the damage shows when the index is read: as DATA_LOSS, never as a raw exception.
        await using var backend = Open(_path, verify: false);
        var engine = TestSupport.Engine(backend);
        var failures = new List<TextSearchException>();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                if (await backend.GetAsync($"doc-{i}", default) is { } doc)
                {
                    Assert.Equal(Doc($"doc-{i}", 400).Body, doc.Body);
                }

                await engine.SearchAsync(new SearchRequestModel($"كلمة{i}", 100), default);
            }
            catch (TextSearchException ex)
            {
                failures.Add(ex);
            }
        }

        Assert.NotEmpty(failures);
        Assert.All(failures, ex => Assert.Equal(ErrorKind.DataLoss, ex.Kind));
        Assert.Contains("is damaged", failures[0].Message, StringComparison.Ordinal);
        Assert.Equal(BackendHealth.NotServing, await backend.CheckHealthAsync(default));
    }

    [Fact]
    public async Task An_index_of_an_older_layout_is_refused_with_what_to_do()
    {
        // An index written before layouts were named: documents, no layout entry in its commit.
        WriteIndexOfLayout(layout: null);

        var ex = Assert.Throws<IndexUnusableException>(() => Open(_path));
        Assert.Contains("older TextSearch (index layout 1; this version reads layout 7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("layout 2: the body's variant keys", ex.Message, StringComparison.Ordinal);
        Assert.Contains("reindex", ex.Message, StringComparison.Ordinal);

        // An index of this layout opens again after writes and restarts.
        Directory.Delete(_path, recursive: true);
        await WriteIndexAsync();
        await using (var reopened = Open(_path))
        {
            await reopened.UpsertAsync([Doc("more")], default);
        }

        await using var again = Open(_path);
        Assert.Equal(201, await again.CountAsync(default));
    }

    [Theory]
    [InlineData("4", "older TextSearch (index layout 4; this version reads layout 7, whose fields differ: layout 5: variant keys of revision 2")]
    [InlineData("5", "(index layout 5; this version reads layout 7, whose fields differ: layout 6: variant keys with positions")]
    [InlineData("6", "(index layout 6; this version reads layout 7, whose fields differ: layout 7: variant keys of revision 3")]
    [InlineData("8", "newer TextSearch (index layout 8; this version reads layout 7). Serve it with that version")]
    [InlineData("x", "unknown index layout 'x'; this version reads layout 7")]
    public void An_index_of_another_named_layout_is_refused_with_what_changed(string layout, string expected)
    {
        WriteIndexOfLayout(layout);
        var ex = Assert.Throws<IndexUnusableException>(() => Open(_path));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(_path, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A one-document index whose commit names <paramref name="layout"/> (none when null).</summary>
    private void WriteIndexOfLayout(string? layout)
    {
        using var dir = global::Lucene.Net.Store.FSDirectory.Open(_path);
        using var writer = new global::Lucene.Net.Index.IndexWriter(dir, new global::Lucene.Net.Index.IndexWriterConfig(
            global::Lucene.Net.Util.LuceneVersion.LUCENE_48, new global::Lucene.Net.Analysis.Core.WhitespaceAnalyzer(global::Lucene.Net.Util.LuceneVersion.LUCENE_48)));
        writer.AddDocument([new global::Lucene.Net.Documents.StringField(LuceneFields.Id, "old", global::Lucene.Net.Documents.Field.Store.YES)]);
        if (layout is not null)
        {
            writer.SetCommitData(new Dictionary<string, string> { ["textsearch.layout"] = layout });
        }

        writer.Commit();
    }

    [Fact]
    public void The_layout_names_the_variant_key_revision_the_analysis_core_writes()
    {
        // A new key revision needs a new layout: an old index's keys would no longer meet the query's. Bump
        // IndexLayouts.Current (and say what changed) together with IndexLayouts.VariantKeyRevision.
        Assert.Equal(TextSearch.Analysis.VariantKey.Revision, IndexLayouts.VariantKeyRevision);
        Assert.Equal(IndexLayouts.Current.ToString(System.Globalization.CultureInfo.InvariantCulture), LuceneBackend.Layout);
    }

    [Fact]
    public async Task An_index_locked_by_another_writer_says_so()
    {
        await using var first = Open(_path);
        var ex = Assert.Throws<IndexUnusableException>(() => Open(_path));
        Assert.Contains("in use by another process", ex.Message, StringComparison.Ordinal);
    }

    private async Task WriteIndexAsync()
    {
        await using var backend = Open(_path);
        await backend.UpsertAsync([.. Enumerable.Range(0, 200).Select(i => Doc($"doc-{i}", 400))], default);
    }

    private string LargestSegmentFile() =>
        Directory.GetFiles(_path).Where(f => Path.GetFileName(f).StartsWith('_')).OrderByDescending(f => new FileInfo(f).Length).First();

    /// <summary>
    /// Inverts the middle half of the named files inside the compound file of the first segment (the term dictionary
    /// and the postings), which are read by searches, not at open. The slices are located through the compound file's
    /// entry table (<c>.cfe</c>: codec header, then id, offset and length per entry).
    /// </summary>
    private void DamageSlices(params string[] extensions)
    {
        var cfs = Directory.GetFiles(_path, "_0.cfs").Single();
        var bytes = File.ReadAllBytes(cfs);
        using (var entries = new BinaryReader(File.OpenRead(Path.ChangeExtension(cfs, ".cfe"))))
        {
            entries.ReadBytes(4); // magic
            entries.ReadBytes(entries.ReadByte()); // codec name
            entries.ReadBytes(4); // version
            var count = ReadVInt(entries);
            var damaged = 0;
            for (var i = 0; i < count; i++)
            {
                var id = System.Text.Encoding.UTF8.GetString(entries.ReadBytes(ReadVInt(entries)));
                var offset = ReadBigEndianLong(entries);
                var length = ReadBigEndianLong(entries);
                if (extensions.Any(e => id.EndsWith(e, StringComparison.Ordinal)))
                {
                    for (var at = offset + (length / 4); at < offset + (3 * length / 4); at++)
                    {
                        bytes[at] ^= 0xFF;
                    }

                    damaged++;
                }
            }

            Assert.Equal(extensions.Length, damaged);
        }

        File.WriteAllBytes(cfs, bytes);

        static int ReadVInt(BinaryReader reader)
        {
            int value = 0, shift = 0;
            byte b;
            do
            {
                b = reader.ReadByte();
                value |= (b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            return value;
        }

        static long ReadBigEndianLong(BinaryReader reader) =>
            System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(reader.ReadBytes(8));
    }

    /// <summary>Inverts <paramref name="count"/> bytes spread over the middle of the file (not its header or footer).</summary>
    private static void FlipBytes(string file, int count)
    {
        var bytes = File.ReadAllBytes(file);
        var random = new Random(12345);
        for (var i = 0; i < count; i++)
        {
            var at = (bytes.Length / 4) + random.Next(bytes.Length / 2);
            bytes[at] ^= 0xFF;
        }

        File.WriteAllBytes(file, bytes);
    }

    private void AssertDamaged(IndexUnusableException ex)
    {
        Assert.StartsWith($"the index at {_path} is damaged (", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("Restore it from a backup, or start with a new TextSearch:IndexPath and reindex.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task The_refresh_after_a_merge_waits_for_the_pass_of_writes_under_way()
    {
        // Opening a reader from the writer flushes what a pass buffered; had the refresh after a merge done that during
        // a pass on a full volume, the flush would have dropped the pass's documents and its commit acknowledged them
        // anyway. So while a pass is under way, such a refresh must wait: the pass's documents stay buffered until
        // the pass itself commits them.
        await using var backend = Open(_path);
        await backend.UpsertAsync([Doc("before")], default);
        var buffered = new List<int>();
        backend.PassBuffered = writer =>
        {
            buffered.Add(writer.NumRamDocs());
            backend.RefreshAfterMerge(); // as a merge ending now would

            // Time enough for the refresh to run (a pool thread to pick it up), had it not waited.
            var until = Environment.TickCount64 + 2000;
            while (writer.NumRamDocs() > 0 && Environment.TickCount64 < until)
            {
                Thread.Sleep(20);
            }

            buffered.Add(writer.NumRamDocs());
        };

        await backend.UpsertAsync([Doc("during1"), Doc("during2")], default);
        backend.PassBuffered = null;

        Assert.Equal([2, 2], buffered);
        Assert.NotNull(await backend.GetAsync("during2", default));
        Assert.Equal(3, await backend.CountAsync(default));
    }
}

/// <summary>Seeds go through the engine: validated like any document, and a refused seed is reported.</summary>
public sealed class SeedIngestionTests : IDisposable
{
    private readonly string _index = TestSupport.TempDir();
    private readonly string _seeds = TestSupport.TempDir();

    public void Dispose()
    {
        foreach (var path in new[] { _index, _seeds })
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_seed_the_engine_refuses_is_reported_and_the_others_are_indexed()
    {
        Directory.CreateDirectory(_seeds);
        await File.WriteAllTextAsync(Path.Combine(_seeds, "good.txt"), "عنوان\n\nنص البذرة الجيدة");
        await File.WriteAllTextAsync(Path.Combine(_seeds, "bad\u0007bell.txt"), "عنوان\n\nنص البذرة المرفوضة");
        await using var backend = new LuceneBackend(new LuceneOptions { IndexPath = _index }, TextAnalyzer.Default, NullLogger<LuceneBackend>.Instance);
        var report = await new Ingestion.SeedIngestor(TestSupport.Engine(backend), NullLogger<Ingestion.SeedIngestor>.Instance).IngestAsync(_seeds, default);
        Assert.Equal(new Ingestion.SeedReport(Found: 2, Indexed: 1, Unchanged: 0, Failed: 1), report);
        Assert.NotNull(await backend.GetAsync("good", default));
        Assert.Equal(1, await backend.CountAsync(default));
    }
}
