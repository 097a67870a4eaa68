namespace Ana.Contracts.Net8Library;

/// <summary>A contract compiled for net8.0 whose DTOs declare defaults: each method echoes what the server read.</summary>
[AnaAgent("legacy-planner")]
public partial interface ILegacyPlanner
{
    Task<LegacyRequest> EchoClassAsync(LegacyRequest request);

    Task<LegacyRecord> EchoRecordAsync(LegacyRecord plan);

    Task<LegacyWindow> EchoStructAsync(LegacyWindow window);

    Task<LegacyBatch<LegacyRecord>> EchoBatchAsync(LegacyBatch<LegacyRecord> batch);
}

public enum LegacyUrgency
{
    Low,
    Normal,
}

public sealed class LegacyRequest
{
    public required string Goal { get; init; }

    public LegacyUrgency Urgency { get; init; } = LegacyUrgency.Normal;

    public IReadOnlyList<string> Constraints { get; init; } = [];
}

public sealed record LegacyRecord(string Goal, int Steps = 4)
{
    public string Owner { get; init; } = "nobody";
}

public struct LegacyWindow
{
    public LegacyWindow()
    {
    }

    public required string Name { get; init; }

    public int Hours { get; init; } = 8;
}

public sealed class LegacyBatch<T>
{
    public required IReadOnlyList<T> Items { get; init; }

    public int Size { get; set; } = 50;
}

/// <summary>The server side.</summary>
public sealed class LegacyPlanner : ILegacyPlanner
{
    public Task<LegacyRequest> EchoClassAsync(LegacyRequest request) => Task.FromResult(request);

    public Task<LegacyRecord> EchoRecordAsync(LegacyRecord plan) => Task.FromResult(plan);

    public Task<LegacyWindow> EchoStructAsync(LegacyWindow window) => Task.FromResult(window);

    public Task<LegacyBatch<LegacyRecord>> EchoBatchAsync(LegacyBatch<LegacyRecord> batch) => Task.FromResult(batch);
}
