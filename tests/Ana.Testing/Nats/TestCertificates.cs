using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ana.Testing.Nats;

/// <summary>
/// A throw-away PKI for TLS tests, written as PEM files to a temporary directory (deleted on dispose): a CA, a server
/// certificate for 127.0.0.1 and localhost signed by it, a client certificate signed by it, and a second CA (with its own
/// client certificate) that the server does not know. ECDSA P-256, valid from 5 minutes ago for one day.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory)
    {
        Directory = directory;
    }

    /// <summary>Where the files are.</summary>
    public string Directory { get; }

    /// <summary>The CA that signs the server and client certificates.</summary>
    public string CaFile => Path.Combine(Directory, "ca.pem");

    /// <summary>The server's certificate (SAN: IP 127.0.0.1, DNS localhost).</summary>
    public string ServerCertificateFile => Path.Combine(Directory, "server.pem");

    /// <summary>The server's private key (PKCS#8).</summary>
    public string ServerKeyFile => Path.Combine(Directory, "server-key.pem");

    /// <summary>A client certificate signed by <see cref="CaFile"/>.</summary>
    public string ClientCertificateFile => Path.Combine(Directory, "client.pem");

    /// <summary>The client certificate's private key (PKCS#8).</summary>
    public string ClientKeyFile => Path.Combine(Directory, "client-key.pem");

    /// <summary>Another CA, which signed neither the server's nor the client's certificate.</summary>
    public string OtherCaFile => Path.Combine(Directory, "other-ca.pem");

    /// <summary>A client certificate signed by <see cref="OtherCaFile"/>, which the server does not trust.</summary>
    public string OtherClientCertificateFile => Path.Combine(Directory, "other-client.pem");

    /// <summary>The private key of <see cref="OtherClientCertificateFile"/>.</summary>
    public string OtherClientKeyFile => Path.Combine(Directory, "other-client-key.pem");

    /// <summary>Creates the files.</summary>
    public static TestCertificates Create()
    {
        DirectoryInfo dir = System.IO.Directory.CreateTempSubdirectory("ana-tls-");
        TestCertificates files = new(dir.FullName);
        try
        {
            using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using X509Certificate2 ca = CreateCa("CN=Ana Test CA", caKey);
            Write(files.CaFile, ca.ExportCertificatePem());

            using (ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                SubjectAlternativeNameBuilder san = new();
                san.AddIpAddress(IPAddress.Loopback);
                san.AddDnsName("localhost");
                using X509Certificate2 server = Issue(ca, "CN=127.0.0.1", key, san.Build(), "1.3.6.1.5.5.7.3.1");
                Write(files.ServerCertificateFile, server.ExportCertificatePem());
                Write(files.ServerKeyFile, key.ExportPkcs8PrivateKeyPem());
            }

            using (ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                using X509Certificate2 client = Issue(ca, "CN=ana-test-client", key, null, "1.3.6.1.5.5.7.3.2");
                Write(files.ClientCertificateFile, client.ExportCertificatePem());
                Write(files.ClientKeyFile, key.ExportPkcs8PrivateKeyPem());
            }

            using ECDsa otherCaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using X509Certificate2 otherCa = CreateCa("CN=Ana Other CA", otherCaKey);
            Write(files.OtherCaFile, otherCa.ExportCertificatePem());
            using (ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                using X509Certificate2 client = Issue(otherCa, "CN=ana-stranger", key, null, "1.3.6.1.5.5.7.3.2");
                Write(files.OtherClientCertificateFile, client.ExportCertificatePem());
                Write(files.OtherClientKeyFile, key.ExportPkcs8PrivateKeyPem());
            }

            return files;
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The <c>tls { }</c> block of a nats-server configuration serving <see cref="ServerCertificateFile"/>; with
    /// <paramref name="verifyClients"/>, clients must present a certificate signed by <see cref="CaFile"/>.
    /// </summary>
    public string ServerTlsBlock(bool verifyClients = false)
        => $$"""
            tls {
              cert_file: "{{ServerCertificateFile}}"
              key_file: "{{ServerKeyFile}}"
              ca_file: "{{CaFile}}"
              verify: {{(verifyClients ? "true" : "false")}}
              timeout: 5
            }

            """;

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }

    private static X509Certificate2 CreateCa(string name, ECDsa key)
    {
        CertificateRequest request = new(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name, ECDsa key, X509Extension? san, string usageOid)
    {
        CertificateRequest request = new(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-4), DateTimeOffset.UtcNow.AddHours(23), serial);
    }

    private static void Write(string path, string pem) => File.WriteAllText(path, pem);
}
