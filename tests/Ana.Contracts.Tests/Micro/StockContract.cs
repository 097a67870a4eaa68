namespace Ana.Contracts.Tests.Micro;

/// <summary>A contract with a declared version, a dotted topic, a failing method and a one-way method: what discovery shows.</summary>
[AnaAgent("micro-stock", Version = "1.2.0-beta.1+abc123")]
public partial interface IStock
{
    Task<int> LevelAsync(string item, CancellationToken cancellationToken = default);

    [AnaTopic("orders.place")]
    Task<string> PlaceAsync(string item, int quantity = 1);

    Task RefuseAsync();

    [AnaOneWay]
    Task NoteAsync(string text);
}

/// <summary>A contract without a version, whose method is the topic <c>default</c> (also reached by the bare query subject).</summary>
[AnaAgent("micro-plain")]
public partial interface IPlain
{
    Task<string> DefaultAsync();
}

/// <summary>A contract whose declared version is not a semantic version.</summary>
[AnaAgent("micro-badversion", Version = "1.2")]
public partial interface IBadVersion
{
    Task PingAsync();
}

internal sealed class Stock : IStock
{
    private readonly TaskCompletionSource<string> _noted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Noted => _noted.Task;

    public Task<int> LevelAsync(string item, CancellationToken cancellationToken) => Task.FromResult(item.Length);

    public Task<string> PlaceAsync(string item, int quantity) => Task.FromResult($"{quantity} x {item}");

    public Task RefuseAsync() => throw new AnaException("forbidden", "Not you.");

    public Task NoteAsync(string text)
    {
        _noted.TrySetResult(text);
        return Task.CompletedTask;
    }
}

internal sealed class Plain : IPlain
{
    public Task<string> DefaultAsync() => Task.FromResult("plain");
}

internal sealed class BadVersion : IBadVersion
{
    public Task PingAsync() => Task.CompletedTask;
}
