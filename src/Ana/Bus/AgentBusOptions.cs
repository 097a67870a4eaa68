using System.Text;
using Ana.Transport;
using Ana.Transport.Nats;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Ana;

/// <summary>How an <see cref="AgentBus"/> connects and behaves. A record: derive variants with <c>with</c>.</summary>
public sealed record AgentBusOptions
{
    /// <summary>The environment variable that sets the default <see cref="Url"/>.</summary>
    public const string UrlEnvironmentVariable = "ANA_NATS_URL";

    /// <summary>The default of <see cref="MaxControlLineBytes"/>: nats-server's default <c>max_control_line</c>.</summary>
    public const int DefaultMaxControlLineBytes = 4096;

    /// <summary>The smallest <see cref="MaxControlLineBytes"/> accepted.</summary>
    public const int MinControlLineBytes = 512;

    /// <summary>The URL used when neither <see cref="Url"/> nor <c>ANA_NATS_URL</c> is set.</summary>
    public const string DefaultNatsUrl = "nats://127.0.0.1:4222";

    /// <summary>
    /// Where to connect: <c>nats://host:port</c> (several servers separated by commas), <c>tls://…</c>, or
    /// <c>memory://NAME</c> for the in-process broker shared by every bus of this process that uses the same NAME.
    /// Defaults to <c>ANA_NATS_URL</c> from the environment, else <see cref="DefaultNatsUrl"/>. Credentials in a URL
    /// (<c>nats://user:password@host</c>, <c>nats://token@host</c>) must be percent-encoded when they contain
    /// <c>/</c>, <c>?</c>, <c>#</c>, <c>@</c> or <c>,</c>; they are shown as <c>***</c> everywhere.
    /// </summary>
    public string Url { get; init; } = Environment.GetEnvironmentVariable(UrlEnvironmentVariable) is { Length: > 0 } url ? url : DefaultNatsUrl;

    /// <summary>The fleet prefix of every subject, one or more tokens. Defaults to <c>cc.fleet</c>.</summary>
    public string Prefix { get; init; } = SubjectScheme.DefaultPrefix;

    /// <summary>
    /// When set, every publish is appended to this file as one JSON line. Buses in one process that name the same full
    /// path share one writer; processes on Linux and Windows append under an advisory file lock, so they may share the
    /// file too. Every line is written whole.
    /// </summary>
    public string? AuditLogPath { get; init; }

    /// <summary>
    /// How long a query waits for its reply unless the call says otherwise. Defaults to 5 seconds; like every timeout of
    /// the bus, at least 1 ms and at most 24 days (checked by <see cref="AgentBus.ConnectAsync"/>).
    /// </summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How durable work is stored on JetStream: the work stream's limits and how long a durable publish waits for its
    /// confirmation (<see cref="AgentBus.EnqueueDurableAsync"/>; docs/durable.md).
    /// </summary>
    public DurableOptions Durable { get; init; } = new();

    /// <summary>
    /// How many items of a stream (a contract method returning <see cref="IAsyncEnumerable{T}"/>, or
    /// <see cref="AgentBus.QueryStreamAsync"/>) the agent serving it may send before the caller has taken them: the
    /// caller's buffer never holds more, and the agent's iterator waits. The caller grants more as it reads, half a
    /// window at a time. Defaults to 16; at least 1 (checked by <see cref="AgentBus.ConnectAsync"/>). A client's or a
    /// scope's <see cref="AnaCallOptions.StreamWindow"/>, or the call's own, wins.
    /// </summary>
    public int StreamWindow { get; init; } = 16;

    /// <summary>The host name stamped on every envelope. Defaults to the machine name.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>
    /// Also publish each reply on the responder's <c>reply</c> subject when the query came with an inbox,
    /// so that observers see it. Callers drop the second copy.
    /// </summary>
    public bool MirrorRepliesToReplySubject { get; init; }

    /// <summary>
    /// Make every served contract discoverable with the NATS micro protocol (ADR-32; <c>nats micro ls</c>): the bus
    /// answers <c>$SRV.PING</c>, <c>$SRV.INFO</c> and <c>$SRV.STATS</c> for it, and error replies carry the
    /// <c>Nats-Service-Error</c> and <c>Nats-Service-Error-Code</c> headers. On by default; see docs/protocol.md.
    /// </summary>
    public bool MicroDiscovery { get; init; } = true;

    /// <summary>Send the message of an unexpected handler exception to the caller. Off by default: it may leak internals.</summary>
    public bool ExposeExceptionMessages { get; init; }

    /// <summary>
    /// How long disposing a subscription or the bus waits for running handlers after cancelling their tokens, before it
    /// returns anyway (and logs which subject's handlers did not stop). Zero to 24 days; defaults to 5 seconds.
    /// </summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many inbound handlers of one subscription run at once. Defaults to 64.</summary>
    public int MaxConcurrentHandlers { get; init; } = 64;

    /// <summary>
    /// How many queries of one subscription may wait for a handler slot while all <see cref="MaxConcurrentHandlers"/> are
    /// busy; a query beyond them is answered at once with an <see cref="AnaErrorCodes.Overloaded"/> error reply (counted in
    /// <see cref="AgentBusStatistics.OverloadedQueries"/>). Other envelopes (pulses, discovery, replies seen by a listener)
    /// are never refused: beyond the bound they wait, and the subscription reads no further until there is room.
    /// <see langword="null"/> (the default) means four times <see cref="MaxConcurrentHandlers"/>. A query whose caller's
    /// deadline passes while it waits is dropped without running (<see cref="AgentBusStatistics.ExpiredQueries"/>).
    /// </summary>
    public int? MaxQueuedHandlers { get; init; }

    /// <summary>
    /// How far another agent's clock may run ahead of this one's before a query it sent is judged by its <c>ts</c>: a query
    /// is dropped unstarted when its <c>ts</c> plus its <c>timeout_s</c> plus this allowance has passed (or when its
    /// <c>timeout_s</c> has passed since it reached this bus, whatever the clocks say). Defaults to 2 seconds.
    /// </summary>
    public TimeSpan ClockSkewAllowance { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest envelope accepted from the wire. Defaults to 1 MiB.</summary>
    public int MaxEnvelopeBytes { get; init; } = EnvelopeSerializer.DefaultMaxBytes;

    /// <summary>
    /// The longest protocol line the bus may write, in bytes: the server's <c>max_control_line</c> (4,096 unless the server
    /// is configured otherwise; the server does not advertise it and closes the connection of a client that exceeds it).
    /// Every line is counted in UTF-8 bytes in its longest form, <c>HPUB &lt;subject&gt; &lt;reply-to&gt; &lt;header size&gt;
    /// &lt;total size&gt;</c> with both sizes at ten digits. A call or publish whose line would be longer is refused with
    /// <see cref="ArgumentException"/> before anything is sent, and a query whose reply could not be sent within it is
    /// dropped and counted (<see cref="AgentBusStatistics.UnanswerableQueries"/>). Defaults to
    /// <see cref="DefaultMaxControlLineBytes"/>; at least <see cref="MinControlLineBytes"/> (checked by
    /// <see cref="AgentBus.ConnectAsync"/>). Names have their own caps whatever this is:
    /// <see cref="SubjectScheme.MaxPrefixBytes"/>, <see cref="SubjectScheme.MaxAgentBytes"/>, <see cref="SubjectScheme.MaxTopicBytes"/>.
    /// </summary>
    public int MaxControlLineBytes { get; init; } = DefaultMaxControlLineBytes;

    /// <summary>Where the bus logs malformed input, handler failures and connection events.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>NATS token authentication.</summary>
    public string? Token { get; init; }

    /// <summary>NATS user name, with <see cref="Password"/>.</summary>
    public string? Username { get; init; }

    /// <summary>NATS password, with <see cref="Username"/>.</summary>
    public string? Password { get; init; }

    /// <summary>NATS NKey seed (<c>SU…</c>) for NKey authentication.</summary>
    public string? NKeySeed { get; init; }

    /// <summary>Path of a NATS <c>.creds</c> file (JWT and NKey seed).</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>
    /// PEM file of the certificate authority that signs the server's certificate, for a server whose certificate the
    /// system does not trust (a private CA).
    /// </summary>
    public string? TlsCaFile { get; init; }

    /// <summary>PEM client certificate, for a server that requires one (mutual TLS); with <see cref="TlsKeyFile"/>.</summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>PEM private key of <see cref="TlsCertificateFile"/>.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>
    /// Any other TLS setting, passed to NATS.Client.Core as it is (e.g. <c>Mode = TlsMode.Require</c>);
    /// <see cref="TlsCaFile"/>, <see cref="TlsCertificateFile"/> and <see cref="TlsKeyFile"/> take precedence over its files.
    /// </summary>
    public NatsTlsOpts? Tls { get; init; }

    /// <summary>How long to try to reach the server before <see cref="AgentBus.ConnectAsync"/> fails. Defaults to 5 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the NATS client waits after the first failed attempt to reconnect before it tries the next server; each
    /// further failure doubles the wait up to <see cref="ReconnectWaitMax"/>. Defaults to 100 ms (the client's own default
    /// is 2 s). At least 1 ms and at most 24 days: zero would make the client retry in a tight loop while every server is
    /// down. Checked by <see cref="AgentBus.ConnectAsync"/>.
    /// </summary>
    /// <remarks>
    /// The client's first reconnect attempt after a node dies is often that dead node itself (it learns the cluster's
    /// URLs from the server, and the dead node's own entry is not recognised as the URL it was connected to), so this
    /// wait is, in practice, the failover time of a cluster: see docs/reliability.md, "Cluster failover".
    /// </remarks>
    public TimeSpan ReconnectWaitMin { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest wait between reconnect attempts, reached by doubling <see cref="ReconnectWaitMin"/> while attempts
    /// keep failing (every server down). Defaults to 2 seconds, so that an agent is back within about 2 s of its server
    /// returning, well inside a call's default timeout. At least <see cref="ReconnectWaitMin"/>; when equal, the wait is
    /// constant. Checked by <see cref="AgentBus.ConnectAsync"/>.
    /// </summary>
    public TimeSpan ReconnectWaitMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A random extra wait, between zero and this, added to every wait between reconnect attempts, so that the agents
    /// of a fleet that lost the same server do not all reconnect in the same instant. Defaults to 100 ms; zero turns it
    /// off; at most 24 days. Checked by <see cref="AgentBus.ConnectAsync"/>.
    /// </summary>
    public TimeSpan ReconnectJitter { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Connect to the servers of <see cref="Url"/> in their order, and reconnect to those the cluster advertises in its
    /// order (then those of <see cref="Url"/>), instead of in a random order. Off by default: a random order spreads a
    /// fleet's connections over the cluster's nodes. When on, every agent connects to the first reachable URL, and after
    /// that node dies the first reconnect attempt is always the dead node (a server advertises itself first), which
    /// costs one <see cref="ReconnectWaitMin"/>.
    /// </summary>
    public bool NoRandomize { get; init; }

    /// <summary>A last say over the NATS options the bus built from these settings, for anything not covered here.</summary>
    public Func<NatsOpts, NatsOpts>? ConfigureNats { get; init; }

    /// <summary>
    /// Filters that run around every call of this bus's typed contract clients, outermost first (see
    /// <see cref="Contracts.IAnaClientFilter"/>); none by default.
    /// </summary>
    public IReadOnlyList<Contracts.IAnaClientFilter>? ClientFilters { get; init; }

    /// <summary>The default options: <c>ANA_NATS_URL</c> or local NATS, prefix <c>cc.fleet</c>.</summary>
    public static AgentBusOptions Default => new();

    /// <summary>How long a reply subject no call waits on stays subscribed (tests shorten it).</summary>
    internal TimeSpan ReplySubjectLinger { get; init; } = ReplySubjects.DefaultLinger;

    /// <summary>How many reply subjects no call waits on stay subscribed at most (tests lower it).</summary>
    internal int MaxIdleReplySubjects { get; init; } = ReplySubjects.DefaultMaxIdle;

    /// <summary>Prints the options with every secret (token, password, NKey seed, credentials in the URL) masked.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Url = ").Append(UrlSecrets.Redact(Url));
        builder.Append(", Prefix = ").Append(Prefix);
        builder.Append(", AuditLogPath = ").Append(AuditLogPath);
        builder.Append(", DefaultTimeout = ").Append(DefaultTimeout);
        builder.Append(", StreamWindow = ").Append(StreamWindow);
        builder.Append(", Host = ").Append(Host);
        builder.Append(", MirrorRepliesToReplySubject = ").Append(MirrorRepliesToReplySubject);
        builder.Append(", ExposeExceptionMessages = ").Append(ExposeExceptionMessages);
        builder.Append(", ShutdownGrace = ").Append(ShutdownGrace);
        builder.Append(", MaxConcurrentHandlers = ").Append(MaxConcurrentHandlers);
        builder.Append(", MaxQueuedHandlers = ").Append(MaxQueuedHandlers);
        builder.Append(", ClockSkewAllowance = ").Append(ClockSkewAllowance);
        builder.Append(", MaxEnvelopeBytes = ").Append(MaxEnvelopeBytes);
        builder.Append(", MaxControlLineBytes = ").Append(MaxControlLineBytes);
        builder.Append(", Token = ").Append(Token is null ? null : "***");
        builder.Append(", Username = ").Append(Username);
        builder.Append(", Password = ").Append(Password is null ? null : "***");
        builder.Append(", NKeySeed = ").Append(NKeySeed is null ? null : "***");
        builder.Append(", CredentialsFile = ").Append(CredentialsFile);
        builder.Append(", TlsCaFile = ").Append(TlsCaFile);
        builder.Append(", TlsCertificateFile = ").Append(TlsCertificateFile);
        builder.Append(", TlsKeyFile = ").Append(TlsKeyFile);
        builder.Append(", ConnectTimeout = ").Append(ConnectTimeout);
        builder.Append(", ReconnectWaitMin = ").Append(ReconnectWaitMin);
        builder.Append(", ReconnectWaitMax = ").Append(ReconnectWaitMax);
        builder.Append(", ReconnectJitter = ").Append(ReconnectJitter);
        builder.Append(", NoRandomize = ").Append(NoRandomize);
        return true;
    }
}
