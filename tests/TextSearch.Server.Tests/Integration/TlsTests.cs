using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration;

/// <summary>TextSearch:Tls: a self-signed certificate made here, served over HTTP/2 with TLS, pinned by the client.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "textsearch-tests", "tls-" + Guid.NewGuid().ToString("N"));
    private readonly X509Certificate2 _certificate;

    public TlsTests()
    {
        Directory.CreateDirectory(_folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertPath, _certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(PfxPath, _certificate.Export(X509ContentType.Pkcs12, "pfx-secret"));
    }

    private string CertPath => Path.Combine(_folder, "server.crt");

    private string KeyPath => Path.Combine(_folder, "server.key");

    private string PfxPath => Path.Combine(_folder, "server.pfx");

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Pem_certificate_serves_grpc_over_tls_to_a_pinning_client()
    {
        await using var server = await ConfiguredServer.StartAsync(
            ["--TextSearch:Tls:CertificatePath", CertPath, "--TextSearch:Tls:KeyPath", KeyPath], scheme: "https");
        Assert.Equal("https", server.Address.Scheme);
        await AssertPinnedCallWorksAsync(server);
    }

    [Fact]
    public async Task Https_http_side_serves_json_over_http11_and_http2()
    {
        await using var server = await ConfiguredServer.StartAsync(
            ["--TextSearch:Tls:CertificatePath", CertPath, "--TextSearch:Tls:KeyPath", KeyPath], scheme: "https");
        Assert.Equal("https", server.HttpAddress!.Scheme);
        var thumbprint = _certificate.Thumbprint;
        foreach (var version in new[] { System.Net.HttpVersion.Version11, System.Net.HttpVersion.Version20 })
        {
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == thumbprint };
            using var http = new HttpClient(handler) { DefaultRequestVersion = version, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await http.PostAsync(new Uri(server.HttpAddress, "v1/normalize"), new StringContent("{\"text\": \"أحمد\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(version, response.Version);
            Assert.Contains("احمد", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_https_address_without_a_certificate_is_a_clear_start_up_error()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => ConfiguredServer.StartAsync([], scheme: "https"));
        Assert.Contains("TextSearch:Tls", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pfx_certificate_serves_grpc_over_tls()
    {
        await using var server = await ConfiguredServer.StartAsync(
            ["--TextSearch:Tls:PfxPath", PfxPath, "--TextSearch:Tls:PfxPassword", "pfx-secret"], scheme: "https");
        await AssertPinnedCallWorksAsync(server);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_is_refused()
    {
        await using var server = await ConfiguredServer.StartAsync(
            ["--TextSearch:Tls:CertificatePath", CertPath, "--TextSearch:Tls:KeyPath", KeyPath], scheme: "https");
        using var channel = GrpcChannel.ForAddress(server.Address);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new NormalizationService.NormalizationServiceClient(channel).NormalizeAsync(new NormalizeRequest { Text = "مرحبا" }));
        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Contains("SSL", error.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    private async Task AssertPinnedCallWorksAsync(ConfiguredServer server)
    {
        var pinned = _certificate.RawData;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.RawData.AsSpan().SequenceEqual(pinned),
        };
        using var channel = server.Channel(new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
        var response = await new NormalizationService.NormalizationServiceClient(channel).NormalizeAsync(new NormalizeRequest { Text = "مرحبا" });
        Assert.Equal("مرحبا", response.Normalized);
    }
}
