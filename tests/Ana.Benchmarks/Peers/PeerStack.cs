namespace Ana.Benchmarks.Peers;

/// <summary>The stacks the peers benchmark compares; <see cref="RawNats"/> is the baseline of every ratio.</summary>
internal enum PeerStack
{
    /// <summary>NATS.Client.Core <c>RequestAsync</c> to a hand-written responder.</summary>
    RawNats,

    /// <summary><c>RequestAsync</c> to a NATS.Client.Services (NATS micro) endpoint.</summary>
    NatsMicro,

    /// <summary>gRPC-dotnet unary over HTTP/2 cleartext on loopback.</summary>
    Grpc,

    /// <summary>The generated Ana.Contracts client to the generated dispatcher.</summary>
    Ana,
}

/// <summary>The names of stacks and handlers in the report, and on the peer server's command line.</summary>
internal static class PeerNames
{
    public static IReadOnlyList<PeerStack> Stacks { get; } = Enum.GetValues<PeerStack>();

    public static string Name(this PeerStack stack) => stack switch
    {
        PeerStack.RawNats => "raw NATS",
        PeerStack.NatsMicro => "NATS micro",
        PeerStack.Grpc => "gRPC",
        _ => "Ana.Contracts",
    };

    /// <summary>The word that names the stack on the server process's command line.</summary>
    public static string Argument(this PeerStack stack) => stack.ToString().ToLowerInvariant();

    public static string Name(this PeerHandler handler) => handler == PeerHandler.Immediate ? "handler answers at once" : "handler awaits 1 ms";
}
