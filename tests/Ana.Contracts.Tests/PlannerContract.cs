namespace Ana.Contracts.Tests;

/// <summary>
/// A contract whose DTOs declare defaults and nullability the way C# developers write them (issue #11, items 2, 3 and 9):
/// each method echoes what it received, so a test sees what the server's deserializer made of the JSON.
/// </summary>
[AnaAgent("planner")]
public partial interface IPlanner
{
    Task<PlanRequest> EchoClassAsync(PlanRequest request);

    Task<PlanRecord> EchoRecordAsync(PlanRecord plan);

    Task<PlanWindow> EchoStructAsync(PlanWindow window);

    Task<Batch<PlanRecord>> EchoBatchAsync(Batch<PlanRecord> batch);

    Task<Slot> EchoSlotAsync(Slot slot);

    Task<DerivedPlan> EchoDerivedAsync(DerivedPlan plan);

    Task<string> ModeAsync(string mode = "fast", string? hint = "none");

    /// <summary>Returns an <see cref="Outcome"/> whose non-nullable <see cref="Outcome.Summary"/> is null.</summary>
    Task<Outcome> BrokenAsync();
}

public enum Urgency
{
    Low,
    Normal,
    High,
}

/// <summary>A class: a required member, init members with initializers, a nullable member whose initializer is not null.</summary>
public sealed class PlanRequest
{
    public required string Goal { get; init; }

    public Urgency Urgency { get; init; } = Urgency.Normal;

    public IReadOnlyList<string> Constraints { get; init; } = [];

    public string? Note { get; init; } = "none";

    public int Retries { get; set; } = 3;
}

/// <summary>A record with a primary constructor (one parameter with a default) and init members with initializers.</summary>
public sealed record PlanRecord(string Goal, int Steps = 4)
{
    public Urgency Urgency { get; init; } = Urgency.Normal;

    public IReadOnlyList<string> Constraints { get; init; } = ["safe"];

    public string Owner { get; init; } = "nobody";
}

/// <summary>A struct with an explicit constructor, a required member and init members with initializers.</summary>
public struct PlanWindow
{
    public PlanWindow()
    {
    }

    public required string Name { get; init; }

    public int Hours { get; init; } = 8;

    public string Zone { get; init; } = "UTC";
}

/// <summary>A generic DTO: constructed through its object initializer (see ANA015), so its defaults live on settable members.</summary>
public sealed class Batch<T>
{
    public required IReadOnlyList<T> Items { get; init; }

    public int Size { get; set; } = 50;

    public string Label { get; set; } = "batch";
}

/// <summary>A struct with a required member and no declared constructor: built as <c>default</c>.</summary>
public struct Slot
{
    public required string Name { get; init; }

    public int Index { get; init; }
}

/// <summary>init members declared by a base class and by the derived one.</summary>
public class BasePlan
{
    public string Kind { get; init; } = "base";
}

public sealed class DerivedPlan : BasePlan
{
    public int Level { get; init; } = 2;
}

public sealed record Outcome(string Summary, string? Detail);

/// <summary>The server side of <see cref="IPlanner"/>.</summary>
public sealed class Planner : IPlanner
{
    public Task<PlanRequest> EchoClassAsync(PlanRequest request) => Task.FromResult(request);

    public Task<PlanRecord> EchoRecordAsync(PlanRecord plan) => Task.FromResult(plan);

    public Task<PlanWindow> EchoStructAsync(PlanWindow window) => Task.FromResult(window);

    public Task<Batch<PlanRecord>> EchoBatchAsync(Batch<PlanRecord> batch) => Task.FromResult(batch);

    public Task<Slot> EchoSlotAsync(Slot slot) => Task.FromResult(slot);

    public Task<DerivedPlan> EchoDerivedAsync(DerivedPlan plan) => Task.FromResult(plan);

    public Task<string> ModeAsync(string mode = "fast", string? hint = "none") => Task.FromResult($"{mode}/{hint ?? "null"}");

    public Task<Outcome> BrokenAsync() => Task.FromResult(new Outcome(null!, "d"));
}
