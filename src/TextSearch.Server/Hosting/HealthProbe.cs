using Grpc.Health.V1;
using Grpc.Net.Client;

namespace TextSearch.Server.Hosting;

/// <summary>A one-shot client of grpc.health.v1, for container health checks.</summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(string address)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress(address);
            var response = await new Health.HealthClient(channel)
                .CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5)).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(response.Status.ToString()).ConfigureAwait(false);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (Exception ex) when (ex is Grpc.Core.RpcException or HttpRequestException or InvalidOperationException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"healthcheck: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
