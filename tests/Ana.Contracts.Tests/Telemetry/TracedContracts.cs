namespace Ana.Contracts.Tests.Telemetry;

[AnaAgent("otel-front")]
public partial interface ITracedFront
{
    Task<string> EchoAsync(string text);

    /// <summary>Calls <see cref="ITracedBack"/> and returns what it answered: a second hop in the same trace.</summary>
    Task<string> RelayAsync(string text, CancellationToken ct = default);

    Task RefuseAsync();

    [AnaOneWay]
    Task NoteAsync(string text);

    IAsyncEnumerable<int> CountAsync(int count);
}

[AnaAgent("otel-back")]
public partial interface ITracedBack
{
    Task<string> EchoAsync(string text, CancellationToken ct = default);
}

internal sealed class TracedFront(ITracedBack back) : ITracedFront
{
    private readonly TaskCompletionSource<string> _noted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Noted => _noted.Task;

    public Task<string> EchoAsync(string text) => Task.FromResult(text);

    public async Task<string> RelayAsync(string text, CancellationToken ct) => await back.EchoAsync(text, ct);

    public Task RefuseAsync() => throw new AnaException("forbidden", "Not you.");

    public async IAsyncEnumerable<int> CountAsync(int count)
    {
        for (int i = 1; i <= count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    public Task NoteAsync(string text)
    {
        _noted.TrySetResult(text);
        return Task.CompletedTask;
    }
}

internal sealed class TracedBack : ITracedBack
{
    public Task<string> EchoAsync(string text, CancellationToken ct) => Task.FromResult("back:" + text);
}
