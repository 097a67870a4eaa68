using NATS.Client.Core;
using NATS.NKeys;

namespace Ana.Transport.Nats;

/// <summary>Builds <see cref="NatsOpts"/> from <see cref="AgentBusOptions"/>, validating what can be checked up front.</summary>
internal static class NatsOptionsFactory
{
    /// <summary>
    /// Maps <paramref name="options"/> to <see cref="NatsOpts"/>. At most one authentication method may be set
    /// (token, user + password, NKey seed, creds file); credentials embedded in the URL are left to the client, once
    /// <see cref="UrlSecrets.Problem"/> found them unambiguous.
    /// The TLS files are set on <see cref="AgentBusOptions.Tls"/> (or the client's defaults). Exception messages never
    /// contain secrets.
    /// </summary>
    /// <param name="options">The bus's options.</param>
    /// <param name="connectionName">The connection name the server shows (<c>nats server report connections</c>).</param>
    /// <exception cref="ArgumentException">The options are inconsistent or malformed (including a creds file's content).</exception>
    /// <exception cref="FileNotFoundException">A creds, CA, certificate or key file does not exist.</exception>
    /// <exception cref="AnaConnectionException">A URL's credentials would be misread (see <see cref="UrlSecrets.Problem"/>).</exception>
    public static NatsOpts Create(AgentBusOptions options, string? connectionName = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The NATS connect timeout must be positive (was {options.ConnectTimeout}).", nameof(options));
        }

        ValidateReconnect(options);
        NatsOpts opts = NatsOpts.Default with
        {
            Url = NormalizeUrl(options.Url),
            AuthOpts = CreateAuth(options),
            TlsOpts = CreateTls(options),
            ConnectTimeout = options.ConnectTimeout,
            ReconnectWaitMin = options.ReconnectWaitMin,
            ReconnectWaitMax = options.ReconnectWaitMax,
            ReconnectJitter = options.ReconnectJitter,
            NoRandomize = options.NoRandomize,
        };

        return string.IsNullOrWhiteSpace(connectionName) ? opts : opts with { Name = connectionName };
    }

    /// <summary>
    /// Checks the reconnect settings: <see cref="AgentBusOptions.ReconnectWaitMin"/> from 1 ms, <see cref="AgentBusOptions.ReconnectWaitMax"/>
    /// at least that, <see cref="AgentBusOptions.ReconnectJitter"/> from zero, each at most <see cref="CallTimeouts.Max"/>
    /// (the client waits their sum with <see cref="Task.Delay(TimeSpan)"/>, which takes at most about 49.7 days).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range; the parameter is named <c>options.Setting</c>.</exception>
    public static void ValidateReconnect(AgentBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TimeSpan max = CallTimeouts.Max;
        if (options.ReconnectWaitMin < TimeSpan.FromMilliseconds(1) || options.ReconnectWaitMin > max)
        {
            throw new ArgumentOutOfRangeException(
                $"{nameof(options)}.{nameof(AgentBusOptions.ReconnectWaitMin)}",
                options.ReconnectWaitMin,
                $"The reconnect wait must be at least 1 ms (zero would retry in a tight loop while every server is down) and at most {max.TotalDays:0} days.");
        }

        if (options.ReconnectWaitMax < options.ReconnectWaitMin || options.ReconnectWaitMax > max)
        {
            throw new ArgumentOutOfRangeException(
                $"{nameof(options)}.{nameof(AgentBusOptions.ReconnectWaitMax)}",
                options.ReconnectWaitMax,
                $"The longest reconnect wait must be at least ReconnectWaitMin ({options.ReconnectWaitMin}) and at most {max.TotalDays:0} days.");
        }

        if (options.ReconnectJitter < TimeSpan.Zero || options.ReconnectJitter > max)
        {
            throw new ArgumentOutOfRangeException(
                $"{nameof(options)}.{nameof(AgentBusOptions.ReconnectJitter)}",
                options.ReconnectJitter,
                $"The reconnect jitter must be zero or more and at most {max.TotalDays:0} days.");
        }
    }

    private static string NormalizeUrl(string? url)
    {
        string[] servers = (url ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (servers.Length == 0)
        {
            throw new ArgumentException("The NATS URL is empty: give one server URL or a comma-separated list.", nameof(url));
        }

        // Before the client sees it: it would log and dial a secret it took for a host name.
        if (UrlSecrets.Problem(url!) is { } problem)
        {
            throw new AnaConnectionException("Refused to connect to NATS: " + problem);
        }

        return string.Join(',', servers);
    }

    private static NatsAuthOpts CreateAuth(AgentBusOptions s)
    {
        bool hasUser = !string.IsNullOrEmpty(s.Username);
        bool hasPassword = !string.IsNullOrEmpty(s.Password);
        if (hasUser != hasPassword)
        {
            throw new ArgumentException("NATS user/password authentication needs both a user and a password (Username and Password).", nameof(s));
        }

        int methods = 0;
        methods += string.IsNullOrEmpty(s.Token) ? 0 : 1;
        methods += hasUser ? 1 : 0;
        methods += string.IsNullOrEmpty(s.NKeySeed) ? 0 : 1;
        methods += string.IsNullOrEmpty(s.CredentialsFile) ? 0 : 1;
        if (methods > 1)
        {
            List<string> set = [];
            if (!string.IsNullOrEmpty(s.Token))
            {
                set.Add(nameof(AgentBusOptions.Token));
            }

            if (hasUser)
            {
                set.Add($"{nameof(AgentBusOptions.Username)} + {nameof(AgentBusOptions.Password)}");
            }

            if (!string.IsNullOrEmpty(s.NKeySeed))
            {
                set.Add(nameof(AgentBusOptions.NKeySeed));
            }

            if (!string.IsNullOrEmpty(s.CredentialsFile))
            {
                set.Add(nameof(AgentBusOptions.CredentialsFile));
            }

            throw new ArgumentException(
                $"Several NATS authentication methods are set ({string.Join(", ", set)}); choose one of: Token, Username + Password, NKeySeed, CredentialsFile.",
                nameof(s));
        }

        NatsAuthOpts auth = NatsAuthOpts.Default;
        if (!string.IsNullOrEmpty(s.Token))
        {
            return auth with { Token = s.Token };
        }

        if (hasUser)
        {
            return auth with { Username = s.Username, Password = s.Password };
        }

        if (!string.IsNullOrEmpty(s.NKeySeed))
        {
            return auth with { NKey = PublicKeyOf(s.NKeySeed), Seed = s.NKeySeed };
        }

        if (!string.IsNullOrEmpty(s.CredentialsFile))
        {
            RequireFile(s.CredentialsFile, "NATS creds file");
            CheckCredsFile(s.CredentialsFile);
            return auth with { CredsFile = s.CredentialsFile };
        }

        return auth;
    }

    private static string PublicKeyOf(string seed)
    {
        try
        {
            using KeyPair pair = KeyPair.FromSeed(seed.AsSpan().Trim());
            return pair.GetPublicKey();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The seed is a secret: never echo it, nor an inner message that might.
            throw new ArgumentException("The NATS NKey seed is not a valid seed (expected an encoded seed such as 'SU...').", nameof(seed));
        }
    }

    /// <summary>
    /// Checks that a creds file has the shape <c>nsc</c> writes: dash-delimited blocks, the first holding the user JWT
    /// (three dot-separated parts), the second a valid NKey seed. Its content is secret: messages name the file only.
    /// </summary>
    private static void CheckCredsFile(string path)
    {
        List<string> blocks = [];
        string[] lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length && blocks.Count < 2; i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith("---", StringComparison.Ordinal) && line.EndsWith("---", StringComparison.Ordinal)
                && line.Contains("BEGIN", StringComparison.Ordinal))
            {
                string value = lines.Skip(i + 1).Select(static l => l.Trim()).FirstOrDefault(static l => l.Length > 0) ?? string.Empty;
                blocks.Add(value.StartsWith("---", StringComparison.Ordinal) ? string.Empty : value);
            }
        }

        if (blocks.Count == 0 || blocks[0].Split('.').Length != 3)
        {
            throw new ArgumentException($"The NATS creds file {path} holds no user JWT (expected the file nsc writes: a JWT block, then a seed block).", nameof(path));
        }

        if (blocks.Count < 2)
        {
            throw new ArgumentException($"The NATS creds file {path} holds no NKey seed block after its JWT.", nameof(path));
        }

        try
        {
            using KeyPair pair = KeyPair.FromSeed(blocks[1].AsSpan());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ArgumentException($"The NATS creds file {path} holds no valid NKey seed after its JWT.", nameof(path));
        }
    }

    private static NatsTlsOpts CreateTls(AgentBusOptions s)
    {
        bool hasCert = !string.IsNullOrEmpty(s.TlsCertificateFile);
        bool hasKey = !string.IsNullOrEmpty(s.TlsKeyFile);
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
            RequireFile(s.TlsCertificateFile!, "TLS certificate file");
            RequireFile(s.TlsKeyFile!, "TLS key file");
        }

        NatsTlsOpts tls = s.Tls ?? NatsTlsOpts.Default;
        return tls with
        {
            CaFile = string.IsNullOrEmpty(s.TlsCaFile) ? tls.CaFile : s.TlsCaFile,
            CertFile = hasCert ? s.TlsCertificateFile : tls.CertFile,
            KeyFile = hasKey ? s.TlsKeyFile : tls.KeyFile,
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
