using Lucene.Net.Index;
using Lucene.Net.Store;

namespace TextSearch.Search.Lucene;

/// <summary>How the embedded engine names what went wrong with its files: a full volume, a damaged index, a lock.</summary>
internal static class IndexFailures
{
    /// <summary>ENOSPC and EDQUOT (Linux, macOS); ERROR_HANDLE_DISK_FULL and ERROR_DISK_FULL (Windows).</summary>
    private static readonly int[] DiskFullCodes =
        OperatingSystem.IsWindows() ? [unchecked((int)0x80070027), unchecked((int)0x80070070)]
        : OperatingSystem.IsMacOS() ? [28, 69]
        : [28, 122];

    public const string DiskFullMessage =
        "no space left on the index volume; the write was not applied. Free space or grow the volume, then retry.";

    /// <summary>Whether the exception (or one it wraps) says the volume is full.</summary>
    public static bool IsDiskFull(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException io && DiskFullCodes.Contains(io.HResult))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the exception says stored data is damaged: Lucene's own corruption errors, a file that ends too soon,
    /// or an index, argument or varint out of range thrown by Lucene itself while it reads the index (damaged bytes
    /// decode to impossible lengths, offsets, norms and varints; a query of ours fails in our code, or as Lucene's
    /// too-many-clauses error, which is not damage). Lucene 4.8 checks checksums when a file is verified, not on every
    /// read.
    /// </summary>
    public static bool IsCorruption(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is CorruptIndexException or IndexFormatTooOldException or IndexFormatTooNewException or EndOfStreamException || ThrownWhileDecoding(e))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ThrownWhileDecoding(Exception e)
    {
        if (e is not (IndexOutOfRangeException or ArgumentException or OverflowException or InvalidOperationException or IOException)
            || e is ObjectDisposedException || IsDiskFull(e) || e.GetType().DeclaringType == typeof(global::Lucene.Net.Search.BooleanQuery))
        {
            return false;
        }

        var lucene = typeof(IndexWriter).Assembly;
        var runtime = typeof(object).Assembly;
        foreach (var frame in new System.Diagnostics.StackTrace(e, fNeedFileInfo: false).GetFrames())
        {
            var type = frame.GetMethod()?.DeclaringType;
            if (type is null || type.Assembly == runtime)
            {
                continue;
            }

            // The first frame outside the runtime decides: Lucene reading the index (decoding postings, norms, stored
            // fields), or someone else (our code).
            return type.Assembly == lucene;
        }

        return false;
    }

    /// <summary>The error a write gets when the index could not apply or commit it.</summary>
    public static TextSearchException WriteFailed(Exception cause) => IsDiskFull(cause)
        ? new TextSearchException(ErrorKind.ResourceExhausted, DiskFullMessage, cause)
        : new TextSearchException(ErrorKind.Unavailable, "the index could not apply the write; nothing of it was kept. Retry.", cause);

    /// <summary>A write that was fine but shared its commit with one that failed: the index went back to its last commit.</summary>
    public static TextSearchException RolledBack(Exception cause) => IsDiskFull(cause)
        ? new TextSearchException(ErrorKind.ResourceExhausted, DiskFullMessage, cause)
        : new TextSearchException(
            ErrorKind.Unavailable, "the index could not commit the write and went back to its last commit; nothing of it was kept. Retry.", cause);

    public static TextSearchException Damaged(string path, Exception cause) => new(
        ErrorKind.DataLoss,
        $"the index at {path} is damaged ({FirstLine(cause.Message)}); the operator must restore it from a backup or reindex.",
        cause);

    /// <summary>Why an index could not be opened, in one line that names the path and says what to do.</summary>
    public static IndexUnusableException Unusable(string path, Exception cause) => cause switch
    {
        LockObtainFailedException => new IndexUnusableException(
            $"the index at {path} is in use by another process (its write.lock is held): stop the other server, or set another TextSearch:IndexPath.", cause),
        UnauthorizedAccessException => new IndexUnusableException(
            $"the index at {path} cannot be opened: permission denied ({FirstLine(cause.Message)}). Give the server read and write access to the folder.", cause),
        _ when IsDiskFull(cause) => new IndexUnusableException(
            $"the index at {path} cannot be opened: no space left on its volume. Free space or grow the volume, then start again.", cause),
        _ => Damaged(path, FirstLine(cause.Message), cause),
    };

    public static IndexUnusableException Damaged(string path, string what, Exception? cause = null) => new(
        $"the index at {path} is damaged ({what}). Restore it from a backup, or start with a new TextSearch:IndexPath and reindex.", cause);

    public static string FirstLine(string message)
    {
        var line = message.AsSpan();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            line = line[..end];
        }

        line = line.Trim();
        return line.Length <= 300 ? line.ToString() : string.Concat(line[..300], "…");
    }
}
