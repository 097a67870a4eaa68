namespace Ana.Hosting.Internal;

/// <summary>
/// The configuration section of one bus (<c>Ana</c>, or <c>Ana:Buses:&lt;name&gt;</c>), bound by the configuration
/// binder's source generator. Each key that is present overrides the <see cref="AgentBusOptions"/> default of the same
/// name; the keys are documented in docs/hosting.md.
/// </summary>
internal sealed class AgentBusSettings
{
    public string? Url { get; set; }

    public string? Prefix { get; set; }

    public string? Host { get; set; }

    public string? AuditLogPath { get; set; }

    public TimeSpan? DefaultTimeout { get; set; }

    public TimeSpan? ConnectTimeout { get; set; }

    public TimeSpan? ShutdownGrace { get; set; }

    public TimeSpan? ClockSkewAllowance { get; set; }

    public int? MaxConcurrentHandlers { get; set; }

    public int? MaxQueuedHandlers { get; set; }

    public int? MaxEnvelopeBytes { get; set; }

    public int? MaxControlLineBytes { get; set; }

    public bool? MirrorRepliesToReplySubject { get; set; }

    public bool? ExposeExceptionMessages { get; set; }

    public bool? MicroDiscovery { get; set; }

    public string? Token { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? NKeySeed { get; set; }

    public string? CredentialsFile { get; set; }

    public string? TlsCaFile { get; set; }

    public string? TlsCertificateFile { get; set; }

    public string? TlsKeyFile { get; set; }

    public TimeSpan? ReconnectWaitMin { get; set; }

    public TimeSpan? ReconnectWaitMax { get; set; }

    public TimeSpan? ReconnectJitter { get; set; }

    public bool? NoRandomize { get; set; }

    /// <summary>How often the host sends the bus's pulse envelope; none when absent.</summary>
    public TimeSpan? PulseInterval { get; set; }

    public AgentBusOptions ApplyTo(AgentBusOptions options) => options with
    {
        Url = Url ?? options.Url,
        Prefix = Prefix ?? options.Prefix,
        Host = Host ?? options.Host,
        AuditLogPath = AuditLogPath ?? options.AuditLogPath,
        DefaultTimeout = DefaultTimeout ?? options.DefaultTimeout,
        ConnectTimeout = ConnectTimeout ?? options.ConnectTimeout,
        ShutdownGrace = ShutdownGrace ?? options.ShutdownGrace,
        ClockSkewAllowance = ClockSkewAllowance ?? options.ClockSkewAllowance,
        MaxConcurrentHandlers = MaxConcurrentHandlers ?? options.MaxConcurrentHandlers,
        MaxQueuedHandlers = MaxQueuedHandlers ?? options.MaxQueuedHandlers,
        MaxEnvelopeBytes = MaxEnvelopeBytes ?? options.MaxEnvelopeBytes,
        MaxControlLineBytes = MaxControlLineBytes ?? options.MaxControlLineBytes,
        MirrorRepliesToReplySubject = MirrorRepliesToReplySubject ?? options.MirrorRepliesToReplySubject,
        ExposeExceptionMessages = ExposeExceptionMessages ?? options.ExposeExceptionMessages,
        MicroDiscovery = MicroDiscovery ?? options.MicroDiscovery,
        Token = Token ?? options.Token,
        Username = Username ?? options.Username,
        Password = Password ?? options.Password,
        NKeySeed = NKeySeed ?? options.NKeySeed,
        CredentialsFile = CredentialsFile ?? options.CredentialsFile,
        TlsCaFile = TlsCaFile ?? options.TlsCaFile,
        TlsCertificateFile = TlsCertificateFile ?? options.TlsCertificateFile,
        TlsKeyFile = TlsKeyFile ?? options.TlsKeyFile,
        ReconnectWaitMin = ReconnectWaitMin ?? options.ReconnectWaitMin,
        ReconnectWaitMax = ReconnectWaitMax ?? options.ReconnectWaitMax,
        ReconnectJitter = ReconnectJitter ?? options.ReconnectJitter,
        NoRandomize = NoRandomize ?? options.NoRandomize,
    };
}
