namespace Ana.Benchmarks.Peers;

/// <summary>What the handler of every stack does before it answers.</summary>
internal enum PeerHandler
{
    /// <summary>Answers at once with the reading it was sent.</summary>
    Immediate,

    /// <summary>Awaits 1 ms (I/O-bound work), then answers.</summary>
    AfterWait,
}
