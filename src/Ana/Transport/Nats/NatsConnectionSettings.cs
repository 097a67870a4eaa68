using System.Text;
using NATS.Client.Core;

namespace Ana.Transport.Nats;

/// <summary>
/// Plain connection values from which <see cref="NatsOptionsFactory"/> builds <see cref="NatsOpts"/>.
/// <see cref="ToString"/> never prints secrets (token, password, NKey seed, passwords in URLs).
/// </summary>
internal sealed record NatsConnectionSettings
{
    /// <summary>One server URL or a comma-separated seed list, e.g. <c>nats://a:4222,nats://b:4222</c>.</summary>
    public string Url { get; init; } = "nats://127.0.0.1:4222";

    /// <summary>The connection name the server shows (<c>nats server report connections</c>); null keeps the client default.</summary>
    public string? Name { get; init; }

    /// <summary>Token authentication.</summary>
    public string? Token { get; init; }

    /// <summary>User name for user/password authentication (requires <see cref="Password"/>).</summary>
    public string? User { get; init; }

    /// <summary>Password for user/password authentication.</summary>
    public string? Password { get; init; }

    /// <summary>An NKey user seed (<c>SU...</c>); the public key is derived from it.</summary>
    public string? NKeySeed { get; init; }

    /// <summary>Path of a <c>.creds</c> file (JWT + NKey seed) for decentralized authentication.</summary>
    public string? CredsFile { get; init; }

    /// <summary>TLS mode; <see cref="TlsMode.Auto"/> upgrades when the URL is <c>tls://</c> or certificates are given.</summary>
    public TlsMode TlsMode { get; init; } = TlsMode.Auto;

    /// <summary>PEM file of the certificate authority that signs the server certificate.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>PEM client certificate for mutual TLS (requires <see cref="TlsKeyFile"/>).</summary>
    public string? TlsCertFile { get; init; }

    /// <summary>PEM private key of <see cref="TlsCertFile"/>.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>Bound on establishing the TCP connection and on each handshake step; null keeps the client default (2 s).</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Url = ").Append(NatsOptionsFactory.RedactUrl(Url));
        builder.Append(", Name = ").Append(Name);
        builder.Append(", Token = ").Append(Token is null ? null : "***");
        builder.Append(", User = ").Append(User);
        builder.Append(", Password = ").Append(Password is null ? null : "***");
        builder.Append(", NKeySeed = ").Append(NKeySeed is null ? null : "***");
        builder.Append(", CredsFile = ").Append(CredsFile);
        builder.Append(", TlsMode = ").Append(TlsMode);
        builder.Append(", TlsCaFile = ").Append(TlsCaFile);
        builder.Append(", TlsCertFile = ").Append(TlsCertFile);
        builder.Append(", TlsKeyFile = ").Append(TlsKeyFile);
        builder.Append(", ConnectTimeout = ").Append(ConnectTimeout);
        return true;
    }
}
