// DTOs exercised by the JSON context tests. This file is compiled twice: into the test assembly (where System.Text.Json's
// own generator builds ReferenceJsonContext over it) and, as an embedded resource, into compilations made at test time.
// Keep it C# 12 and .NET 8 compatible, with explicit usings.
using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ana.Contracts.Generator.Tests.Json.Dtos;

public enum JobState
{
    Pending,
    InProgress,
    Done,
    FailedHard,
}

[Flags]
public enum Permissions
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
    ReadWrite = Read | Write,
}

public enum Tiny : byte
{
    Zero,
    One,
    HTTPStatus,
}

/// <summary>A positional record with optional parameters.</summary>
public sealed record Job(string Id, string Title, JobState State, int Priority = 5, string? Note = null);

public sealed class Owner
{
    public string Name { get; set; } = "";

    public string? Email { get; set; }

    public Guid Id { get; set; }

    public Uri? Homepage { get; set; }
}

/// <summary>Required and init-only members.</summary>
public sealed class Submission
{
    public required string RequestId { get; init; }

    public required Job Job { get; init; }

    public Owner? Owner { get; init; }

    public DateTimeOffset SubmittedAt { get; set; }

    [JsonRequired]
    public int Attempt { get; set; }

    public IReadOnlyList<string>? Tags { get; init; }

    public required Permissions Permissions { get; set; }
}

public sealed class Primitives
{
    public bool Bool { get; set; }

    public byte Byte { get; set; }

    public sbyte SByte { get; set; }

    public short Int16 { get; set; }

    public ushort UInt16 { get; set; }

    public int Int32 { get; set; }

    public uint UInt32 { get; set; }

    public long Int64 { get; set; }

    public ulong UInt64 { get; set; }

    public float Single { get; set; }

    public double Double { get; set; }

    public decimal Decimal { get; set; }

    public char Char { get; set; }

    public string? String { get; set; }

    public DateTime DateTime { get; set; }

    public DateTimeOffset DateTimeOffset { get; set; }

    public TimeSpan TimeSpan { get; set; }

    public Guid Guid { get; set; }

    public Uri? Uri { get; set; }

    public JsonElement Element { get; set; }

    public JsonElement? MaybeElement { get; set; }

    public int? NullableInt32 { get; set; }

    public double? NullableDouble { get; set; }

    public DateTime? NullableDateTime { get; set; }

    public Guid? NullableGuid { get; set; }

    public JobState? NullableState { get; set; }

    public byte[]? Bytes { get; set; }

    public DateOnly Date { get; set; }

    public TimeOnly Time { get; set; }

    public Int128 Huge { get; set; }

    public Half Half { get; set; }

    public Version? Version { get; set; }

    public Tiny Tiny { get; set; }

    public Permissions Permissions { get; set; }
}

public sealed class Collections
{
    public int[]? Numbers { get; set; }

    public string?[] Words { get; set; } = [];

    public List<string> List { get; set; } = [];

    public IList<int>? IList { get; set; }

    public IReadOnlyList<Owner>? Owners { get; set; }

    public IEnumerable<string>? Enumerable { get; set; }

    public ICollection<long>? Collection { get; set; }

    public IReadOnlyCollection<Guid>? ReadOnlyCollection { get; set; }

    public Dictionary<string, int> Counts { get; set; } = new();

    public IDictionary<string, Owner>? OwnersByName { get; set; }

    public IReadOnlyDictionary<string, List<int>>? Groups { get; set; }

    public Dictionary<string, string?>? Labels { get; set; }

    public List<int?>? MaybeNumbers { get; set; }

    public JobState[]? States { get; set; }

    public List<List<string>>? Nested { get; set; }

    public int[][]? Jagged { get; set; }

    public List<Job>? Jobs { get; set; }
}

/// <summary>A recursive type.</summary>
public sealed class TreeNode
{
    public string Name { get; set; } = "";

    public List<TreeNode> Children { get; set; } = [];

    public Dictionary<string, TreeNode>? Index { get; set; }

    public TreeNode[]? Siblings { get; set; }
}

public sealed class Outer
{
    public Inner? Child { get; set; }

    public sealed class Inner
    {
        public int Value { get; set; }

        public Deep? Deeper { get; set; }

        public sealed record Deep(string Leaf);
    }
}

/// <summary>Attributes and accessors.</summary>
public sealed class Annotated
{
    public int Field;

    [JsonPropertyName("custom-name")]
    public string? Renamed { get; set; }

    [JsonPropertyName("ñame✓")]
    public string? Unicode { get; set; }

    [JsonIgnore]
    public string? Secret { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Count { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? AlwaysWritten { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NullSkipped { get; set; }

    [JsonPropertyOrder(10)]
    public string? Last { get; set; }

    [JsonPropertyOrder(-1)]
    public string? First { get; set; }

    public string Computed => "computed:" + Count;

    public string? PrivateSetter { get; private set; }

    public static string StaticProperty { get; set; } = "static";

    public string this[int index] => index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal string? InternalProperty { get; set; }

    [JsonInclude]
    public string? Included { get; set; }
}

public class BaseEvent
{
    public string Id { get; set; } = "";

    public virtual string? Kind { get; set; }

    public int Sequence { get; set; }
}

public sealed class DerivedEvent : BaseEvent
{
    public override string? Kind { get; set; }

    public string? Extra { get; set; }

    public new long Sequence { get; set; }
}

public struct Point
{
    public int X { get; set; }

    public int Y { get; set; }
}

public readonly record struct Range(int Start, int End);

public sealed class Page<T>
{
    public List<T> Items { get; set; } = [];

    public int Total { get; set; }
}

/// <summary>A single public parameterized constructor on a class; get-only properties.</summary>
public sealed class Money
{
    public Money(decimal amount, string currency)
    {
        Amount = amount;
        Currency = currency;
    }

    public decimal Amount { get; }

    public string Currency { get; }
}

public sealed class Chosen
{
    public Chosen()
    {
        Origin = "parameterless";
    }

    [JsonConstructor]
    public Chosen(string name)
    {
        Name = name;
        Origin = "json";
    }

    public string? Name { get; }

    public string Origin { get; set; }
}

public sealed record Defaults(
    int A = 1,
    double B = 2.5,
    string C = "x\"y",
    JobState S = JobState.Done,
    bool F = true,
    long L = -5,
    decimal M = 1.25m,
    char Ch = 'q',
    int? N = null,
    float G = 1.5f,
    string? Nothing = null,
    short Small = -3,
    Permissions P = Permissions.ReadWrite);

public sealed class WithSetsRequired
{
    public WithSetsRequired()
    {
    }

    [SetsRequiredMembers]
    public WithSetsRequired(string name)
    {
        Name = name;
    }

    public required string Name { get; set; }
}

public sealed record Mixed(string Id)
{
    public required int Size { get; init; }

    public string? Comment { get; set; }

    public List<string>? Extra { get; init; }
}

/// <summary>Init-only members with initializers that JSON may leave out.</summary>
public sealed class InitDefaults
{
    public required string Name { get; init; }

    public int Retries { get; init; } = 3;

    public string Mode { get; init; } = "auto";

    public List<string> Tags { get; init; } = ["default"];
}

public sealed class Everything
{
    public Job? Job { get; set; }

    public Submission? Submission { get; set; }

    public Primitives? Primitives { get; set; }

    public Collections? Collections { get; set; }

    public TreeNode? Tree { get; set; }

    public Outer? Outer { get; set; }

    public Annotated? Annotated { get; set; }

    public DerivedEvent? Event { get; set; }

    public Point Point { get; set; }

    public Point? MaybePoint { get; set; }

    public Range Range { get; set; }

    public Page<Job>? JobPage { get; set; }

    public Money? Money { get; set; }

    public Chosen? Chosen { get; set; }

    public Defaults? Defaults { get; set; }

    public WithSetsRequired? SetsRequired { get; set; }

    public Mixed? Mixed { get; set; }

    public InitDefaults? InitDefaults { get; set; }
}
