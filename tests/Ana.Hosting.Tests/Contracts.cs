using Ana.Contracts;

namespace Ana.Hosting.Tests;

[AnaAgent("host-greeter")]
public partial interface IGreeter
{
    Task<string> GreetAsync(string name, CancellationToken ct = default);

    Task<int> InstanceAsync();

    Task<string> HoldAsync(string gate, CancellationToken ct = default);

    Task FailAsync();
}

/// <summary>What the scoped dependencies of one host did: how many were created and disposed.</summary>
public sealed class ProbeLog
{
    private int _created;
    private int _disposed;

    public int Created => Volatile.Read(ref _created);

    public int Disposed => Volatile.Read(ref _disposed);

    public int Create() => Interlocked.Increment(ref _created);

    public void Dispose() => Interlocked.Increment(ref _disposed);
}

/// <summary>A scoped dependency that records its disposal.</summary>
public sealed class CallScopeProbe(ProbeLog log) : IDisposable
{
    public int Id { get; } = log.Create();

    public void Dispose() => log.Dispose();
}

/// <summary>Gates that <see cref="IGreeter.HoldAsync"/> waits on, by name.</summary>
public sealed class Gates
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _gates = new();

    public int Entered;

    public TaskCompletionSource this[string name] => _gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void OpenAll()
    {
        foreach (TaskCompletionSource gate in _gates.Values)
        {
            gate.TrySetResult();
        }
    }
}

public sealed class Greeter(CallScopeProbe probe, Gates gates) : IGreeter
{
    public Task<string> GreetAsync(string name, CancellationToken ct) => Task.FromResult("hello " + name);

    public Task<int> InstanceAsync() => Task.FromResult(probe.Id);

    public async Task<string> HoldAsync(string gate, CancellationToken ct)
    {
        Interlocked.Increment(ref gates.Entered);
        await gates[gate].Task.WaitAsync(ct);
        return "released " + gate;
    }

    public Task FailAsync() => throw new AnaException("nope", "refused on purpose");
}

/// <summary>A server filter that lets only "alice" call.</summary>
public sealed class OnlyAlice : IAnaServerFilter
{
    public ValueTask InvokeAsync(AnaCallContext context, AnaServerCallNext continuation)
        => context.From == "alice" ? continuation() : throw new AnaException("forbidden", context.From + " may not call.");
}

/// <summary>A server filter that refuses greeting one name, read from the call's typed arguments.</summary>
public sealed class NamePolicy : IAnaServerFilter
{
    public ValueTask InvokeAsync(AnaCallContext context, AnaServerCallNext continuation)
        => context.Method?.Name == nameof(IGreeter.GreetAsync) && context.Arguments!.GetValue<string>(0) == "mallory"
            ? throw new AnaException("forbidden_name", "mallory is not greeted.")
            : continuation();
}

/// <summary>A client filter that counts the calls it sees and records the typed arguments of each.</summary>
public sealed class CountingClientFilter : IAnaClientFilter
{
    public int Calls;

    public System.Collections.Concurrent.ConcurrentQueue<string> Seen { get; } = new();

    public ValueTask<Reply?> InvokeAsync(AnaClientCall context, AnaClientCallNext continuation)
    {
        Interlocked.Increment(ref Calls);
        AnaCallArguments arguments = context.Arguments!;
        Seen.Enqueue($"{context.Method} {string.Join(",", Enumerable.Range(0, arguments.Count).Select(i => $"{arguments.GetName(i)}={arguments.GetValue(i)}"))}");
        return continuation();
    }
}
