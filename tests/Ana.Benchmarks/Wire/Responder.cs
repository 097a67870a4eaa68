using System.Globalization;
using System.Text;
using System.Text.Json;
using Ana.Benchmarks.Contract;
using Ana.Benchmarks.Profiling;
using Ana.Contracts;
using NATS.Client.Core;

namespace Ana.Benchmarks.Wire;

/// <summary>
/// The responder process: a raw NATS.Client.Core responder (the baseline), the generated <see cref="IBench"/> dispatcher,
/// and a responder that replies on the reply subject as a Python <c>ana</c> agent does. Prints <c>ready</c> once all three
/// listen, and runs until its standard input closes.
/// </summary>
internal static class Responder
{
    public const string ReadyLine = "ready";

    /// <summary>Makes the responder sample its allocations while it serves, and print them when it stops.</summary>
    public const string ProfileFlag = "--profile-allocations";

    public static async Task<int> RunAsync(string url, bool profileAllocations)
    {
        NatsJsonContextSerializer<Reading> readings = new(ReferenceJsonContext.Default);
        await using NatsConnection raw = new(NatsOpts.Default with { Url = url, Name = "bench-raw-responder" });
        await raw.ConnectAsync();
        INatsSub<Reading> rawEcho = await raw.SubscribeCoreAsync(BenchSubjects.RawEcho, serializer: readings);
        INatsSub<byte[]> control = await raw.SubscribeCoreAsync<byte[]>(BenchSubjects.AllocatedBytes);
        Task rawLoop = ServeRawAsync(rawEcho, readings);
        Task controlLoop = ServeAllocatedBytesAsync(control);

        AgentBusOptions options = new() { Url = url, Prefix = BenchSubjects.Prefix, MaxConcurrentHandlers = 64 };
        await using AgentBus server = await AgentBus.ConnectAsync("bench-server", options);
        await using AgentSubscription typed = await server.ServeAsync<IBench>(new Bench(), new ServeOptions { MaxConcurrency = 64 });
        await using AgentSubscription replySubject = await server.SubscribeAsync(
            server.Subjects.VerbWildcard(BenchSubjects.ReplySubjectAgent, SubjectVerb.Query),
            (envelope, context) => EchoAsync(server, envelope, context, onReplySubject: true));
        await using AgentSubscription inbox = await server.SubscribeAsync(
            server.Subjects.VerbWildcard(BenchSubjects.InboxEchoAgent, SubjectVerb.Query),
            (envelope, context) => EchoAsync(server, envelope, context, onReplySubject: false));
        await raw.PingAsync();

        using AllocationSampler? sampler = profileAllocations ? new AllocationSampler() : null;
        sampler?.Start();
        Console.Out.WriteLine(ReadyLine);
        Console.Out.Flush();
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        if (sampler is not null)
        {
            Console.Out.WriteLine("Responder process, allocations by type (sampled):");
            Console.Out.WriteLine(sampler.Top(20));
        }

        await rawEcho.UnsubscribeAsync();
        await control.UnsubscribeAsync();
        await Task.WhenAll(rawLoop, controlLoop);
        return 0;
    }

    /// <summary>The hand-written NATS responder a user would write without Ana: read, reply with the same value.</summary>
    private static async Task ServeRawAsync(INatsSub<Reading> subscription, NatsJsonContextSerializer<Reading> serializer)
    {
        await foreach (NatsMsg<Reading> msg in subscription.Msgs.ReadAllAsync())
        {
            await msg.ReplyAsync(msg.Data!, serializer: serializer);
        }
    }

    private static async Task ServeAllocatedBytesAsync(INatsSub<byte[]> subscription)
    {
        await foreach (NatsMsg<byte[]> msg in subscription.Msgs.ReadAllAsync())
        {
            string total = GC.GetTotalAllocatedBytes(precise: true).ToString(CultureInfo.InvariantCulture);
            await msg.ReplyAsync(Encoding.ASCII.GetBytes(total));
        }
    }

    /// <summary>
    /// Echoes the query's argument: on the caller's inbox, or as a Python <c>ana</c> responder does, ignoring the inbox and
    /// publishing on the agent's reply subject. The same work either way, so that only the reply's path differs.
    /// </summary>
    private static ValueTask EchoAsync(AgentBus bus, Envelope envelope, InboundContext context, bool onReplySubject)
    {
        if (envelope is not Query query)
        {
            return default;
        }

        JsonElement? reading = query.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("reading", out JsonElement value) ? value : null;
        if (!onReplySubject)
        {
            return context.ReplyAsync(reading);
        }

        AgentSubject target = bus.Subjects.Parse(context.Subject);
        Reply reply = new()
        {
            From = bus.Identity,
            Ts = DateTimeOffset.UtcNow,
            ReplyFor = context.Subject,
            RequestId = query.RequestId,
            Data = reading,
        };
        return bus.PublishAsync(bus.Subjects.Build(target.Agent, SubjectVerb.Reply, target.Topic), reply);
    }
}
