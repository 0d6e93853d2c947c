using System.Diagnostics;

namespace TextSearch.Search;

/// <summary>
/// The engine's tracing: one <see cref="ActivitySource"/> named <see cref="ActivitySourceName"/>, with a span per
/// engine operation (search and its parse/query/snippets phases, snippet, get, delete, upsert, bulk batches, flush).
/// Spans carry counts (hits, documents, failures, query terms), never query text or document content.
/// </summary>
public static class SearchTelemetry
{
    /// <summary>The name of the engine's and the server's <see cref="ActivitySource"/>.</summary>
    public const string ActivitySourceName = "TextSearch";

    public static ActivitySource Source { get; } = new(ActivitySourceName);

    /// <summary>Starts an engine span (null when nobody listens) tagged with the backend's name.</summary>
    internal static Activity? Start(string name, ISearchBackend backend)
    {
        var activity = Source.StartActivity(name);
        activity?.SetTag("textsearch.backend", backend.Name);
        return activity;
    }

    /// <summary>
    /// For an exception filter: marks the span failed with the error's kind (not its message, which may quote the
    /// input) and returns false so the exception propagates untouched.
    /// </summary>
    internal static bool Failed(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            var kind = exception is TextSearchException e ? e.Kind.ToString() : exception.GetType().Name;
            activity.SetStatus(ActivityStatusCode.Error, kind);
            activity.SetTag("error.type", kind);
        }

        return false;
    }
}
