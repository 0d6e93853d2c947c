using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TextSearch.Search.Elasticsearch.Client;

namespace TextSearch.Search.Elasticsearch.Tests;

/// <summary>Settings binding and validation, and how the cluster's certificate is trusted.</summary>
public sealed class OptionsAndTlsTests
{
    [Fact]
    public async Task Settings_bind_from_configuration_and_the_backend_is_registered()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TextSearch:Elasticsearch:Url"] = "https://es1:9200, https://es2:9200",
            ["TextSearch:Elasticsearch:Username"] = "elastic",
            ["TextSearch:Elasticsearch:Password"] = "s3cret",
            ["TextSearch:Elasticsearch:CertificateFingerprint"] = string.Join(':', Enumerable.Repeat("AB", 32)),
            ["TextSearch:Elasticsearch:Index"] = "news",
            ["TextSearch:Elasticsearch:IndexVersion"] = "3",
            ["TextSearch:Elasticsearch:Shards"] = "2",
            ["TextSearch:Elasticsearch:Replicas"] = "0",
            ["TextSearch:Elasticsearch:RequestTimeout"] = "00:00:07",
            ["TextSearch:Elasticsearch:MaxRetries"] = "5",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddElasticsearchBackend(configuration);
        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value;

        Assert.Equal([new Uri("https://es1:9200/"), new Uri("https://es2:9200/")], options.Nodes);
        Assert.Equal("news-v3", options.VersionedIndex);
        Assert.Equal(2, options.Shards);
        Assert.Equal(TimeSpan.FromSeconds(7), options.RequestTimeout);
        Assert.Equal(5, options.MaxRetries);
        Assert.Equal("elasticsearch", provider.GetRequiredService<ISearchBackend>().Name);
        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Url", "", "Url is required")]
    [InlineData("Url", "ftp://es:9200", "is not an http:// or https:// URL")]
    [InlineData("Url", "http://user:pw@es:9200", "must not carry credentials")]
    [InlineData("Index", "News", "is not a valid index name")]
    [InlineData("Index", "_hidden", "is not a valid index name")]
    [InlineData("IndexVersion", "0", "IndexVersion must be 1 or more")]
    [InlineData("Shards", "0", "Shards must be between")]
    [InlineData("Replicas", "-1", "Replicas must be between")]
    [InlineData("MaxRetries", "11", "MaxRetries must be between")]
    [InlineData("RequestTimeout", "00:00:00", "must be positive")]
    [InlineData("CertificateFingerprint", "abc", "64 hex digits")]
    [InlineData("CaCertificatePath", "/no/such/ca.crt", "does not exist")]
    [InlineData("Username", "elastic", "go together")]
    public void Bad_settings_fail_at_start_with_the_reason(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"TextSearch:Elasticsearch:{key}"] = value,
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddElasticsearchBackend(configuration).BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_key_and_basic_auth_exclude_each_other()
    {
        var options = new ElasticsearchOptions { ApiKey = "k", Username = "u", Password = "p" };
        Assert.Contains(options.Validate(), e => e.Contains("not both", StringComparison.Ordinal));
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new ElasticsearchOptions();
        Assert.Empty(options.Validate());
        Assert.Equal("textsearch-v1", options.VersionedIndex);
        Assert.Equal([new Uri("http://localhost:9200/")], options.Nodes);
    }

    [Fact]
    public void A_fingerprint_is_checked_by_the_client()
    {
        var options = new ElasticsearchOptions { Url = "https://es:9200", CertificateFingerprint = string.Join(':', Enumerable.Repeat("ab", 32)) };
        using var cluster = new EsCluster(options, NullLogger.Instance, TimeProvider.System);
        Assert.Equal(string.Concat(Enumerable.Repeat("AB", 32)), cluster.Configuration.CertificateFingerprint);
        Assert.Null(cluster.Configuration.ServerCertificateValidationCallback);
    }

    [Fact]
    public void A_ca_certificate_trusts_what_it_signed_for_the_right_host()
    {
        using var ca = CreateCa("CN=Elastic Test CA");
        using var other = CreateCa("CN=Someone Else");
        using var leaf = CreateLeaf(ca, "localhost");
        using var chain = ChainOf(leaf, ca);

        Assert.True(new CertificateValidation(ca).Validate(leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(new CertificateValidation(other).Validate(leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(new CertificateValidation(ca).Validate(leaf, chain, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(new CertificateValidation(ca).Validate(null, chain, SslPolicyErrors.None));
    }

    [Fact]
    public void Our_ca_check_refuses_a_self_signed_certificate_the_clients_authority_is_root_accepts()
    {
        // Why the CA-file path keeps our validation: a self-signed server certificate that the configured CA never
        // issued, in the chain a handshake hands over (itself alone).
        using var ca = CreateCa("CN=Elastic Test CA");
        using var impostor = CreateCa("CN=localhost");
        using var chain = ChainOf(impostor, impostor);
        const SslPolicyErrors errors = SslPolicyErrors.RemoteCertificateChainErrors;

        var theirs = Elastic.Transport.CertificateValidations.AuthorityIsRoot(ca, trustRoot: true, X509RevocationMode.NoCheck);
        Assert.True(theirs(new object(), impostor, chain, errors), "the client's AuthorityIsRoot no longer accepts it: revisit CertificateValidation");
        Assert.False(new CertificateValidation(ca).Validate(impostor, chain, errors));
    }

    [Fact]
    public void A_ca_file_in_pem_is_loaded_and_given_to_the_client()
    {
        using var ca = CreateCa("CN=Elastic Test CA");
        var path = Path.Combine(Path.GetTempPath(), $"ca-{Guid.NewGuid():N}.crt");
        File.WriteAllText(path, ca.ExportCertificatePem());
        try
        {
            using var leaf = CreateLeaf(ca, "localhost");
            using var chain = ChainOf(leaf, ca);
            Assert.True(CertificateValidation.FromFile(path)!.Validate(leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors));
            using var cluster = new EsCluster(new ElasticsearchOptions { Url = "https://localhost:9200", CaCertificatePath = path }, NullLogger.Instance, TimeProvider.System);
            var callback = cluster.Configuration.ServerCertificateValidationCallback!;
            Assert.True(callback(new object(), leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors));
            using var impostor = CreateCa("CN=localhost");
            using var impostorChain = ChainOf(impostor, impostor);
            Assert.False(callback(new object(), impostor, impostorChain, SslPolicyErrors.RemoteCertificateChainErrors));
            Assert.Null(CertificateValidation.FromFile(null));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static X509Certificate2 CreateCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 CreateLeaf(X509Certificate2 ca, string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var signed = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
        return signed.CopyWithPrivateKey(key);
    }

    // The chain a TLS handshake would hand the callback: the server's certificate and the CA it sent along.
    private static X509Chain ChainOf(X509Certificate2 leaf, X509Certificate2 ca)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.ExtraStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        chain.Build(leaf);
        return chain;
    }
}
