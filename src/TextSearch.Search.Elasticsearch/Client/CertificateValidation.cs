using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TextSearch.Search.Elasticsearch.Client;

/// <summary>
/// How the cluster's HTTPS certificate is trusted: by the system's CAs (default), by a CA certificate file (the
/// chain must lead to it and the host name must match), or by a SHA-256 fingerprint of a certificate in the chain
/// (the leaf or its CA; as Elasticsearch's own clients do, the host name is then not checked).
/// </summary>
internal sealed class CertificateValidation
{
    private readonly string? _fingerprint;
    private readonly X509Certificate2? _ca;

    public CertificateValidation(string? fingerprint, X509Certificate2? ca)
    {
        _fingerprint = fingerprint is null ? null : ElasticsearchOptions.NormalizeFingerprint(fingerprint);
        _ca = ca;
    }

    public bool IsCustom => _fingerprint is not null || _ca is not null;

    public static CertificateValidation From(ElasticsearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        X509Certificate2? ca = null;
        if (!string.IsNullOrEmpty(options.CaCertificatePath))
        {
            var bytes = File.ReadAllBytes(options.CaCertificatePath);
            ca = System.Text.Encoding.ASCII.GetString(bytes).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(File.ReadAllText(options.CaCertificatePath))
                : X509CertificateLoader.LoadCertificate(bytes);
        }

        return new CertificateValidation(string.IsNullOrEmpty(options.CertificateFingerprint) ? null : options.CertificateFingerprint, ca);
    }

    public bool Validate(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        if (_fingerprint is not null)
        {
            if (Matches(certificate))
            {
                return true;
            }

            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    if (Matches(element.Certificate))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        if (_ca is not null)
        {
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                return false;
            }

            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.Add(_ca);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            return custom.Build(certificate);
        }

        return errors == SslPolicyErrors.None;
    }

    private bool Matches(X509Certificate2 certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.RawData)) == _fingerprint;
}
