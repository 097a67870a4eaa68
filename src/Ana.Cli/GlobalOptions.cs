using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;

namespace Ana.Cli;

/// <summary>The options every verb accepts (before or after the verb), and how they become an <see cref="AgentBusOptions"/>.</summary>
internal sealed class GlobalOptions
{
    public const string TokenVariable = "ANA_NATS_TOKEN";
    public const string UserVariable = "ANA_NATS_USER";
    public const string PasswordVariable = "ANA_NATS_PASSWORD";
    public const string NKeySeedVariable = "ANA_NATS_NKEY_SEED";
    public const string CredsVariable = "ANA_NATS_CREDS";
    public const string TlsCaVariable = "ANA_NATS_TLS_CA";
    public const string TlsCertVariable = "ANA_NATS_TLS_CERT";
    public const string TlsKeyVariable = "ANA_NATS_TLS_KEY";

    public Option<string?> Nats { get; } = new("--nats")
    {
        Description = $"NATS server URL: nats://host:port, tls://host:port, a comma-separated list, or memory://NAME (in-process broker, useful only within one process). Default: ${AgentBusOptions.UrlEnvironmentVariable}, else {AgentBusOptions.DefaultNatsUrl}.",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string> Prefix { get; } = new("--prefix")
    {
        Description = "Subject prefix of the fleet (one or more dot-separated tokens).",
        HelpName = "PREFIX",
        DefaultValueFactory = _ => SubjectScheme.DefaultPrefix,
        Recursive = true,
    };

    public Option<string?> Identity { get; } = new("--identity")
    {
        Description = "This agent's name: the 'from' of what it sends. Default: ana-cli-<random>.",
        HelpName = "NAME",
        Recursive = true,
    };

    public Option<string?> AuditLog { get; } = new("--audit-log")
    {
        Description = "Append every publish to this file as one JSON line (whole lines; several ana commands and agents may share it).",
        HelpName = "PATH",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"NATS token authentication (or ${TokenVariable}).",
        HelpName = "TOKEN",
        Recursive = true,
    };

    public Option<string?> User { get; } = new("--user")
    {
        Description = $"NATS user name, with --password (or ${UserVariable}).",
        HelpName = "USER",
        Recursive = true,
    };

    public Option<string?> Password { get; } = new("--password")
    {
        Description = $"NATS password, with --user (or ${PasswordVariable}).",
        HelpName = "PASSWORD",
        Recursive = true,
    };

    public Option<string?> NKeySeed { get; } = new("--nkey-seed")
    {
        Description = $"NATS NKey user seed, SU... (or ${NKeySeedVariable}).",
        HelpName = "SEED",
        Recursive = true,
    };

    public Option<string?> Creds { get; } = new("--creds")
    {
        Description = $"Path of a NATS .creds file, JWT + NKey seed (or ${CredsVariable}).",
        HelpName = "PATH",
        Recursive = true,
    };

    public Option<string?> TlsCa { get; } = new("--tls-ca")
    {
        Description = $"PEM file of the CA that signs the server's certificate, for a private CA (or ${TlsCaVariable}).",
        HelpName = "PATH",
        Recursive = true,
    };

    public Option<string?> TlsCert { get; } = new("--tls-cert")
    {
        Description = $"PEM client certificate, for a server that requires one (mutual TLS); with --tls-key (or ${TlsCertVariable}).",
        HelpName = "PATH",
        Recursive = true,
    };

    public Option<string?> TlsKey { get; } = new("--tls-key")
    {
        Description = $"PEM private key of --tls-cert (or ${TlsKeyVariable}).",
        HelpName = "PATH",
        Recursive = true,
    };

    public Option<double> ConnectTimeout { get; } = new("--connect-timeout")
    {
        Description = "Seconds to wait for the server before giving up (exit code 3).",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 5,
        CustomParser = CliParsers.ParseSeconds,
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Log connection events to standard error (warnings are always logged).",
        Recursive = true,
    };

    public GlobalOptions()
    {
        Prefix.Validators.Add(r => CliParsers.ValidateDotted(r, r.GetValueOrDefault<string>()));
        Identity.Validators.Add(r => CliParsers.ValidateAgent(r, r.GetValueOrDefault<string?>()));
    }

    /// <summary>Adds the options to the root command.</summary>
    public void AddTo(Command root)
    {
        root.Options.Add(Nats);
        root.Options.Add(Prefix);
        root.Options.Add(Identity);
        root.Options.Add(AuditLog);
        root.Options.Add(Token);
        root.Options.Add(User);
        root.Options.Add(Password);
        root.Options.Add(NKeySeed);
        root.Options.Add(Creds);
        root.Options.Add(TlsCa);
        root.Options.Add(TlsCert);
        root.Options.Add(TlsKey);
        root.Options.Add(ConnectTimeout);
        root.Options.Add(Verbose);
    }

    /// <summary>Registers every secret given on the command line or in the environment with <paramref name="redactor"/>.</summary>
    public void RegisterSecrets(ParseResult parseResult, Redactor redactor)
    {
        redactor.Add(Secret(parseResult, Token, TokenVariable));
        redactor.Add(Secret(parseResult, Password, PasswordVariable));
        redactor.Add(Secret(parseResult, NKeySeed, NKeySeedVariable));
        redactor.AddUrlCredentials(parseResult.GetValue(Nats) ?? Environment.GetEnvironmentVariable(AgentBusOptions.UrlEnvironmentVariable));
    }

    /// <summary>The identity: <c>--identity</c>, else <c>ana-cli-</c> and 8 random hex digits.</summary>
    public string ResolveIdentity(ParseResult parseResult)
        => parseResult.GetValue(Identity) ?? "ana-cli-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Builds the bus options from the parsed global options and the environment.</summary>
    public AgentBusOptions ToBusOptions(ParseResult parseResult, CliOutput output)
    {
        AgentBusOptions options = new()
        {
            Prefix = parseResult.GetValue(Prefix) ?? SubjectScheme.DefaultPrefix,
            AuditLogPath = parseResult.GetValue(AuditLog),
            Token = Secret(parseResult, Token, TokenVariable),
            Username = Secret(parseResult, User, UserVariable),
            Password = Secret(parseResult, Password, PasswordVariable),
            NKeySeed = Secret(parseResult, NKeySeed, NKeySeedVariable),
            CredentialsFile = Secret(parseResult, Creds, CredsVariable),
            TlsCaFile = Secret(parseResult, TlsCa, TlsCaVariable),
            TlsCertificateFile = Secret(parseResult, TlsCert, TlsCertVariable),
            TlsKeyFile = Secret(parseResult, TlsKey, TlsKeyVariable),
            ConnectTimeout = TimeSpan.FromSeconds(parseResult.GetValue(ConnectTimeout)),
            LoggerFactory = new StderrLoggerFactory(output, parseResult.GetValue(Verbose)),

            // One handler at a time: listen prints envelopes in the order they arrive.
            MaxConcurrentHandlers = 1,
        };

        if (parseResult.GetValue(Nats) is { } url)
        {
            options = options with { Url = url };
        }

        return options;
    }

    /// <summary>The option's value, else the environment variable's, else null (for secrets and file paths alike).</summary>
    private static string? Secret(ParseResult parseResult, Option<string?> option, string variable)
        => parseResult.GetValue(option) is { Length: > 0 } value
            ? value
            : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;

    /// <summary>Formats seconds for messages: 5, 0.3, 2.5.</summary>
    public static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
