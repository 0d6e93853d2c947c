using System.IO.Compression;

namespace TextSearch.Relevance.Tests;

public sealed class MetricsTests
{
    [Fact]
    public void Rank_is_one_based_within_the_top_ten()
    {
        string[] ranked = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"];
        Assert.Equal(1, Metrics.RankOf(ranked, "a"));
        Assert.Equal(10, Metrics.RankOf(ranked, "j"));
        Assert.Equal(0, Metrics.RankOf(ranked, "k"));
        Assert.Equal(0, Metrics.RankOf(ranked, "z"));
    }

    [Fact]
    public void Metrics_over_known_ranks()
    {
        var m = new Metrics();
        m.Add(1, 1);
        m.Add(2, 2);
        m.Add(5, 3);
        m.Add(0, 4);
        Assert.Equal((1 + 0.5 + 0.2 + 0) / 4, m.Mrr10, 10);
        Assert.Equal(0.25, m.RecallAt(1), 10);
        Assert.Equal(0.75, m.RecallAt(5), 10);
        Assert.Equal(0.75, m.RecallAt(10), 10);
        Assert.Equal((1 + (1 / Math.Log2(3)) + (1 / Math.Log2(6))) / 4, m.Ndcg10, 10);
        Assert.Equal(2, m.LatencyPercentile(50));
        Assert.Equal(4, m.LatencyPercentile(99));
    }

    [Fact]
    public void Squad_paragraphs_are_the_relevant_documents()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, """
            {"data":[{"title":"عنوان","paragraphs":[
              {"context":"فقرة أولى","qas":[{"id":"q1","question":" ما الأولى؟ ","answers":[]}]},
              {"context":"فقرة ثانية","qas":[{"id":"q2","question":"ما الثانية؟","answers":[]},{"id":"q3","question":"  ","answers":[]}]}]}]}
            """);
        var set = Corpus.ReadSquad(path);
        Assert.Equal(2, set.Paragraphs.Count);
        Assert.Equal("عنوان", set.Paragraphs[1].Title);
        Assert.Equal(2, set.Questions.Count);
        Assert.Equal("ما الأولى؟", set.Questions[0].Text);
        Assert.Equal(set.Paragraphs[1].Id, set.Questions[1].RelevantId);
        File.Delete(path);
    }

    [Fact]
    public void Jsonl_distractors_read_plain_and_gzip()
    {
        var path = Path.GetTempFileName() + ".jsonl.gz";
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        using (var w = new StreamWriter(gz))
        {
            w.WriteLine("""{"id":"x1","title":"t","body":"b"}""");
            w.WriteLine();
            w.WriteLine("""{"id":"x2","title":"t2","body":"b2"}""");
        }

        var docs = Corpus.ReadJsonl(path).ToList();
        Assert.Equal(["d-x1", "d-x2"], docs.Select(d => d.Id));
        Assert.Single(Corpus.ReadJsonl(path, limit: 1));
        File.Delete(path);
    }

    [Fact]
    public void Rank_table_has_a_line_per_question_with_each_systems_rank_and_first_hit()
    {
        EvalQuestion[] questions = [new("q1", "ما\tهو\nالقمر؟", "p1"), new("q2", "متى ولد؟", "p2")];
        var lines = RankTable.Lines(questions, [("ours", [1, 0], ["p1", "d-9"]), ("plain", [3, 2], ["d-1", "d-2"])]).ToList();
        Assert.Equal(
        [
            "question\trelevant\tours rank\tours first\tplain rank\tplain first\ttext",
            "q1\tp1\t1\tp1\t3\td-1\tما هو القمر؟",
            "q2\tp2\t0\td-9\t2\td-2\tمتى ولد؟",
        ],
            lines);
    }
}
