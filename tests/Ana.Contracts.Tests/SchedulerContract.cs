using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ana.Contracts.Tests;

[AnaAgent("scheduler")]
public partial interface IScheduler
{
    Task<JobResult> SubmitAsync(Job job, CancellationToken ct = default);

    [AnaTopic("sum")]
    Task<long> AddAsync(int a, long b);

    [AnaTimeout(0.5)]
    Task<int> SlowAsync(int ms, CancellationToken ct = default);

    Task PingAsync();

    [AnaOneWay]
    Task NotifyAsync(string note);

    ValueTask<Inventory> GetInventoryAsync(IReadOnlyList<string>? filter, bool includeEmpty = false, CancellationToken cancellationToken = default);

    ValueTask<JobResult?> FindAsync(Guid jobId);

    Task<string> FailAsync(string code);

    /// <summary>Echoes durations, decimals, dates and times as it read them (invariant round-trip forms).</summary>
    Task<string> DescribeAsync(TimeSpan delay, decimal amount, DateTime due, DateTimeOffset at, DateOnly day, TimeOnly time, TimeSpan? every = null);

    /// <summary>The shape, scaled: polymorphic DTOs in and out.</summary>
    Task<Shape> ScaleAsync(Shape shape, double factor);

    /// <summary>What each shape is, in order.</summary>
    Task<List<string>> NameAsync(IReadOnlyList<Shape> shapes);
}

/// <summary>A polymorphic DTO: the discriminator <c>kind</c> and its values as declared, whatever the naming policy.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(Circle), "circle")]
[JsonDerivedType(typeof(Square), "square")]
public abstract record Shape
{
    public string? Label { get; init; }
}

public sealed record Circle(double Radius) : Shape;

public sealed record Square(double Side) : Shape;

public enum Priority
{
    Low,
    Normal,
    Urgent,
}

public sealed record Job(string Name, Priority Priority, IReadOnlyList<Step> Steps)
{
    public Guid Id { get; init; } = Guid.NewGuid();

    public DateTimeOffset? NotBefore { get; init; }

    public Dictionary<string, string> Labels { get; init; } = [];

    public Owner? Owner { get; init; }
}

public sealed record Step(string Command, TimeSpan Timeout, int[] ExitCodesAllowed);

public sealed class Owner
{
    public required string Name { get; init; }

    [JsonPropertyName("mail")]
    public string? Email { get; set; }
}

public sealed record JobResult
{
    public required Guid JobId { get; init; }

    public required JobState State { get; init; }

    public double? Score { get; init; }

    public List<string> Log { get; init; } = [];

    public JsonElement Extra { get; init; }

    public enum JobState
    {
        Queued,
        Done,
        Failed,
    }
}

public sealed class Inventory
{
    public IReadOnlyDictionary<string, Shelf> Shelves { get; set; } = new Dictionary<string, Shelf>();

    public DateTime TakenAt { get; set; }

    public sealed record Shelf(int Count, long? Capacity, char Code);
}
