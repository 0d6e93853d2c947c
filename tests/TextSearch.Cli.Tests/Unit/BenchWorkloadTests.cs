using System.Buffers.Binary;
using System.Text;
using TextSearch.Cli.Bench;
using TextSearch.Cli.Syntax;
using TextSearch.V1;

namespace TextSearch.Cli.Tests.Unit;

public sealed class BenchWorkloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("textsearch-bench-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        return path;
    }

    [Fact]
    public void Queries_are_the_trimmed_non_blank_lines_taken_in_turn()
    {
        var path = File("q.txt", "قسد\r\n\r\n   \n  \"دير الزور\"  \nالرقة -داعش\n");
        var workload = BenchWorkload.Load(new BenchSettings { QueriesPath = path }, pageSize: 5, snippets: null);

        Assert.Equal(3, workload.ItemCount);
        Assert.Equal("textsearch.v1.SearchService.Search", workload.Method);
        Assert.Equal("/textsearch.v1.SearchService/Search", workload.Path);
        var sent = Enumerable.Range(0, 7).Select(n => (SearchRequest)workload.Request(n)).ToList();
        Assert.Equal(["قسد", "\"دير الزور\"", "الرقة -داعش", "قسد", "\"دير الزور\"", "الرقة -داعش", "قسد"], sent.Select(r => r.Query));
        Assert.All(sent, r => Assert.Equal(5, r.PageSize));
    }

    [Fact]
    public void A_missing_or_blank_queries_file_is_a_usage_error()
    {
        var missing = Assert.Throws<UsageException>(() => BenchWorkload.Load(new BenchSettings { QueriesPath = Path.Combine(_dir, "none.txt") }, null, null));
        var blank = Assert.Throws<UsageException>(() => BenchWorkload.Load(new BenchSettings { QueriesPath = File("b.txt", "\n  \n") }, null, null));

        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Contains("has no non-blank line", blank.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_sends_the_lines_as_texts()
    {
        var workload = BenchWorkload.Load(new BenchSettings { Call = BenchCall.Normalize, Query = "ٱلرَّحْمَٰنِ" }, null, null);

        Assert.Equal("textsearch.v1.NormalizationService.Normalize", workload.Method);
        Assert.Equal("ٱلرَّحْمَٰنِ", ((NormalizeRequest)workload.Request(3)).Text);
    }

    [Fact]
    public void Upsert_sends_the_documents_in_turn_under_their_own_ids()
    {
        var path = File("d.jsonl", "{\"id\":\"a\",\"title\":\"t\",\"body\":\"b\"}\n\n{\"id\":\"b\",\"title\":\"t2\",\"body\":\"b2\"}\n");
        var workload = BenchWorkload.Load(new BenchSettings { Call = BenchCall.Upsert, DocsPath = path }, null, null);

        Assert.Equal("/textsearch.v1.DocumentService/UpsertDocument", workload.Path);
        Assert.Null(workload.UniqueIdTag);
        Assert.Equal(["a", "b", "a"], Enumerable.Range(0, 3).Select(n => ((UpsertDocumentRequest)workload.Request(n)).Document.Id));
    }

    [Fact]
    public void Unique_ids_add_the_run_tag_and_the_call_number()
    {
        var longId = new string('x', 256);
        var path = File("d.jsonl", $"{{\"id\":\"a\",\"title\":\"t\",\"body\":\"b\"}}\n{{\"id\":\"{longId}\",\"title\":\"t\",\"body\":\"b\"}}\n");
        var workload = BenchWorkload.Load(new BenchSettings { Call = BenchCall.Upsert, DocsPath = path, UniqueIds = true }, null, null);
        var tag = workload.UniqueIdTag!;

        Assert.Matches("^[0-9a-f]{6}$", tag);
        var first = (UpsertDocumentRequest)workload.Request(0);
        var again = (UpsertDocumentRequest)workload.Request(2);
        Assert.Equal($"a-{tag}-0", first.Document.Id);
        Assert.Equal($"a-{tag}-2", again.Document.Id);
        Assert.Equal("t", again.Document.Title);
        var truncated = ((UpsertDocumentRequest)workload.Request(12345)).Document.Id;
        Assert.Equal(256, truncated.Length);
        Assert.EndsWith($"-{tag}-12345", truncated, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_count_only_the_documents_that_will_be_sent_are_read()
    {
        var lines = string.Concat(Enumerable.Range(0, 50).Select(i => $"{{\"id\":\"d{i}\",\"title\":\"t\",\"body\":\"b\"}}\n"));
        var path = File("many.jsonl", lines);

        var counted = BenchWorkload.Load(new BenchSettings { Call = BenchCall.Upsert, DocsPath = path, Count = 7, Warmup = 3 }, null, null);
        var timed = BenchWorkload.Load(new BenchSettings { Call = BenchCall.Upsert, DocsPath = path, Count = null, Duration = TimeSpan.FromSeconds(1) }, null, null);

        Assert.Equal(10, counted.ItemCount);
        Assert.Equal(50, timed.ItemCount);
    }

    [Fact]
    public void A_malformed_document_stops_the_run_before_it_starts()
    {
        var path = File("bad.jsonl", "{\"id\":\"a\"}\nnot json\n");

        var e = Assert.Throws<InvalidDataException>(() => BenchWorkload.Load(new BenchSettings { Call = BenchCall.Upsert, DocsPath = path }, null, null));

        Assert.StartsWith($"{path}:2: not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_docs_are_a_usage_error_of_bench()
    {
        var e = Assert.Throws<UsageException>(() => BenchWorkload.Load(new BenchSettings { Call = BenchCall.Upsert, DocsPath = Path.Combine(_dir, "no.jsonl") }, null, null));

        Assert.StartsWith("bench: ", e.Message, StringComparison.Ordinal);
        Assert.Equal("bench", e.Command);
    }

    [Fact]
    public void The_frame_is_a_length_prefixed_grpc_message()
    {
        var workload = BenchWorkload.Load(new BenchSettings { Query = "قسد" }, pageSize: 10, snippets: null);

        var frame = workload.Frame(0);

        Assert.Equal(0, frame[0]);
        Assert.Equal((uint)(frame.Length - 5), BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1, 4)));
        var request = SearchRequest.Parser.ParseFrom(frame.AsSpan(5));
        Assert.Equal("قسد", request.Query);
        Assert.Equal(10, request.PageSize);
        // Field 1 (query, length-delimited: tag 0x0a), 6 UTF-8 bytes; field 2 (page_size, varint: tag 0x10) = 10.
        Assert.Equal(Convert.FromHexString("000000000A0A06D982D8B3D8AF100A"), frame);
    }
}
