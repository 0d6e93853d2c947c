using System.Diagnostics;
using Lucene.Net.Analysis.Ar;
using Lucene.Net.Index;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using TextSearch.Analysis;
using TextSearch.Relevance;
using TextSearch.Search;
using TextSearch.Search.Ingestion;
using TextSearch.Search.Lucene;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace TextSearch.Perf;

/// <summary>
/// What each field of our schema costs to index: the same documents indexed in-process on one thread, one
/// <c>IndexWriter</c> and one commit each, by plain Lucene (<c>ArabicAnalyzer</c>, one field of title and body, as the
/// anchor indexes them), by our schema, and by our schema with one field (or group) left out. No merges (each variant's
/// segments are flushed as the buffer fills, on the indexing thread), so the CPU and the allocations are the indexing
/// thread's own. The variants run in turn, round after round, so each round compares them on the same machine minute.
/// </summary>
internal static class FieldCost
{
    /// <summary>The variants: a name, and which of our document's fields it leaves out (null: plain Lucene).</summary>
    private static readonly (string Name, Func<IIndexableField, bool>? LeftOut)[] Variants =
    [
        ("plain ArabicAnalyzer, one field", null),
        ("our schema, every field", _ => false),
        ("without the body's stems (body)", f => f.Name == LuceneFields.Body && f.IndexableFieldType.IsIndexed),
        ("without the variant keys (body_key)", f => f.Name == LuceneFields.BodyKey),
        ("without the exact forms (body_exact, title_exact)", f => f.Name is LuceneFields.BodyExact or LuceneFields.TitleExact),
        ("without the title's stems (title)", f => f.Name == LuceneFields.Title && f.IndexableFieldType.IsIndexed),
        ("without the completion terms (suggest)", f => f.Name == LuceneFields.Suggest),
        ("without the stored title, body and source", f => f.Name is LuceneFields.Title or LuceneFields.Body or LuceneFields.Source && !f.IndexableFieldType.IsIndexed),
        ("without the id's sort and source key", f => f.Name is LuceneFields.IdSort or LuceneFields.SourceKey),
    ];

    public static int Run(Options opts)
    {
        var docs = JsonlCorpus.Read(opts.Require("corpus"), opts.Int("limit", 8000)).ToList();
        var rounds = opts.Int("rounds", 3);
        var work = opts.Get("work") ?? Path.Combine(Path.GetTempPath(), "textsearch-perf", Guid.NewGuid().ToString("N"));
        TextSearchCodec.Register();
        var schema = new LuceneSchema(new RankingOptions(), TextAnalyzer.Default);
        Console.WriteLine($"corpus: {docs.Count} documents; {rounds} rounds; one thread, in-process, {Environment.ProcessorCount} processors");
        var results = Variants.Select(_ => new List<(double DocsPerSecond, double CpuMs, double AllocKb)>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var v = 0; v < Variants.Length; v++)
            {
                var path = Path.Combine(work, $"{round}-{v}");
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var watch = Stopwatch.StartNew();
                using (var dir = FSDirectory.Open(new DirectoryInfo(path)))
                {
                    Index(dir, docs, schema, Variants[v].LeftOut);
                }

                watch.Stop();
                var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / docs.Count;
                var allocKb = (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1024.0 / docs.Count;
                results[v].Add((docs.Count / watch.Elapsed.TotalSeconds, cpuMs, allocKb));
                Console.WriteLine($"round {round + 1}: {Variants[v].Name}: {docs.Count / watch.Elapsed.TotalSeconds:F0} documents/s, {cpuMs:F3} ms of CPU and {allocKb:F0} KB allocated per document");
                System.IO.Directory.Delete(path, recursive: true);
            }
        }

        // The first round warms the JIT up; the table is the median of the others (or the only one).
        var measured = rounds > 1 ? 1 : 0;
        double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }

        var full = Median(results[1].Skip(measured).Select(r => r.CpuMs));
        Console.WriteLine();
        Console.WriteLine("| Indexed | Documents/s | CPU per document | Of our schema's CPU | Allocated per document |");
        Console.WriteLine("| --- | --: | --: | --: | --: |");
        for (var v = 0; v < Variants.Length; v++)
        {
            var cpuMs = Median(results[v].Skip(measured).Select(r => r.CpuMs));
            Console.WriteLine($"| {Variants[v].Name} | {Median(results[v].Skip(measured).Select(r => r.DocsPerSecond)):F0} | {cpuMs:F3} ms | {cpuMs / full:P0} | {Median(results[v].Skip(measured).Select(r => r.AllocKb)):F0} KB |");
        }

        System.IO.Directory.Delete(work, recursive: true);
        return 0;
    }

    private static void Index(FSDirectory dir, List<Search.Document> docs, LuceneSchema schema, Func<IIndexableField, bool>? leftOut)
    {
        if (leftOut is null)
        {
            var analyzer = new ArabicAnalyzer(LuceneVersion.LUCENE_48);
            using var plain = new IndexWriter(dir, new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer) { Similarity = new BM25Similarity(), RAMBufferSizeMB = 64, MergePolicy = NoMergePolicy.COMPOUND_FILES });
            foreach (var doc in docs)
            {
                plain.AddDocument(Baseline.PlainDocument(doc.Id, doc.Title, doc.Body));
            }

            plain.Commit();
            return;
        }

        using var writer = new IndexWriter(dir, new IndexWriterConfig(LuceneVersion.LUCENE_48, schema.IndexAnalyzer)
        {
            Similarity = schema.Similarity,
            RAMBufferSizeMB = 64,
            Codec = new TextSearchCodec(),
            MergePolicy = NoMergePolicy.COMPOUND_FILES,
        });
        foreach (var doc in docs)
        {
            var fields = schema.ToLucene(doc);
            var kept = new LuceneDocument();
            foreach (var field in fields.Fields)
            {
                if (!leftOut(field))
                {
                    kept.Add(field);
                }
            }

            writer.UpdateDocument(new Term(LuceneFields.Id, doc.Id), kept);
        }

        writer.Commit();
    }
}
