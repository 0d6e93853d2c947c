using Lucene.Net.Index;
using Microsoft.Extensions.Logging;

namespace TextSearch.Search.Lucene;

/// <summary>
/// Lucene's concurrent merges, with a failed merge logged instead of rethrown: in .NET an exception on a merge thread
/// would end the process (a full volume during a merge, say). A merge that failed leaves its segments as they were,
/// and Lucene merges them again later. After each merge, <paramref name="merged"/> runs (the backend refreshes its
/// searchers, so searches use the merged segment without waiting for the next write). <see cref="Running"/> counts the
/// merges under way, for closing to know whether it waits for one; <paramref name="starting"/> is a tests-only hook.
/// </summary>
internal sealed partial class LoggingMergeScheduler(ILogger logger, Action? merged = null, Action<MergePolicy.OneMerge>? starting = null)
    : ConcurrentMergeScheduler
{
    private int _running;

    /// <summary>Merges under way on this scheduler's threads.</summary>
    public int Running => Volatile.Read(ref _running);

    protected override void DoMerge(MergePolicy.OneMerge merge)
    {
        Interlocked.Increment(ref _running);
        try
        {
            starting?.Invoke(merge);
            base.DoMerge(merge);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }

        merged?.Invoke();
    }

    protected override void HandleMergeException(Exception exc)
    {
        LogMergeFailed(logger, IndexFailures.IsDiskFull(exc) ? "no space left on the index volume" : IndexFailures.FirstLine(exc.Message), exc);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A background merge of index segments failed ({Reason}); the segments stay as they are")]
    private static partial void LogMergeFailed(ILogger logger, string reason, Exception exception);
}
