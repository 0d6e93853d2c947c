using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TextSearch.Search.Elasticsearch.Client;

/// <summary>
/// Trust by a CA certificate file (<see cref="ElasticsearchOptions.CaCertificatePath"/>): the server's chain must be
/// built up to that CA alone (custom root trust, not the system store) and the host name must match. This is kept
/// instead of the client's <c>CertificateValidations.AuthorityIsRoot</c>, which accepted, in a trial here, a
/// self-signed certificate the CA never issued (OptionsAndTlsTests shows the difference). A fingerprint is checked by
/// the client itself (<c>CertificateFingerprint</c>).
/// </summary>
internal sealed class CertificateValidation(X509Certificate2 ca)
{
    /// <summary>The validation for a CA file (PEM or DER), or null when there is none.</summary>
    public static CertificateValidation? FromFile(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        return new CertificateValidation(System.Text.Encoding.ASCII.GetString(bytes).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(File.ReadAllText(path))
            : X509CertificateLoader.LoadCertificate(bytes));
    }

    public bool Validate(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(ca);
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
}
