using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TextSearch.V1;

namespace TextSearch.Client.Tests;

/// <summary>
/// A gRPC service (the "frontend", here a NormalizationService) that calls TextSearch (the "backend", a scripted
/// SearchService) through the client while handling a call: the incoming deadline and cancellation reach the backend.
/// </summary>
public sealed class PropagationTests
{
    private static readonly TimeSpan ClientDefault = TimeSpan.FromSeconds(100);

    public enum Mode
    {
        /// <summary>The client as injected, nothing passed.</summary>
        Plain,

        /// <summary>The context's deadline and token passed to the call.</summary>
        Explicit,
    }

    public sealed record FrontendSettings(Mode Mode);

    /// <summary>Normalize(text) searches the backend for text and answers with the first hit's title.</summary>
    public sealed class Frontend(TextSearchClient client, FrontendSettings settings) : NormalizationService.NormalizationServiceBase
    {
        public override async Task<NormalizeResponse> Normalize(NormalizeRequest request, ServerCallContext context)
        {
            var response = settings.Mode == Mode.Explicit
                ? await client.SearchAsync(request.Text, new SearchOptions { Deadline = context.Deadline }, context.CancellationToken)
                : await client.SearchAsync(request.Text);
            return new NormalizeResponse { Normalized = response.Hits[0].Title };
        }
    }

    private static async Task<FakeServer> StartFrontendAsync(FakeServer backend, Mode mode, bool enablePropagation) =>
        await FakeServer.StartAsync(
            services =>
            {
                services.AddSingleton(new FrontendSettings(mode));
                var builder = services.AddTextSearchClient(o =>
                {
                    o.Address = backend.Address;
                    o.Timeout = ClientDefault;
                });
                if (enablePropagation)
                {
                    builder.EnableCallContextPropagation();
                }
            },
            app => app.MapGrpcService<Frontend>());

    private static async Task<DateTime> BackendDeadlineAsync(Mode mode, bool enablePropagation, TimeSpan incoming)
    {
        var backend = new ScriptedSearchService();
        await using var backendServer = await FakeServer.StartAsync(backend);
        await using var frontendServer = await StartFrontendAsync(backendServer, mode, enablePropagation);
        using var channel = GrpcChannel.ForAddress(frontendServer.Address);

        var answer = await new NormalizationService.NormalizationServiceClient(channel)
            .NormalizeAsync(new NormalizeRequest { Text = "قسد" }, deadline: DateTime.UtcNow + incoming);

        Assert.Equal("قسد", answer.Normalized);
        return Assert.Single(backend.Calls).Deadline;
    }

    /// <summary>
    /// The backend's deadline is <paramref name="timeout"/> after a moment of the call: between <paramref name="before"/>
    /// it and now, give or take the wire's rounding (grpc-timeout carries a whole number of a unit).
    /// </summary>
    private static void AssertDeadline(DateTime seen, DateTime before, TimeSpan timeout) =>
        Assert.InRange(seen, before + timeout - TimeSpan.FromSeconds(1), DateTime.UtcNow + timeout + TimeSpan.FromSeconds(1));

    [Fact]
    public async Task With_EnableCallContextPropagation_the_incoming_deadline_reaches_the_backend()
    {
        var before = DateTime.UtcNow;
        var seen = await BackendDeadlineAsync(Mode.Plain, enablePropagation: true, TimeSpan.FromSeconds(8));
        AssertDeadline(seen, before, TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task An_incoming_deadline_later_than_the_default_timeout_keeps_the_earlier_one()
    {
        var before = DateTime.UtcNow;
        var seen = await BackendDeadlineAsync(Mode.Plain, enablePropagation: true, TimeSpan.FromSeconds(300));
        AssertDeadline(seen, before, ClientDefault);
    }

    [Fact]
    public async Task Passing_the_context_deadline_explicitly_propagates_it_without_the_aspnetcore_package()
    {
        var before = DateTime.UtcNow;
        var seen = await BackendDeadlineAsync(Mode.Explicit, enablePropagation: false, TimeSpan.FromSeconds(8));
        AssertDeadline(seen, before, TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Without_either_the_backend_gets_the_client_default()
    {
        var before = DateTime.UtcNow;
        var seen = await BackendDeadlineAsync(Mode.Plain, enablePropagation: false, TimeSpan.FromSeconds(8));
        AssertDeadline(seen, before, ClientDefault);
    }

    [Fact]
    public async Task Cancelling_the_incoming_call_cancels_the_backend_call()
    {
        var backend = new ScriptedSearchService { Delay = TimeSpan.FromMinutes(1) };
        await using var backendServer = await FakeServer.StartAsync(backend);
        await using var frontendServer = await StartFrontendAsync(backendServer, Mode.Plain, enablePropagation: true);
        using var channel = GrpcChannel.ForAddress(frontendServer.Address);
        using var cts = new CancellationTokenSource();

        var call = new NormalizationService.NormalizationServiceClient(channel)
            .NormalizeAsync(new NormalizeRequest { Text = "قسد" }, cancellationToken: cts.Token);
        await backend.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        Assert.Equal(StatusCode.Cancelled, (await Assert.ThrowsAsync<RpcException>(async () => await call)).StatusCode);
        Assert.True(await backend.CancellationSeen.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
