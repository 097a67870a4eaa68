namespace Ana.Benchmarks.Peers.Servers;

/// <summary>One stack's server, running in the peer server process until disposed.</summary>
internal interface IPeerServer : IAsyncDisposable
{
    /// <summary>Where callers reach it: empty for the NATS stacks (the subjects say it), the http address for gRPC.</summary>
    string Address { get; }
}
