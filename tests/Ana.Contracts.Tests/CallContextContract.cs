namespace Ana.Contracts.Tests;

/// <summary>A contract whose implementation reports the call context it runs in (issue 11, items 6, 7 and 12).</summary>
[AnaAgent("whoami")]
public partial interface IWhoAmI
{
    [AnaTimeout(20)]
    Task<CallSeen> WhoAsync(string note, CancellationToken cancellationToken = default);

    /// <summary>Answers a query on the bare <c>&lt;prefix&gt;.whoami.query</c> subject, as a Python peer sends it.</summary>
    [AnaTopic("default")]
    Task<string> DefaultAsync();
}

public sealed record CallSeen(
    string Note,
    string From,
    string? RequestId,
    string? Topic,
    string Agent,
    string Subject,
    DateTimeOffset? Deadline,
    bool SameToken,
    bool SeenAfterAwait);

public sealed class WhoAmI : IWhoAmI
{
    public async Task<CallSeen> WhoAsync(string note, CancellationToken cancellationToken = default)
    {
        AnaCallContext call = AnaCallContext.Current ?? throw new InvalidOperationException("No call context.");
        await Task.Delay(Random.Shared.Next(1, 30), cancellationToken);
        return new CallSeen(
            note,
            call.From,
            call.RequestId,
            call.Topic,
            call.Agent,
            call.Subject,
            call.Deadline,
            call.CancellationToken == cancellationToken,
            ReferenceEquals(AnaCallContext.Current, call));
    }

    public Task<string> DefaultAsync()
        => Task.FromResult($"default topic, asked by {AnaCallContext.Current?.From} on {AnaCallContext.Current?.Subject}");
}
