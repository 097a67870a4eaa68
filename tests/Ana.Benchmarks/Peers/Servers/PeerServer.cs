using System.Globalization;

namespace Ana.Benchmarks.Peers.Servers;

/// <summary>
/// The peer server process: this program started again as <c>peer-server STACK NATS_URL</c>, serving one stack. Prints
/// <c>ready ADDRESS</c>, then answers the benchmark's commands on its standard input, one line each, until the input closes.
/// </summary>
internal static class PeerServer
{
    public const string Verb = "peer-server";
    public const string ReadyWord = "ready";

    /// <summary>Answered with <c>GC.GetTotalAllocatedBytes</c>, for the server's bytes per call.</summary>
    public const string AllocatedCommand = "allocated";

    /// <summary>Answered with the working set and the managed heap after a full, compacting collection (bytes).</summary>
    public const string MemoryCommand = "memory";

    public static async Task<int> RunAsync(string stackArgument, string natsUrl)
    {
        PeerStack? chosen = PeerNames.Stacks.FirstOrDefault(stack => stack.Argument() == stackArgument);
        if (chosen is not { } stack)
        {
            await Console.Error.WriteLineAsync($"unknown stack '{stackArgument}'");
            return 2;
        }

        await using IPeerServer server = stack switch
        {
            PeerStack.RawNats => await RawNatsPeerServer.StartAsync(natsUrl),
            PeerStack.NatsMicro => await MicroPeerServer.StartAsync(natsUrl),
            PeerStack.Grpc => await GrpcPeerServer.StartAsync(),
            _ => await AnaPeerServer.StartAsync(natsUrl),
        };

        Console.Out.WriteLine($"{ReadyWord} {server.Address}");
        Console.Out.Flush();
        while (await Console.In.ReadLineAsync() is { } command)
        {
            string answer = command switch
            {
                AllocatedCommand => GC.GetTotalAllocatedBytes(precise: true).ToString(CultureInfo.InvariantCulture),
                MemoryCommand => ProcessMemory.AfterFullCollection().ToString(),
                _ => "?",
            };
            Console.Out.WriteLine(answer);
            Console.Out.Flush();
        }

        return 0;
    }
}
