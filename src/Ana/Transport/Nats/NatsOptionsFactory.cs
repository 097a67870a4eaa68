using NATS.Client.Core;
using NATS.NKeys;

namespace Ana.Transport.Nats;

/// <summary>Builds <see cref="NatsOpts"/> from <see cref="NatsConnectionSettings"/>, validating what can be checked up front.</summary>
internal static class NatsOptionsFactory
{
    /// <summary>
    /// Maps <paramref name="settings"/> to <see cref="NatsOpts"/>. At most one authentication method may be set
    /// (token, user + password, NKey seed, creds file); credentials embedded in the URL are left to the client.
    /// Exception messages never contain secrets.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are inconsistent or malformed.</exception>
    /// <exception cref="FileNotFoundException">A creds, CA, certificate or key file does not exist.</exception>
    public static NatsOpts Create(NatsConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);

        var opts = NatsOpts.Default with
        {
            Url = NormalizeUrl(settings.Url),
            AuthOpts = CreateAuth(settings),
            TlsOpts = CreateTls(settings),
        };

        if (!string.IsNullOrWhiteSpace(settings.Name))
        {
            opts = opts with { Name = settings.Name };
        }

        if (settings.ConnectTimeout is { } timeout)
        {
            if (timeout <= TimeSpan.Zero)
            {
                throw new ArgumentException($"The NATS connect timeout must be positive (was {timeout}).", nameof(settings));
            }

            opts = opts with { ConnectTimeout = timeout };
        }

        return opts;
    }

    /// <summary>Replaces user info (token, or the password of user:password) in each URL of a seed list by <c>***</c>.</summary>
    public static string RedactUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return string.Empty;
        }

        var parts = url.Split(',');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = RedactOne(parts[i]);
        }

        return string.Join(',', parts);
    }

    private static string RedactOne(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var authorityEnd = url.IndexOf('/', authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        if (at < 0)
        {
            return url;
        }

        var userInfo = url.AsSpan(authorityStart, at - authorityStart);
        var colon = userInfo.IndexOf(':');
        var redacted = colon < 0 ? "***" : string.Concat(userInfo[..colon], ":***");
        return string.Concat(url.AsSpan(0, authorityStart), redacted, url.AsSpan(at));
    }

    private static string NormalizeUrl(string? url)
    {
        var servers = (url ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (servers.Length == 0)
        {
            throw new ArgumentException("The NATS URL is empty: give one server URL or a comma-separated list.", nameof(url));
        }

        return string.Join(',', servers);
    }

    private static NatsAuthOpts CreateAuth(NatsConnectionSettings s)
    {
        var hasUser = !string.IsNullOrEmpty(s.User);
        var hasPassword = !string.IsNullOrEmpty(s.Password);
        if (hasUser != hasPassword)
        {
            throw new ArgumentException("NATS user/password authentication needs both a user and a password.", nameof(s));
        }

        var methods = 0;
        methods += string.IsNullOrEmpty(s.Token) ? 0 : 1;
        methods += hasUser ? 1 : 0;
        methods += string.IsNullOrEmpty(s.NKeySeed) ? 0 : 1;
        methods += string.IsNullOrEmpty(s.CredsFile) ? 0 : 1;
        if (methods > 1)
        {
            throw new ArgumentException(
                "Several NATS authentication methods are set; choose one of: token, user + password, NKey seed, creds file.",
                nameof(s));
        }

        var auth = NatsAuthOpts.Default;
        if (!string.IsNullOrEmpty(s.Token))
        {
            return auth with { Token = s.Token };
        }

        if (hasUser)
        {
            return auth with { Username = s.User, Password = s.Password };
        }

        if (!string.IsNullOrEmpty(s.NKeySeed))
        {
            return auth with { NKey = PublicKeyOf(s.NKeySeed), Seed = s.NKeySeed };
        }

        if (!string.IsNullOrEmpty(s.CredsFile))
        {
            RequireFile(s.CredsFile, "NATS creds file");
            return auth with { CredsFile = s.CredsFile };
        }

        return auth;
    }

    private static string PublicKeyOf(string seed)
    {
        try
        {
            using var pair = KeyPair.FromSeed(seed.AsSpan().Trim());
            return pair.GetPublicKey();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The seed is a secret: never echo it, nor an inner message that might.
            throw new ArgumentException("The NATS NKey seed is not a valid seed (expected an encoded seed such as 'SU...').", nameof(seed));
        }
    }

    private static NatsTlsOpts CreateTls(NatsConnectionSettings s)
    {
        var hasCert = !string.IsNullOrEmpty(s.TlsCertFile);
        var hasKey = !string.IsNullOrEmpty(s.TlsKeyFile);
        if (hasCert != hasKey)
        {
            throw new ArgumentException("A TLS client certificate needs both a certificate file and a key file.", nameof(s));
        }

        if (!string.IsNullOrEmpty(s.TlsCaFile))
        {
            RequireFile(s.TlsCaFile, "TLS CA file");
        }

        if (hasCert)
        {
            RequireFile(s.TlsCertFile!, "TLS certificate file");
            RequireFile(s.TlsKeyFile!, "TLS key file");
        }

        return NatsTlsOpts.Default with
        {
            Mode = s.TlsMode,
            CaFile = string.IsNullOrEmpty(s.TlsCaFile) ? null : s.TlsCaFile,
            CertFile = hasCert ? s.TlsCertFile : null,
            KeyFile = hasKey ? s.TlsKeyFile : null,
        };
    }

    private static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{what} not found: {path}", path);
        }
    }
}
