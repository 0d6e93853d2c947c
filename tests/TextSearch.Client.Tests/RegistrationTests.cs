using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TextSearch.Client.Tests;

/// <summary>AddTextSearchClient: resolves a working client, binds configuration, validates options.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public async Task AddTextSearchClient_resolves_a_client_that_calls_the_server_with_the_key()
    {
        var search = new ScriptedSearchService { FailFirst = 1 };
        await using var server = await FakeServer.StartAsync(search);
        var services = new ServiceCollection();
        services.AddTextSearchClient(o =>
        {
            o.Address = server.Address;
            o.ApiKey = "di-key";
            o.InitialBackoff = TimeSpan.FromMilliseconds(10);
        });
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var client = provider.GetRequiredService<TextSearchClient>();
        var response = await client.SearchAsync("قسد");

        Assert.Equal("قسد", response.Hits[0].Title);
        Assert.Equal(2, search.Calls.Count); // the retry policy is on the factory's channel too
        Assert.All(search.Calls, c => Assert.Equal("Bearer di-key", c.Authorization));
    }

    [Fact]
    public async Task AddTextSearchClient_binds_a_configuration_section()
    {
        var search = new ScriptedSearchService { FailFirst = 5 };
        await using var server = await FakeServer.StartAsync(search);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TextSearch:Client:Address"] = server.Address.ToString(),
            ["TextSearch:Client:ApiKey"] = "cfg-key",
            ["TextSearch:Client:ApiKeyHeader"] = "XApiKey",
            ["TextSearch:Client:Timeout"] = "00:00:45",
            ["TextSearch:Client:MaxAttempts"] = "2",
            ["TextSearch:Client:InitialBackoff"] = "00:00:00.010",
        }).Build();
        var services = new ServiceCollection();
        services.AddTextSearchClient(configuration.GetSection("TextSearch:Client"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TextSearchClientOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(45), options.Timeout);
        var client = provider.GetRequiredService<TextSearchClient>();
        var before = DateTime.UtcNow;
        await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.SearchAsync("قسد"));

        Assert.Equal(2, search.Calls.Count); // MaxAttempts from configuration
        Assert.All(search.Calls, c => Assert.Equal("cfg-key", c.ApiKey));

        // The Timeout from configuration: 45 s after a moment of the call (between before it and now, however long it
        // took), give or take a second of the wire's rounding.
        Assert.InRange(search.Calls.First().Deadline, before.AddSeconds(44), DateTime.UtcNow.AddSeconds(46));
    }

    [Fact]
    public void Invalid_options_fail_when_the_client_is_resolved_with_every_problem_listed()
    {
        var services = new ServiceCollection();
        services.AddTextSearchClient(o =>
        {
            o.MaxAttempts = 0;
            o.ApiKey = "has space";
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TextSearchClient>());

        Assert.Contains(ex.Failures, f => f.Contains("Address is required", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("MaxAttempts", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("ApiKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_validates_too()
    {
        var ex = Assert.Throws<ArgumentException>(() => TextSearchClient.Create(new TextSearchClientOptions
        {
            Address = new Uri("ftp://example.com"),
            IndexBatchSize = 0,
        }));

        Assert.Contains("http:// or https://", ex.Message, StringComparison.Ordinal);
        Assert.Contains("IndexBatchSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_options_with_an_address_are_valid()
    {
        Assert.Empty(new TextSearchClientOptions { Address = new Uri("http://localhost:50051") }.Validate());
    }
}
