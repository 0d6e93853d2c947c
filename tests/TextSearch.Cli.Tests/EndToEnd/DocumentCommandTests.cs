using System.IO.Compression;
using System.Text;
using TextSearch.Cli.Tests.Support;

namespace TextSearch.Cli.Tests.EndToEnd;

/// <summary>
/// index, get and delete against a real server. Every document here is the test's own (a unique id and a made-up
/// word), so the seeds other tests rely on are never touched.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DocumentCommandTests(ServerFixture server) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("textsearch-cli-").FullName;
    private readonly string _tag = Guid.NewGuid().ToString("N")[..10];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<CliResult> Run(params string[] args) => CliRunner.RunAsync(["--server", server.Address.ToString(), .. args]);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public async Task Index_jsonl_then_get_search_and_delete()
    {
        var id = $"cli-{_tag}-1";
        var path = Write("docs.jsonl",
            $$$"""
            {"id": "{{{id}}}", "title": "مقال عن الزنجبيلات", "body": "الزنجبيلات نبات طيب الرائحة.\nفقرة ثانية.", "source": "اختبار", "date": "2020-05-17", "metadata": {"lang": "ar"}}

            {"id": "cli-{{{_tag}}}-2", "title": "ثان", "body": "نص آخر", "extra": 42}
            """);

        var indexed = await Run("index", path);
        Assert.True(indexed.ExitCode == 0, indexed.ToString());
        Assert.Equal($"indexed 2 documents from {path}\n", indexed.Stdout);
        Assert.Equal(string.Empty, indexed.Stderr); // stderr is not a terminal: no progress bar

        var got = await Run("get", id);
        Assert.True(got.ExitCode == 0, got.ToString());
        Assert.Equal(
            $"id:      {id}\ntitle:   مقال عن الزنجبيلات\nsource:  اختبار\ndate:    2020-05-17\nmeta:    lang = ar\n\nالزنجبيلات نبات طيب الرائحة.\nفقرة ثانية.\n",
            got.Stdout);

        var json = (await Run("get", id, "--json")).Json();
        Assert.Equal(id, json.GetProperty("id").GetString());
        Assert.Equal("اختبار", json.GetProperty("source").GetString());
        Assert.Equal("2020-05-17T00:00:00Z", json.GetProperty("publishedAt").GetString());
        Assert.Equal("ar", json.GetProperty("metadata").GetProperty("lang").GetString());

        var found = await Run("search", "الزنجبيلات", "--json");
        Assert.Equal(id, found.Json().GetProperty("hits")[0].GetProperty("id").GetString());

        var deleted = await Run("delete", id);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal($"deleted {id}\n", deleted.Stdout);

        var gone = await Run("get", id);
        Assert.Equal(1, gone.ExitCode);
        Assert.Equal($"textsearch: NOT_FOUND: document '{id}' does not exist.", Assert.Single(gone.StderrLines));

        var deletedJson = await Run("delete", $"cli-{_tag}-2", "--json");
        Assert.Equal($"cli-{_tag}-2", deletedJson.Json().GetProperty("id").GetString());
    }

    [Fact]
    public async Task Index_a_folder_of_txt_files_uses_the_file_name_and_first_line()
    {
        var id = $"cli-{_tag}-txt";
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "folder")).FullName;
        File.WriteAllText(Path.Combine(folder, id + ".txt"), "\r\n  عنوان الاختبار  \r\n\r\nالفقرة الأولى عن الكركديهات.\r\n\r\nالفقرة الثانية.\r\n");
        File.WriteAllText(Path.Combine(folder, "ignored.md"), "not indexed");

        var indexed = await Run("index", folder);
        Assert.True(indexed.ExitCode == 0, indexed.ToString());
        Assert.Equal($"indexed 1 document from {folder}\n", indexed.Stdout);

        var json = (await Run("get", id, "--json")).Json();
        Assert.Equal("عنوان الاختبار", json.GetProperty("title").GetString());
        Assert.Equal("الفقرة الأولى عن الكركديهات.\n\nالفقرة الثانية.", json.GetProperty("body").GetString());

        Assert.Equal(0, (await Run("delete", id)).ExitCode);
    }

    [Fact]
    public async Task Index_reads_gzip_compressed_jsonl()
    {
        var id = $"cli-{_tag}-gz";
        var path = Path.Combine(_dir, "docs.jsonl.gz");
        await using (var file = File.Create(path))
        await using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        await using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync($$"""{"id": "{{id}}", "title": "مضغوط", "body": "نص في ملف مضغوط"}""");
        }

        var indexed = await Run("index", path, "--json");
        Assert.True(indexed.ExitCode == 0, indexed.ToString());
        var json = indexed.Json();
        Assert.Equal(1, json.GetProperty("upserted").GetInt32());
        Assert.Equal(0, json.GetProperty("failures").GetArrayLength());

        Assert.Contains("title:   مضغوط", (await Run("get", id)).Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("delete", id)).ExitCode);
    }

    [Fact]
    public async Task Rejected_documents_are_reported_and_the_others_stored()
    {
        var good = $"cli-{_tag}-good";
        var tooLong = new string('x', 300);
        var path = Write("mixed.jsonl",
            $$"""
            {"id": "{{good}}", "title": "سليم", "body": "نص"}
            {"id": "broken", "title":
            {"id": "{{tooLong}}", "title": "طويل", "body": "نص"}
            {"id": "cli-{{_tag}}-date", "date": "yesterday"}
            """);

        var result = await Run("index", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"indexed 1 of 4 documents from {path}; 3 failed\n", result.Stdout);
        var errors = result.StderrLines;
        Assert.Equal(3, errors.Length);
        Assert.Contains(errors, e => e.StartsWith($"textsearch: {path}:3 (id '{tooLong}'): ", StringComparison.Ordinal) && e.Contains("document id", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"textsearch: {path}:2: not valid JSON", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"textsearch: {path}:4: \"date\" must be an ISO 8601 date", StringComparison.Ordinal));

        var json = (await Run("index", path, "--json")).Json();
        Assert.Equal(1, json.GetProperty("upserted").GetInt32());
        var failures = json.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal(3, failures.Count);
        Assert.Equal(1, failures.Count(f => f.GetProperty("index").GetInt32() == 1 && f.GetProperty("id").GetString() == tooLong));
        Assert.Equal(2, failures.Count(f => f.GetProperty("index").GetInt32() == -1));

        Assert.Equal(0, (await Run("get", good)).ExitCode);
        Assert.Equal(0, (await Run("delete", good)).ExitCode);
    }

    [Theory]
    [InlineData("missing.jsonl", "does not exist")]
    [InlineData("notes.csv", "is not a .txt, .jsonl or .jsonl.gz file")]
    public async Task Index_of_a_path_it_cannot_read_is_a_usage_error(string name, string message)
    {
        if (name.EndsWith(".csv", StringComparison.Ordinal))
        {
            Write(name, "a,b");
        }

        var result = await Run("index", Path.Combine(_dir, name));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StderrLines[0], StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Index_of_an_empty_folder_is_a_usage_error()
    {
        var result = await Run("index", _dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("has no .txt, .jsonl or .jsonl.gz files", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_draws_a_progress_bar_when_stderr_is_a_terminal()
    {
        var id = $"cli-{_tag}-bar";
        var path = Write("bar.jsonl", $$"""{"id": "{{id}}", "title": "شريط", "body": "نص"}""");

        var result = await CliRunner.RunAsync(["--server", server.Address.ToString(), "index", path], stderrIsTerminal: true);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("[##############################] 100%  1 document", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("\r", result.Stderr, StringComparison.Ordinal); // erased before the summary
        Assert.Equal($"indexed 1 document from {path}\n", result.Stdout);
        Assert.Equal(0, (await Run("delete", id)).ExitCode);
    }

    [Fact]
    public async Task Index_against_a_server_that_is_down_is_one_line()
    {
        var path = Write("down.jsonl", """{"id": "never-sent", "title": "t", "body": "b"}""");

        var result = await CliRunner.RunAsync("--server", "http://127.0.0.1:1", "index", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("textsearch: cannot reach the server at http://127.0.0.1:1 (is it running?)", Assert.Single(result.StderrLines));
        Assert.Equal(string.Empty, result.Stdout);
    }
}
