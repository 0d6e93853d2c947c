using System.Diagnostics.CodeAnalysis;

namespace TextSearch.Search;

/// <summary>What went wrong, in terms a transport maps to its own status codes.</summary>
public enum ErrorKind
{
    InvalidArgument,
    NotFound,
    ResourceExhausted,
    Unavailable,
    DeadlineExceeded,
    FailedPrecondition,

    /// <summary>Stored data is damaged (an index whose files fail their checks); only the operator can repair it.</summary>
    DataLoss,
}

/// <summary>An expected failure with a message fit for the caller.</summary>
public sealed class TextSearchException(ErrorKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;

    /// <summary>
    /// The request parameter the error is about, when there is one: its <see cref="Parameter.Path"/> in the domain
    /// (<c>PageSize</c>, <c>Document.PublishedAt</c>), or a transport's own field name for errors the transport raises.
    /// Never text the caller sent, so it is safe to log.
    /// </summary>
    public string? Field { get; init; }
}

/// <summary>
/// The index cannot be opened: damaged files, a missing commit point, a lock held by another process. The message is
/// one line that names the path and says what to do; the server prints it and exits instead of starting.
/// </summary>
public sealed class IndexUnusableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Throw helpers (kept out of hot paths' inlined code).</summary>
public static class Throw
{
    /// <summary>INVALID_ARGUMENT about one request parameter.</summary>
    [DoesNotReturn]
    public static void Invalid(Parameter parameter, string message) => InvalidField(parameter.Path, message);

    /// <summary>INVALID_ARGUMENT about one request parameter.</summary>
    [DoesNotReturn]
    public static T Invalid<T>(Parameter parameter, string message) => InvalidField<T>(parameter.Path, message);

    /// <summary>INVALID_ARGUMENT about one field, by the name its transport gives it (for errors a transport raises).</summary>
    [DoesNotReturn]
    public static void InvalidField(string field, string message) =>
        throw new TextSearchException(ErrorKind.InvalidArgument, message) { Field = field };

    /// <summary>INVALID_ARGUMENT about one field, by the name its transport gives it (for errors a transport raises).</summary>
    [DoesNotReturn]
    public static T InvalidField<T>(string field, string message) =>
        throw new TextSearchException(ErrorKind.InvalidArgument, message) { Field = field };

    [DoesNotReturn]
    public static void NotFound(string message) => throw new TextSearchException(ErrorKind.NotFound, message);

    [DoesNotReturn]
    public static void Unavailable(string message, Exception? inner = null) =>
        throw new TextSearchException(ErrorKind.Unavailable, message, inner);
}
