using System.Security.Cryptography.X509Certificates;

namespace TextSearch.Server.Hosting;

/// <summary>Loads the server certificate named by TextSearch:Tls.</summary>
internal static class TlsCertificate
{
    public static X509Certificate2 Load(TlsOptions tls)
    {
        if (!string.IsNullOrWhiteSpace(tls.PfxPath))
        {
            var pfx = Path.GetFullPath(tls.PfxPath);
            if (!File.Exists(pfx))
            {
                throw new FileNotFoundException($"TextSearch:Tls:PfxPath '{pfx}' does not exist.");
            }

            return X509CertificateLoader.LoadPkcs12FromFile(pfx, string.IsNullOrEmpty(tls.PfxPassword) ? null : tls.PfxPassword);
        }

        var cert = Path.GetFullPath(tls.CertificatePath);
        if (!File.Exists(cert))
        {
            throw new FileNotFoundException($"TextSearch:Tls:CertificatePath '{cert}' does not exist.");
        }

        if (string.IsNullOrWhiteSpace(tls.KeyPath))
        {
            throw new InvalidOperationException("TextSearch:Tls:KeyPath is required with TextSearch:Tls:CertificatePath.");
        }

        var key = Path.GetFullPath(tls.KeyPath);
        if (!File.Exists(key))
        {
            throw new FileNotFoundException($"TextSearch:Tls:KeyPath '{key}' does not exist.");
        }

        return X509Certificate2.CreateFromPemFile(cert, key);
    }
}
