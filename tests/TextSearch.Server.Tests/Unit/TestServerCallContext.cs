using Grpc.Core;

namespace TextSearch.Server.Tests.Unit;

/// <summary>A <see cref="ServerCallContext"/> for calling a service method directly, without a server (grpc-dotnet's Tester pattern).</summary>
internal sealed class TestServerCallContext(Metadata? requestHeaders = null, CancellationToken cancellationToken = default) : ServerCallContext
{
    private readonly Metadata _responseTrailers = [];
    private readonly Dictionary<object, object> _userState = [];

    protected override string MethodCore => "/test/Method";

    protected override string HostCore => "localhost";

    protected override string PeerCore => "ipv4:127.0.0.1:1";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore { get; } = requestHeaders ?? [];

    protected override CancellationToken CancellationTokenCore => cancellationToken;

    protected override Metadata ResponseTrailersCore => _responseTrailers;

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore => new(null, []);

    protected override IDictionary<object, object> UserStateCore => _userState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}

/// <summary>A request stream that yields the given messages.</summary>
internal sealed class TestAsyncStreamReader<T>(IEnumerable<T> messages) : IAsyncStreamReader<T>
    where T : class
{
    private readonly IEnumerator<T> _messages = messages.GetEnumerator();

    public T Current => _messages.Current;

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_messages.MoveNext());
    }
}
