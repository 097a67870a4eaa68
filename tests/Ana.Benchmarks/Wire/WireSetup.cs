using Ana.Testing.Nats;
using NATS.Client.Core;

namespace Ana.Benchmarks.Wire;

/// <summary>
/// What every over-the-wire measurement stands on: a nats-server on loopback, the responder process, and in this process
/// a raw NATS connection and an <see cref="AgentBus"/> with the three ways of calling.
/// </summary>
internal sealed class WireSetup : IAsyncDisposable
{
    private readonly NatsServer _server;
    private readonly ResponderProcess _responder;

    private WireSetup(NatsServer server, ResponderProcess responder, NatsConnection connection, AgentBus bus)
    {
        _server = server;
        _responder = responder;
        Connection = connection;
        Bus = bus;
        Raw = new RawRequestCaller(connection);
        Typed = new TypedCaller(bus, BenchSubjects.InboxAgent);
        TypedViaReplySubject = new TypedCaller(bus, BenchSubjects.ReplySubjectAgent);
        TypedViaInbox = new TypedCaller(bus, BenchSubjects.InboxEchoAgent);
    }

    public NatsConnection Connection { get; }

    public int ResponderProcessId => _responder.Id;

    public AgentBus Bus { get; }

    /// <summary>The baseline: raw <c>RequestAsync</c> to the hand-written responder.</summary>
    public IEchoCaller Raw { get; }

    /// <summary>The generated client to the generated dispatcher, which replies to the caller's inbox.</summary>
    public IEchoCaller Typed { get; }

    /// <summary>The generated client to a hand-written responder that replies on the reply subject, as a Python agent does.</summary>
    public IEchoCaller TypedViaReplySubject { get; }

    /// <summary>The generated client to the same hand-written responder replying on the caller's inbox.</summary>
    public IEchoCaller TypedViaInbox { get; }

    public static async Task<WireSetup> StartAsync(bool profileResponder, CancellationToken cancellationToken)
    {
        NatsServer server = await NatsServer.StartAsync([], cancellationToken);
        ResponderProcess? responder = null;
        NatsConnection? connection = null;
        try
        {
            responder = await ResponderProcess.StartAsync(server.Url, profileResponder, cancellationToken);
            connection = new NatsConnection(NatsOpts.Default with { Url = server.Url, Name = "bench-raw-caller" });
            await connection.ConnectAsync();
            AgentBus bus = await AgentBus.ConnectAsync(
                "bench-caller",
                new AgentBusOptions { Url = server.Url, Prefix = BenchSubjects.Prefix, DefaultTimeout = TimeSpan.FromSeconds(10) },
                cancellationToken);
            return new WireSetup(server, responder, connection, bus);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            if (responder is not null)
            {
                await responder.DisposeAsync();
            }

            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Bus.DisposeAsync();
        await Connection.DisposeAsync();
        await _responder.DisposeAsync();
        await _server.DisposeAsync();
    }
}
