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
}

/// <summary>An expected failure with a message fit for the caller.</summary>
public sealed class TextSearchException(ErrorKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;
}

/// <summary>Throw helpers (kept out of hot paths' inlined code).</summary>
public static class Throw
{
    [DoesNotReturn]
    public static void InvalidArgument(string message) => throw new TextSearchException(ErrorKind.InvalidArgument, message);

    [DoesNotReturn]
    public static T InvalidArgument<T>(string message) => throw new TextSearchException(ErrorKind.InvalidArgument, message);

    [DoesNotReturn]
    public static void NotFound(string message) => throw new TextSearchException(ErrorKind.NotFound, message);

    [DoesNotReturn]
    public static void Unavailable(string message, Exception? inner = null) =>
        throw new TextSearchException(ErrorKind.Unavailable, message, inner);
}
