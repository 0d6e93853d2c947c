using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace TextSearch.Server.Hosting;

/// <summary>
/// The server's two kinds of listener. gRPC (HTTP/2, h2c or TLS) listens on <c>--urls</c>; the HTTP side (the JSON
/// API, gRPC-Web, the web page, <c>/metrics</c> and <c>/healthz</c>) listens on <c>TextSearch:HttpUrl</c> with
/// HTTP/1.1 (and HTTP/2 when it is https). Both serve the same routes; they differ in the protocols they speak.
/// </summary>
public sealed class Listeners
{
    private readonly List<(ListenOptions Options, BindingAddress Address)> _grpc = [];
    private readonly List<(ListenOptions Options, BindingAddress Address)> _http = [];

    /// <summary>The gRPC addresses as bound (an ephemeral port replaced by the real one). Valid once the server started.</summary>
    public IReadOnlyList<Uri> Grpc => [.. _grpc.Select(l => Bound(l.Options, l.Address))];

    /// <summary>The HTTP/1.1 addresses as bound; empty when <c>TextSearch:HttpUrl</c> is empty.</summary>
    public IReadOnlyList<Uri> Http => [.. _http.Select(l => Bound(l.Options, l.Address))];

    /// <summary>True when the HTTP side listens on loopback addresses only (then it answers local host names only).</summary>
    internal bool HttpIsLoopbackOnly { get; private set; }

    /// <summary>
    /// Binds every gRPC address and the HTTP address in code, so each gets its own protocols. <c>--urls</c> is taken
    /// out of the host's arguments (<see cref="TakeUrlsArgument"/>) so that Kestrel does not also see it and warn that
    /// it is overriding it; a <c>urls</c> setting from elsewhere (ASPNETCORE_URLS) still works, with that warning.
    /// </summary>
    internal static Listeners Configure(WebApplicationBuilder builder, string? urlsArgument, X509Certificate2? certificate)
    {
        var listeners = new Listeners();
        // --urls, then a `urls` setting from elsewhere (ASPNETCORE_URLS), then TextSearch:GrpcUrl (appsettings.json).
        var grpcUrls = Split(urlsArgument ?? builder.Configuration[WebHostDefaults.ServerUrlsKey]);
        if (grpcUrls.Count == 0)
        {
            grpcUrls = Split(builder.Configuration[$"{TextSearchOptions.Section}:{nameof(TextSearchOptions.GrpcUrl)}"]);
        }

        if (grpcUrls.Count == 0)
        {
            throw new InvalidOperationException("No gRPC address: set --urls or TextSearch:GrpcUrl (e.g. http://localhost:50051).");
        }

        var httpUrls = Split(builder.Configuration[$"{TextSearchOptions.Section}:{nameof(TextSearchOptions.HttpUrl)}"]);
        var grpc = grpcUrls.Select(u => Parse(u, "--urls")).ToList();
        var http = httpUrls.Select(u => Parse(u, $"{TextSearchOptions.Section}:{nameof(TextSearchOptions.HttpUrl)}")).ToList();
        listeners.HttpIsLoopbackOnly = http.Count > 0 && http.All(IsLoopback);
        if (certificate is null && grpc.Concat(http).FirstOrDefault(IsHttps) is { } https)
        {
            throw new InvalidOperationException(
                $"'{https.Scheme}://{https.Host}:{https.Port}' needs a certificate: set TextSearch:Tls:CertificatePath and KeyPath, or PfxPath.");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var address in grpc)
            {
                Listen(kestrel, address, HttpProtocols.Http2, certificate, listeners._grpc);
            }

            foreach (var address in http)
            {
                // Browsers and curl speak HTTP/1.1 in the clear; over TLS, ALPN lets them choose HTTP/2 too.
                Listen(kestrel, address, IsHttps(address) ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1, certificate, listeners._http);
            }
        });
        builder.Services.AddSingleton(listeners);
        return listeners;
    }

    /// <summary>
    /// Takes <c>--urls X</c> (or <c>--urls=X</c>) out of the arguments: the web host would otherwise bind it itself
    /// before our listeners, and warn that it is overriding it.
    /// </summary>
    internal static (string[] Remaining, string? Urls) TakeUrlsArgument(string[] args)
    {
        var rest = new List<string>(args.Length);
        string? urls = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if ((arg.Equals("--urls", StringComparison.OrdinalIgnoreCase) || arg.Equals("/urls", StringComparison.OrdinalIgnoreCase)) && i + 1 < args.Length)
            {
                urls = args[++i];
            }
            else if (arg.StartsWith("--urls=", StringComparison.OrdinalIgnoreCase) || arg.StartsWith("/urls=", StringComparison.OrdinalIgnoreCase))
            {
                urls = arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..];
            }
            else
            {
                rest.Add(arg);
            }
        }

        return ([.. rest], urls);
    }

    private static List<string> Split(string? urls) =>
        [.. (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(u => !string.Equals(u, "none", StringComparison.OrdinalIgnoreCase))];

    private static bool IsLoopback(BindingAddress address) =>
        string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static bool IsHttps(BindingAddress address) => string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase);

    private static BindingAddress Parse(string url, string setting)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{setting}: '{url}' is not an address like http://localhost:50051.", ex);
        }

        if (address.IsNamedPipe || address.IsUnixPipe || (address.Scheme != "http" && address.Scheme != "https"))
        {
            throw new InvalidOperationException($"{setting}: '{url}' must be an http:// or https:// address.");
        }

        if (address.PathBase.Length > 0)
        {
            throw new InvalidOperationException($"{setting}: '{url}' must not have a path.");
        }

        return address;
    }

    private static void Listen(
        KestrelServerOptions kestrel, BindingAddress address, HttpProtocols protocols, X509Certificate2? certificate, List<(ListenOptions, BindingAddress)> sink)
    {
        void Configure(ListenOptions options)
        {
            options.Protocols = protocols;
            if (IsHttps(address) && certificate is not null)
            {
                // The certificate from TextSearch:Tls.
                options.UseHttps(certificate);
            }

            sink.Add((options, address));
        }

        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port, Configure);
        }
        else if (IPAddress.TryParse(address.Host, out var ip))
        {
            kestrel.Listen(ip, address.Port, Configure);
        }
        else
        {
            // *, + and host names: every interface, as Kestrel does for them.
            kestrel.ListenAnyIP(address.Port, Configure);
        }
    }

    private static Uri Bound(ListenOptions options, BindingAddress address)
    {
        var port = options.IPEndPoint?.Port ?? address.Port;
        // An address on every interface is shown as localhost: a URL that opens on this machine.
        var host = !string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            && options.IPEndPoint is { } endPoint && !endPoint.Address.Equals(IPAddress.Any) && !endPoint.Address.Equals(IPAddress.IPv6Any)
            ? (endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString())
            : "localhost";
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{address.Scheme}://{host}:{port}/"));
    }
}
