using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Queries.Function;
using Lucene.Net.Queries.Function.ValueSources;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDocument = Lucene.Net.Documents.Document;
using LuceneQuery = Lucene.Net.Search.Query;

namespace TextSearch.Search.Elasticsearch.Tests.Support;

/// <summary>
/// A stand-in for an Elasticsearch 9.x node, for tests on a machine without one. It is the HTTP handler under the
/// official client's HttpRequestInvoker (see <see cref="Unowned"/>), so the real client and transport run: it reads
/// gzip'd bodies, answers with X-Elastic-Product and the media type asked for, and refuses compatibility versions
/// other than 9 and 8 as Elasticsearch 9 does. It serves the subset of the REST API the engine uses (HEAD/PUT/DELETE index, _aliases, _bulk, _doc get/delete, _count, _search, _cluster/health), answered in
/// the documented response shapes, over an in-memory Lucene.NET 4.8 index. It reads the index settings it is given
/// (BM25 k1/b of the similarity, which fields use the whitespace + placeholder-stop analyzer, strict mappings,
/// aliases) and executes the query DSL subset the engine sends (bool with minimum_should_match, term, terms,
/// match_phrase with slop, fuzzy with its rewrite, match_all, match_none, function_score with filter/weight,
/// score_mode sum, boost_mode multiply) with Elasticsearch's semantics (no coordination factor).
/// It is Lucene 4.8, not Elasticsearch's Lucene: BM25 details (the (k1+1) factor, norm encoding) differ from a real
/// cluster, so it proves the request/response plumbing and that the query and documents reproduce the embedded
/// engine's ranking, not a real cluster's exact scores.
/// </summary>
internal sealed class FakeElasticsearch : HttpMessageHandler
{
    private const string SourceField = "_source";
    private const string IdField = "_id";
    private static readonly Sort ScoreThenId = new(SortField.FIELD_SCORE, new SortField("id", SortFieldType.STRING));

    private readonly object _gate = new();
    private readonly Dictionary<string, FakeIndex> _indices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);

    public List<string> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (body, _) = await FakeHandler.ReadBodyAsync(request, cancellationToken);
        var uri = request.RequestUri!;
        var segments = uri.AbsolutePath.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty);
        lock (_gate)
        {
            Requests.Add($"{request.Method} {uri.AbsolutePath}");
            var accept = request.Headers.Accept.ToString();
            // Elasticsearch 9 serves its own version and REST compatibility with 8; an 8.x node refuses "compatible-with=9".
            var (status, json) = !accept.Contains("compatible-with=", StringComparison.Ordinal)
                || accept.Contains("compatible-with=9", StringComparison.Ordinal) || accept.Contains("compatible-with=8", StringComparison.Ordinal)
                ? Route(request.Method.Method, segments, query, body)
                : (400, $$$"""{"error":{"root_cause":[{"type":"media_type_header_exception","reason":"Invalid media-type value on headers [Accept]"}],"type":"media_type_header_exception","reason":"Invalid media-type value on headers [Accept]","caused_by":{"type":"status_exception","reason":"Accept version must be either version 9 or 8, but found {{{accept}}}."}},"status":400}""");
            return FakeHandler.Answer(request, FakeHandler.Json(status, request.Method == HttpMethod.Head ? string.Empty : json));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var index in _indices.Values)
            {
                index.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private (int Status, string Json) Route(string method, string[] s, Dictionary<string, string> query, string body)
    {
        switch (method, s.Length)
        {
            case ("GET", 3) when s[0] == "_cluster" && s[1] == "health":
                return Resolve(s[2]) is null ? IndexNotFound(s[2]) : (200, """{"cluster_name":"fake","status":"green","timed_out":false,"number_of_nodes":1}""");
            case ("POST", 1) when s[0] == "_aliases":
                return AddAliases(body);
            case ("HEAD", 1):
                return (Resolve(s[0]) is null ? 404 : 200, string.Empty);
            case ("PUT", 1):
                return CreateIndex(s[0], body);
            case ("DELETE", 1):
                return DeleteIndex(s[0]);
        }

        var index = Resolve(s[0]);
        if (index is null)
        {
            return IndexNotFound(s[0]);
        }

        return (method, s.Length > 1 ? s[1] : string.Empty) switch
        {
            ("POST", "_bulk") => index.Bulk(body, query.GetValueOrDefault("refresh") is "wait_for" or "true"),
            ("GET", "_doc") => index.Get(s[2], query.GetValueOrDefault("_source_includes")),
            ("DELETE", "_doc") => index.Delete(s[2]),
            ("POST", "_refresh") => index.RefreshAll(),
            ("GET" or "POST", "_count") => (200, new JsonObject { ["count"] = index.Count, ["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["failed"] = 0 } }.ToJsonString()),
            ("POST", "_search") => index.Search(body),
            ("GET", "_mapping") => (200, new JsonObject { [index.Name] = new JsonObject { ["mappings"] = new JsonObject { ["_meta"] = index.Meta?.DeepClone(), ["properties"] = new JsonObject(index.Fields.Select(f => KeyValuePair.Create(f, (JsonNode?)index.Property(f)))) } } }.ToJsonString()),
            ("GET", "_settings") => (200, new JsonObject { [index.Name] = new JsonObject { ["settings"] = new JsonObject { ["index"] = new JsonObject { ["uuid"] = index.Uuid } } } }.ToJsonString()),
            _ => (400, $$"""{"error":{"type":"illegal_argument_exception","reason":"unsupported by the fake: {{method}} /{{string.Join('/', s)}}"},"status":400}"""),
        };
    }

    private FakeIndex? Resolve(string name) =>
        _indices.GetValueOrDefault(_aliases.GetValueOrDefault(name) ?? name);

    private static (int, string) IndexNotFound(string name) => (404, $$"""
        {"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [{{name}}]","index":"{{name}}"}],"type":"index_not_found_exception","reason":"no such index [{{name}}]","index":"{{name}}"},"status":404}
        """);

    private (int, string) CreateIndex(string name, string body)
    {
        if (_indices.ContainsKey(name) || _aliases.ContainsKey(name))
        {
            return (400, $$$"""{"error":{"root_cause":[{"type":"resource_already_exists_exception","reason":"index [{{name}}/x] already exists"}],"type":"resource_already_exists_exception","reason":"index [{{name}}/x] already exists"},"status":400}""");
        }

        var definition = JsonNode.Parse(body)!.AsObject();
        var settings = definition["settings"]?["index"] ?? definition["settings"];
        var bm25 = settings?["similarity"]?["textsearch_bm25"];
        var properties = definition["mappings"]!["properties"]!.AsObject();
        var termFields = properties.Where(p => p.Value?["analyzer"]?.GetValue<string>() is ElasticsearchAnalysis.TermsAnalyzer or ElasticsearchAnalysis.KeysAnalyzer).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var keysFields = properties.Where(p => p.Value?["analyzer"]?.GetValue<string>() == ElasticsearchAnalysis.KeysAnalyzer).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var field in keysFields)
        {
            // What the engine maps: indexed with the keys analyzer, searched with the terms analyzer.
            Assert.Equal(ElasticsearchAnalysis.TermsAnalyzer, properties[field]!["search_analyzer"]?.GetValue<string>());
        }
        var withoutPositions = properties.Where(p => p.Value?["index_options"]?.GetValue<string>() is "docs" or "freqs").Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var keywordFields = properties.Where(p => p.Key != "id" && p.Value?["type"]?.GetValue<string>() == "keyword").Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var excluded = Strings(definition["mappings"]?["_source"]?["excludes"]).ToHashSet(StringComparer.Ordinal);
        _indices[name] = new FakeIndex(
            name,
            (float?)bm25?["k1"]?.GetValue<double>() ?? 1.2f,
            (float?)bm25?["b"]?.GetValue<double>() ?? 0.75f,
            [.. properties.Select(p => p.Key)],
            termFields,
            withoutPositions,
            keywordFields,
            excluded,
            keysFields.Count == 0 ? null : (keysFields, new KeysAnalyzer(settings!["analysis"]!.AsObject())))
        {
            Meta = definition["mappings"]?["_meta"]?.DeepClone(),
            Analyzers = properties.Where(p => p.Value?["analyzer"] is not null).ToDictionary(p => p.Key, p => p.Value!["analyzer"]!.GetValue<string>(), StringComparer.Ordinal),
        };
        foreach (var alias in definition["aliases"]?.AsObject() ?? [])
        {
            _aliases[alias.Key] = name;
        }

        return (200, $$"""{"acknowledged":true,"shards_acknowledged":true,"index":"{{name}}"}""");
    }

    private (int, string) AddAliases(string body)
    {
        foreach (var action in Items(JsonNode.Parse(body)!["actions"]))
        {
            var add = action["add"]!;
            var index = add["index"]!.GetValue<string>();
            if (!_indices.ContainsKey(index))
            {
                return IndexNotFound(index);
            }

            _aliases[add["alias"]!.GetValue<string>()] = index;
        }

        return (200, """{"acknowledged":true}""");
    }

    private (int, string) DeleteIndex(string name)
    {
        if (!_indices.Remove(name, out var index))
        {
            return IndexNotFound(name);
        }

        index.Dispose();
        foreach (var alias in _aliases.Where(a => a.Value == name).Select(a => a.Key).ToList())
        {
            _aliases.Remove(alias);
        }

        return (200, """{"acknowledged":true}""");
    }

    private sealed class FakeIndex : IDisposable
    {
        /// <summary>A text field mapped with <c>index_options: freqs</c>: documents, frequencies and norms, no positions.</summary>
        private static readonly FieldType FrequenciesOnly = new(TextField.TYPE_NOT_STORED) { IndexOptions = IndexOptions.DOCS_AND_FREQS };

        private readonly string _name;
        private readonly HashSet<string> _fields;
        private readonly HashSet<string> _termFields;
        private readonly HashSet<string> _withoutPositions;
        private readonly HashSet<string> _keywordFields;
        private readonly HashSet<string> _excluded;
        private readonly BM25Similarity _similarity;
        private readonly RAMDirectory _directory = new();
        private readonly IndexWriter _writer;
        private readonly Analyzer _analyzer = new TermsAnalyzer();
        private readonly Analyzer _indexAnalyzer;
        private readonly Analyzer? _keysAnalyzer;
        private DirectoryReader _reader;

        public FakeIndex(
            string name, float k1, float b, HashSet<string> fields, HashSet<string> termFields, HashSet<string> withoutPositions, HashSet<string> keywordFields, HashSet<string> excluded,
            (HashSet<string> Fields, Analyzer Analyzer)? keys = null)
        {
            // Fields mapped with the keys analyzer index through it; every term field is searched with the terms analyzer.
            _keysAnalyzer = keys?.Analyzer;
            _indexAnalyzer = keys is { } k
                ? new global::Lucene.Net.Analysis.Miscellaneous.PerFieldAnalyzerWrapper(_analyzer, k.Fields.ToDictionary(f => f, _ => k.Analyzer))
                : _analyzer;
            _name = name;
            _fields = fields;
            _termFields = termFields;
            _withoutPositions = withoutPositions;
            _keywordFields = keywordFields;
            _excluded = excluded;
            _similarity = new BM25Similarity(k1, b);
            _writer = new IndexWriter(_directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, _indexAnalyzer) { Similarity = _similarity });
            _writer.Commit();
            _reader = DirectoryReader.Open(_directory);
        }

        public int Count => _reader.NumDocs;

        /// <summary>The mapping's <c>_meta</c>, as created (answered back by GET _mapping).</summary>
        public JsonNode? Meta { get; init; }

        /// <summary>Every field of the mapping.</summary>
        public IReadOnlyCollection<string> Fields => _fields;

        /// <summary>The fields analyzed by the terms analyzer.</summary>
        public IReadOnlyCollection<string> TermFields => _termFields;

        /// <summary>The term fields mapped with <c>index_options</c> docs or freqs: no positions, so no phrase matches on them.</summary>
        public IReadOnlyCollection<string> WithoutPositions => _withoutPositions;

        /// <summary>The analyzer each field was mapped with (answered back by GET _mapping).</summary>
        public IReadOnlyDictionary<string, string> Analyzers { get; init; } = new Dictionary<string, string>();

        /// <summary>A field's mapping as GET _mapping answers it: its type, its analyzer, and its index options when not the default.</summary>
        public JsonObject Property(string field)
        {
            var property = new JsonObject { ["type"] = _termFields.Contains(field) ? "text" : "keyword" };
            if (Analyzers.TryGetValue(field, out var analyzer))
            {
                property["analyzer"] = analyzer;
            }

            if (_withoutPositions.Contains(field))
            {
                property["index_options"] = "freqs";
            }

            return property;
        }

        public string Name => _name;

        public string Uuid { get; } = Guid.NewGuid().ToString("N");

        public void Dispose()
        {
            _reader.Dispose();
            _writer.Dispose();
            _directory.Dispose();
            if (_indexAnalyzer != _analyzer)
            {
                _indexAnalyzer.Dispose();
                _keysAnalyzer?.Dispose();
            }

            _analyzer.Dispose();
        }

        public (int, string) Bulk(string ndjson, bool refresh)
        {
            var lines = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var items = new JsonArray();
            var errors = false;
            for (var i = 0; i + 1 < lines.Length; i += 2)
            {
                var id = JsonNode.Parse(lines[i])!["index"]!["_id"]!.GetValue<string>();
                var source = JsonNode.Parse(lines[i + 1])!.AsObject();
                var error = Validate(id, source);
                if (error is not null)
                {
                    errors = true;
                    items.Add(new JsonObject { ["index"] = new JsonObject { ["_index"] = _name, ["_id"] = id, ["status"] = 400, ["error"] = error } });
                    continue;
                }

                bool existed;
                using (var live = DirectoryReader.Open(_writer, applyAllDeletes: true))
                {
                    existed = Find(live, id) >= 0;
                }

                _writer.UpdateDocument(new Term(IdField, id), ToLucene(id, source));
                items.Add(new JsonObject
                {
                    ["index"] = new JsonObject
                    {
                        ["_index"] = _name,
                        ["_id"] = id,
                        ["result"] = existed ? "updated" : "created",
                        ["status"] = existed ? 200 : 201,
                    },
                });
            }

            if (refresh)
            {
                Refresh();
            }

            return (200, new JsonObject { ["took"] = 1, ["errors"] = errors, ["items"] = items }.ToJsonString());
        }

        public (int, string) Get(string id, string? includes)
        {
            // A get is real time in Elasticsearch: it sees what is indexed, refreshed for search or not.
            using var live = DirectoryReader.Open(_writer, applyAllDeletes: true);
            var doc = Find(live, id);
            if (doc < 0)
            {
                return (404, new JsonObject { ["_index"] = _name, ["_id"] = id, ["found"] = false }.ToJsonString());
            }

            return (200, new JsonObject
            {
                ["_index"] = _name,
                ["_id"] = id,
                ["found"] = true,
                ["_source"] = Source(live, doc, includes?.Split(',')),
            }.ToJsonString());
        }

        public (int, string) RefreshAll()
        {
            Refresh();
            return (200, """{"_shards":{"total":1,"successful":1,"failed":0}}""");
        }

        public (int, string) Delete(string id)
        {
            bool found;
            using (var live = DirectoryReader.Open(_writer, applyAllDeletes: true))
            {
                found = Find(live, id) >= 0;
            }

            _writer.DeleteDocuments(new Term(IdField, id));
            Refresh();
            return (found ? 200 : 404, new JsonObject { ["_index"] = _name, ["_id"] = id, ["result"] = found ? "deleted" : "not_found" }.ToJsonString());
        }

        public (int, string) Search(string body)
        {
            using var request = JsonDocument.Parse(body);
            var root = request.RootElement;
            var size = root.GetProperty("size").GetInt32();
            var query = root.TryGetProperty("query", out var q) ? Translate(q) : new MatchAllDocsQuery();
            var includes = root.TryGetProperty("_source", out var src) ? SourceIncludes(src) : null;
            var withSource = src.ValueKind != JsonValueKind.False;

            // The sort the engine sends: _score then id, or published_at (missing _last) then _score then id.
            var (sort, dateOrder) = ScoreThenId is var byScore && root.TryGetProperty("sort", out var sortSpec)
                && sortSpec.EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } firstSort && firstSort.TryGetProperty("published_at", out var dateSort)
                ? (ByDate(dateSort.GetProperty("order").GetString() == "desc", dateSort.GetProperty("missing").GetString()!), dateSort.GetProperty("order").GetString())
                : (byScore, null);
            FieldDoc? after = null;
            if (root.TryGetProperty("search_after", out var sa))
            {
                if (dateOrder is null)
                {
                    var score = (float)sa[0].GetDouble();
                    after = new FieldDoc(int.MaxValue, score, [J2N.Numerics.Single.GetInstance(score), new BytesRef(sa[1].GetString()!)]);
                }
                else
                {
                    var score = (float)sa[1].GetDouble();
                    after = new FieldDoc(int.MaxValue, score, [J2N.Numerics.Int64.GetInstance(sa[0].GetInt64()), J2N.Numerics.Single.GetInstance(score), new BytesRef(sa[2].GetString()!)]);
                }
            }

            var searcher = new IndexSearcher(_reader) { Similarity = _similarity };
            var hits = new JsonArray();
            var total = 0;
            if (size > 0)
            {
                var top = searcher.SearchAfter(after, query, null, size, sort, doDocScores: true, doMaxScore: false);
                total = top.TotalHits;
                foreach (var sd in top.ScoreDocs)
                {
                    var id = searcher.Doc(sd.Doc).Get(IdField);
                    var fields = ((FieldDoc)sd).Fields;
                    var hit = new JsonObject
                    {
                        ["_index"] = _name,
                        ["_id"] = id,
                        ["_score"] = sd.Score,
                        ["sort"] = dateOrder is null
                            ? new JsonArray(sd.Score, searcher.Doc(sd.Doc).Get("id"))
                            : new JsonArray((long)(J2N.Numerics.Int64)fields[0], sd.Score, searcher.Doc(sd.Doc).Get("id")),
                    };
                    if (withSource)
                    {
                        // _source: false leaves it out of every hit.
                        hit["_source"] = Source(_reader, sd.Doc, includes);
                    }

                    hits.Add(hit);
                }
            }

            var answer = new JsonObject
            {
                ["took"] = 1,
                ["timed_out"] = false,
                ["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["skipped"] = 0, ["failed"] = 0 },
            };
            var aggregations = root.TryGetProperty("aggregations", out var aggs) || root.TryGetProperty("aggs", out aggs) ? aggs : (JsonElement?)null;
            if (aggregations is { } requested)
            {
                var matches = Matches(searcher, query);
                total = matches.Count;
                answer["aggregations"] = Aggregate(searcher, matches, requested);
            }

            answer["hits"] = new JsonObject
            {
                ["total"] = new JsonObject { ["value"] = total, ["relation"] = "eq" },
                ["max_score"] = null,
                ["hits"] = hits,
            };
            return (200, answer.ToJsonString());
        }

        private const string DateField = "published_at";

        private static Sort ByDate(bool descending, string missing)
        {
            Assert.Equal("_last", missing);
            var date = new SortField(DateField, SortFieldType.INT64, descending);
            date.SetMissingValue(J2N.Numerics.Int64.GetInstance(descending ? long.MinValue : long.MaxValue));
            return new Sort(date, SortField.FIELD_SCORE, new SortField("id", SortFieldType.STRING));
        }

        /// <summary>Every document the query matches.</summary>
        private static List<int> Matches(IndexSearcher searcher, LuceneQuery query)
        {
            var collector = new AllDocs();
            searcher.Search(query, collector);
            return collector.Docs;
        }

        /// <summary>The aggregations the engine sends (terms, date_histogram by month, anonymous filters), with typed keys.</summary>
        private JsonObject Aggregate(IndexSearcher searcher, List<int> matches, JsonElement requested)
        {
            var result = new JsonObject();
            foreach (var aggregation in requested.EnumerateObject())
            {
                var (kind, spec) = Single(aggregation.Value);
                switch (kind)
                {
                    case "terms":
                        {
                            var field = spec.GetProperty("field").GetString()!;
                            var include = spec.TryGetProperty("include", out var inc) ? new System.Text.RegularExpressions.Regex("^(?:" + inc.GetString() + ")$") : null;
                            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
                            foreach (var doc in matches)
                            {
                                foreach (var value in searcher.Doc(doc).GetValues(field).Distinct(StringComparer.Ordinal))
                                {
                                    if (include is null || include.IsMatch(value))
                                    {
                                        counts[value] = counts.GetValueOrDefault(value) + 1;
                                    }
                                }
                            }

                            AssertCountThenKey(spec.GetProperty("order"));
                            var size = spec.GetProperty("size").GetInt32();
                            var top = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
                            result[$"sterms#{aggregation.Name}"] = new JsonObject
                            {
                                ["doc_count_error_upper_bound"] = 0,
                                ["sum_other_doc_count"] = top.Skip(size).Sum(c => c.Value),
                                ["buckets"] = new JsonArray([.. top.Take(size).Select(c => (JsonNode)new JsonObject { ["key"] = c.Key, ["doc_count"] = c.Value })]),
                            };
                            break;
                        }

                    case "date_histogram":
                        {
                            Assert.Equal(DateField, spec.GetProperty("field").GetString());
                            Assert.Equal("month", spec.GetProperty("calendar_interval").GetString());
                            Assert.Equal("yyyy-MM", spec.GetProperty("format").GetString());
                            Assert.Equal(1, spec.GetProperty("min_doc_count").GetInt32());
                            Assert.Equal("UTC", spec.GetProperty("time_zone").GetString());
                            var counts = new SortedDictionary<long, long>();
                            foreach (var doc in matches)
                            {
                                if (searcher.Doc(doc).GetField(DateField)?.GetInt64Value() is { } millis)
                                {
                                    var month = DocumentKeys.MonthStart(millis);
                                    counts[month] = counts.GetValueOrDefault(month) + 1;
                                }
                            }

                            result[$"date_histogram#{aggregation.Name}"] = new JsonObject
                            {
                                ["buckets"] = new JsonArray([.. counts.Select(c => (JsonNode)new JsonObject
                                {
                                    ["key_as_string"] = DocumentKeys.Month(c.Key),
                                    ["key"] = c.Key,
                                    ["doc_count"] = c.Value,
                                })]),
                            };
                            break;
                        }

                    case "filters":
                        {
                            var set = matches.ToHashSet();
                            var buckets = new JsonArray();
                            foreach (var filter in spec.GetProperty("filters").EnumerateArray())
                            {
                                buckets.Add(new JsonObject { ["doc_count"] = Matches(searcher, Translate(filter)).Count(set.Contains) });
                            }

                            result[$"filters#{aggregation.Name}"] = new JsonObject { ["buckets"] = buckets };
                            break;
                        }

                    default:
                        throw new NotSupportedException($"aggregation {kind} is not supported by the fake");
                }
            }

            return result;
        }

        private static void AssertCountThenKey(JsonElement order)
        {
            var keys = order.EnumerateArray().Select(o => Single(o)).Select(o => $"{o.Name}:{o.Value.GetString()}").ToList();
            Assert.Equal(["_count:desc", "_key:asc"], keys);
        }

        private sealed class AllDocs : ICollector
        {
            private int _base;

            public List<int> Docs { get; } = [];

            public bool AcceptsDocsOutOfOrder => true;

            public void SetScorer(Scorer scorer)
            {
            }

            public void SetNextReader(AtomicReaderContext context) => _base = context.DocBase;

            public void Collect(int doc) => Docs.Add(_base + doc);
        }

        // Strict mappings, a date that parses, and Elasticsearch's 512-byte limit on _id.
        private JsonObject? Validate(string id, JsonObject source)
        {
            if (Encoding.UTF8.GetByteCount(id) > 512)
            {
                return Error("illegal_argument_exception", $"id [{id[..10]}...] is too long, must be no longer than 512 bytes but was: {Encoding.UTF8.GetByteCount(id)}");
            }

            if (source.Select(p => p.Key).FirstOrDefault(k => !_fields.Contains(k)) is { } unknown)
            {
                return Error("strict_dynamic_mapping_exception", $"[1:2] mapping set to strict, dynamic introduction of [{unknown}] within [_doc] is not allowed");
            }

            if (source["published_at"] is { } date && !DateTimeOffset.TryParse(date.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                return Error("document_parsing_exception", $"[1:2] failed to parse field [published_at] of type [date] in document with id '{id}'.");
            }

            return null;

            static JsonObject Error(string type, string reason) => new() { ["type"] = type, ["reason"] = reason };
        }

        private LuceneDocument ToLucene(string id, JsonObject source)
        {
            var doc = new LuceneDocument { new StringField(IdField, id, Field.Store.YES) };
            var ourId = source["id"]?.GetValue<string>() ?? id;
            doc.Add(new StringField("id", ourId, Field.Store.YES));
            doc.Add(new SortedDocValuesField("id", new BytesRef(ourId)));
            foreach (var field in _termFields)
            {
                if (source[field] is { } value)
                {
                    doc.Add(_withoutPositions.Contains(field)
                        ? new Field(field, value.GetValue<string>(), FrequenciesOnly)
                        : new TextField(field, value.GetValue<string>(), Field.Store.NO));
                }
            }

            foreach (var field in _keywordFields)
            {
                foreach (var value in Items(source[field]))
                {
                    // Indexed for term, terms and prefix queries; stored (apart from _source) for the aggregations.
                    doc.Add(new StringField(field, value.GetValue<string>(), Field.Store.YES));
                }
            }

            if (source["published_at"] is { } date)
            {
                var millis = DateTimeOffset.Parse(date.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
                doc.Add(new Int64Field(DateField, millis, Field.Store.YES));
                doc.Add(new NumericDocValuesField(DateField, millis));
            }

            var stored = new JsonObject();
            foreach (var (key, value) in source)
            {
                if (!_excluded.Contains(key))
                {
                    stored[key] = value?.DeepClone();
                }
            }

            doc.Add(new StoredField(SourceField, stored.ToJsonString()));
            return doc;
        }

        private static JsonObject Source(IndexReader reader, int doc, string[]? includes)
        {
            var source = JsonNode.Parse(reader.Document(doc).Get(SourceField))!.AsObject();
            if (includes is not null)
            {
                foreach (var key in source.Select(p => p.Key).Where(k => !includes.Contains(k)).ToList())
                {
                    source.Remove(key);
                }
            }

            return source;
        }

        private static int Find(IndexReader reader, string id)
        {
            var top = new IndexSearcher(reader).Search(new TermQuery(new Term(IdField, id)), 1);
            return top.TotalHits > 0 ? top.ScoreDocs[0].Doc : -1;
        }

        private void Refresh()
        {
            _writer.Commit();
            var fresh = DirectoryReader.OpenIfChanged(_reader, _writer, applyAllDeletes: true);
            if (fresh is not null)
            {
                _reader.Dispose();
                _reader = fresh;
            }
        }

        // ---- The query DSL subset, with Elasticsearch's semantics -------------------------------------------

        private LuceneQuery Translate(JsonElement element)
        {
            var (kind, body) = Single(element);
            switch (kind)
            {
                case "match_all":
                    return new MatchAllDocsQuery();
                case "match_none":
                    return new BooleanQuery();
                case "bool":
                    return Bool(body);
                case "term":
                    {
                        var (field, spec) = Single(body);
                        var value = spec.ValueKind == JsonValueKind.Object ? spec.GetProperty("value").GetString()! : spec.GetString()!;
                        return Boosted(new TermQuery(new Term(field, value)), spec);
                    }

                case "terms":
                    {
                        // Any of the values (a keyword field), by constant score as Elasticsearch scores it.
                        var (field, values) = Single(body);
                        var any = new BooleanQuery(disableCoord: true);
                        foreach (var value in values.EnumerateArray())
                        {
                            any.Add(new TermQuery(new Term(field, value.GetString()!)), Occur.SHOULD);
                        }

                        return new ConstantScoreQuery(any);
                    }

                case "range":
                    {
                        // A date range in ISO 8601, [gte, lt), as the engine's filter sends it.
                        var (field, spec) = Single(body);
                        Assert.Equal(DateField, field);
                        Assert.Equal("strict_date_optional_time", spec.GetProperty("format").GetString());
                        long? Bound(string name) => spec.TryGetProperty(name, out var v)
                            ? DateTimeOffset.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds()
                            : null;
                        Assert.False(spec.TryGetProperty("gt", out _) || spec.TryGetProperty("lte", out _));
                        return NumericRangeQuery.NewInt64Range(DateField, Bound("gte"), Bound("lt"), minInclusive: true, maxInclusive: false);
                    }

                case "prefix":
                    {
                        var (field, spec) = Single(body);
                        var value = spec.ValueKind == JsonValueKind.Object ? spec.GetProperty("value").GetString()! : spec.GetString()!;
                        return new ConstantScoreQuery(new PrefixQuery(new Term(field, value)));
                    }

                case "match_phrase":
                    {
                        var (field, spec) = Single(body);
                        var text = spec.ValueKind == JsonValueKind.Object ? spec.GetProperty("query").GetString()! : spec.GetString()!;
                        var tokens = Analyze(field, text);
                        if (tokens.Count == 1)
                        {
                            return Boosted(new TermQuery(new Term(field, tokens[0].Term)), spec);
                        }

                        // Elasticsearch refuses it: "field:[...] was indexed without position data; cannot run PhraseQuery".
                        Assert.False(_withoutPositions.Contains(field), $"match_phrase on [{field}], which is mapped without positions");
                        var phrase = new PhraseQuery { Slop = spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("slop", out var slop) ? slop.GetInt32() : 0 };
                        foreach (var (term, position) in tokens)
                        {
                            phrase.Add(new Term(field, term), position);
                        }

                        return Boosted(phrase, spec);
                    }

                case "fuzzy":
                    {
                        var (field, spec) = Single(body);
                        var fuzzy = new FuzzyQuery(
                            new Term(field, spec.GetProperty("value").GetString()!),
                            spec.GetProperty("fuzziness") is { ValueKind: JsonValueKind.Number } f ? f.GetInt32() : int.Parse(spec.GetProperty("fuzziness").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                            spec.GetProperty("prefix_length").GetInt32(),
                            spec.GetProperty("max_expansions").GetInt32(),
                            spec.GetProperty("transpositions").GetBoolean());
                        var rewrite = spec.GetProperty("rewrite").GetString()!;
                        fuzzy.MultiTermRewriteMethod = rewrite.StartsWith("top_terms_", StringComparison.Ordinal)
                            ? new MultiTermQuery.TopTermsScoringBooleanQueryRewrite(int.Parse(rewrite["top_terms_".Length..], System.Globalization.CultureInfo.InvariantCulture))
                            : rewrite == "constant_score"
                                ? MultiTermQuery.CONSTANT_SCORE_FILTER_REWRITE
                                : throw new NotSupportedException($"rewrite {rewrite}");
                        return Boosted(fuzzy, spec);
                    }

                case "function_score":
                    {
                        Assert.Equal("sum", body.GetProperty("score_mode").GetString());
                        Assert.Equal("multiply", body.GetProperty("boost_mode").GetString());
                        var weights = new BooleanQuery(disableCoord: true);
                        var functions = body.GetProperty("functions");
                        foreach (var function in functions.ValueKind == JsonValueKind.Array ? functions.EnumerateArray().ToList() : [functions])
                        {
                            weights.Add(
                                new ConstantScoreQuery(Translate(function.GetProperty("filter"))) { Boost = function.GetProperty("weight").GetSingle() },
                                Occur.SHOULD);
                        }

                        return new CustomScoreQuery(Translate(body.GetProperty("query")), new FunctionQuery(new QueryValueSource(weights, 0f)));
                    }

                default:
                    throw new NotSupportedException($"query {kind} is not supported by the fake");
            }
        }

        private BooleanQuery Bool(JsonElement body)
        {
            var query = new BooleanQuery(disableCoord: true);
            var positive = false;
            foreach (var (name, occur) in new[] { ("must", Occur.MUST), ("filter", Occur.MUST), ("should", Occur.SHOULD), ("must_not", Occur.MUST_NOT) })
            {
                if (!body.TryGetProperty(name, out var clauses))
                {
                    continue;
                }

                foreach (var clause in clauses.ValueKind == JsonValueKind.Array ? clauses.EnumerateArray().ToList() : [clauses])
                {
                    var q = Translate(clause);
                    if (name == "filter")
                    {
                        q = new ConstantScoreQuery(q) { Boost = 0f };
                    }

                    query.Add(q, occur);
                    positive |= occur != Occur.MUST_NOT;
                }
            }

            if (body.TryGetProperty("minimum_should_match", out var msm))
            {
                query.MinimumNumberShouldMatch = msm.ValueKind == JsonValueKind.Number ? msm.GetInt32() : int.Parse(msm.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (!positive)
            {
                // Elasticsearch: a bool of only must_not matches everything else.
                query.Add(new MatchAllDocsQuery(), Occur.MUST);
            }

            if (body.TryGetProperty("boost", out var boost))
            {
                query.Boost = boost.GetSingle();
            }

            return query;
        }

        private List<(string Term, int Position)> Analyze(string field, string text) => TokenStreams.Read(_analyzer, field, text);

        private static LuceneQuery Boosted(LuceneQuery query, JsonElement spec)
        {
            if (spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("boost", out var boost))
            {
                query.Boost = boost.GetSingle();
            }

            return query;
        }

        private static (string Name, JsonElement Value) Single(JsonElement element)
        {
            var properties = element.EnumerateObject().ToList();
            Assert.Single(properties);
            return (properties[0].Name, properties[0].Value);
        }
    }

    // Elasticsearch reads a one-element array and its element alike.
    private static IEnumerable<JsonNode> Items(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.Select(n => n!),
        _ => [node],
    };

    private static IEnumerable<string> Strings(JsonNode? node) => Items(node).Select(n => n.GetValue<string>());

    // _source: false, a field, a list of fields, or {"includes": …}.
    private static string[] SourceIncludes(JsonElement source) => source.ValueKind switch
    {
        JsonValueKind.String => [source.GetString()!],
        JsonValueKind.Array => [.. source.EnumerateArray().Select(e => e.GetString()!)],
        JsonValueKind.Object when source.TryGetProperty("includes", out var includes) => SourceIncludes(includes),
        _ => [],
    };
}
