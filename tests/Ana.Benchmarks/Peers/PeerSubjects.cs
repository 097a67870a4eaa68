namespace Ana.Benchmarks.Peers;

/// <summary>The NATS names the peers' callers and servers agree on (gRPC has its own service, Peers/Grpc/peer_bench.proto).</summary>
internal static class PeerSubjects
{
    /// <summary>The ana prefix of the typed stack's server, apart from the wire benchmark's.</summary>
    public const string AnaPrefix = "bench.peer.ana";

    /// <summary>The agent that serves <c>IBench</c> for the typed stack.</summary>
    public const string AnaAgent = "bench-peer";

    public const string RawEcho = "bench.peer.raw.echo";

    public const string RawEchoAfterWait = "bench.peer.raw.echo_after_wait";

    public const string MicroService = "bench-peer";

    public const string MicroEcho = "bench.peer.micro.echo";

    public const string MicroEchoAfterWait = "bench.peer.micro.echo_after_wait";

    public static string Raw(PeerHandler handler) => handler == PeerHandler.Immediate ? RawEcho : RawEchoAfterWait;

    public static string Micro(PeerHandler handler) => handler == PeerHandler.Immediate ? MicroEcho : MicroEchoAfterWait;
}
