using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

// Test-only reflection over the test contracts' own DTOs: the trimming and AOT analyzers of this project guard the
// generated code, which this file does not take part in.
#pragma warning disable IL2026, IL2055, IL2060, IL2062, IL2067, IL2070, IL2072, IL2075, IL2080, IL3050

namespace Ana.Contracts.Tests.Schemas;

/// <summary>
/// Random values of the types a contract exchanges, built by reflection from a seed: every member that can hold something
/// does now and then, nulls only where the type's nullability allows them, derived types of polymorphic bases, and
/// enum values that are no member.
/// </summary>
internal sealed class RandomValues(int seed)
{
    private const int MaxDepth = 4;
    private readonly Random _random = new(seed);

    /// <summary>Whether <paramref name="info"/> says <c>null</c> is allowed: a nullable annotation, or none (nullable-oblivious).</summary>
    public static bool AllowsNull(NullabilityInfo? info)
        => info is null || (!info.Type.IsValueType && info.ReadState != NullabilityState.NotNull);

    // A NullabilityInfoContext caches without locks: one per question, since CsCheck samples on several threads.
    public static NullabilityInfo Of(ParameterInfo parameter) => new NullabilityInfoContext().Create(parameter);

    public static NullabilityInfo Of(PropertyInfo property) => new NullabilityInfoContext().Create(property);

    public object? Create(Type type, NullabilityInfo? nullability, int depth = 0)
    {
        if (!type.IsValueType && AllowsNull(nullability) && _random.Next(6) == 0)
        {
            return null;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return _random.Next(4) == 0 ? null : Create(underlying, null, depth);
        }

        if (type.IsEnum)
        {
            Array values = Enum.GetValues(type);
            return _random.Next(8) == 0 ? Enum.ToObject(type, 97) : values.GetValue(_random.Next(values.Length));
        }

        if (Scalar(type) is { } scalar)
        {
            return scalar;
        }

        if (type == typeof(JsonElement))
        {
            string[] samples = ["42", "\"text\"", "null", "[1,\"two\",{\"three\":3}]", "{\"nested\":{\"deep\":[true,false]}}"];
            using JsonDocument document = JsonDocument.Parse(samples[_random.Next(samples.Length)]);
            return document.RootElement.Clone();
        }

        if (type.IsArray)
        {
            Type element = type.GetElementType()!;
            Array array = Array.CreateInstance(element, Count(depth));
            for (int i = 0; i < array.Length; i++)
            {
                array.SetValue(Create(element, nullability?.ElementType, depth + 1), i);
            }

            return array;
        }

        if (type.IsGenericType && Collection(type, nullability, depth) is { } collection)
        {
            return collection;
        }

        return CreateObject(type, depth);
    }

    private object? Scalar(Type type)
    {
        Random r = _random;
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => r.Next(2) == 0,
            TypeCode.Byte => (byte)r.Next(256),
            TypeCode.SByte => (sbyte)r.Next(-128, 128),
            TypeCode.Int16 => (short)r.Next(short.MinValue, short.MaxValue + 1),
            TypeCode.UInt16 => (ushort)r.Next(ushort.MaxValue + 1),
            TypeCode.Int32 => r.Next(3) == 0 ? r.Next(-5, 5) : r.Next(int.MinValue, int.MaxValue),
            TypeCode.UInt32 => (uint)r.NextInt64(uint.MaxValue + 1L),
            TypeCode.Int64 => r.Next(3) == 0 ? long.MaxValue - r.Next(3) : r.NextInt64(long.MinValue, long.MaxValue),
            TypeCode.UInt64 => r.Next(3) == 0 ? ulong.MaxValue : (ulong)r.NextInt64(long.MaxValue),
            TypeCode.Single => (float)((r.NextDouble() - 0.5) * 1e6),
            TypeCode.Double => (r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-5, 15)),
            TypeCode.Decimal => (decimal)Math.Round((r.NextDouble() - 0.5) * 1e9, r.Next(0, 6)),
            TypeCode.Char => (char)r.Next(32, 0x2FF),
            TypeCode.String => Text(),
            TypeCode.DateTime => new DateTime(r.NextInt64(DateTime.UnixEpoch.Ticks, new DateTime(2100, 1, 1).Ticks), r.Next(2) == 0 ? DateTimeKind.Utc : DateTimeKind.Unspecified),
            _ when type == typeof(DateTimeOffset) => new DateTimeOffset(r.NextInt64(DateTime.UnixEpoch.Ticks, new DateTime(2100, 1, 1).Ticks), TimeSpan.FromMinutes(r.Next(-12 * 4, 14 * 4) * 15)),
            _ when type == typeof(TimeSpan) => TimeSpan.FromTicks(r.NextInt64(-TimeSpan.TicksPerDay * 40, TimeSpan.TicksPerDay * 40)),
            _ when type == typeof(DateOnly) => DateOnly.FromDayNumber(r.Next(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber, 800_000)),
            _ when type == typeof(TimeOnly) => new TimeOnly(r.NextInt64(TimeSpan.TicksPerDay)),
            _ when type == typeof(Guid) => Guid.NewGuid(),
            _ when type == typeof(Uri) => new Uri($"https://example.com/{Uri.EscapeDataString(Text())}"),
            _ when type == typeof(byte[]) => Enumerable.Range(0, r.Next(6)).Select(_ => (byte)r.Next(256)).ToArray(),
            _ => null,
        };
    }

    private string Text()
    {
        string[] pieces = ["", "a", "Ω", "\"quoted\"", "back\\slash", "tab\t", "line\nbreak", "emoji 🚀", "\u0001", "ascii"];
        int count = _random.Next(0, 3);
        return string.Concat(Enumerable.Range(0, count).Select(_ => pieces[_random.Next(pieces.Length)]));
    }

    private int Count(int depth) => depth >= MaxDepth ? 0 : _random.Next(0, 4);

    private object? Collection(Type type, NullabilityInfo? nullability, int depth)
    {
        Type definition = type.GetGenericTypeDefinition();
        Type[] arguments = type.GetGenericArguments();
        if (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(ICollection<>)
            || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>))
        {
            System.Collections.IList list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(arguments[0]))!;
            int count = Count(depth);
            for (int i = 0; i < count; i++)
            {
                list.Add(Create(arguments[0], Argument(nullability, 0), depth + 1));
            }

            return list;
        }

        if (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
        {
            System.Collections.IDictionary dictionary = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
            int count = Count(depth);
            for (int i = 0; i < count; i++)
            {
                dictionary[Text() + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Create(arguments[1], Argument(nullability, 1), depth + 1);
            }

            return dictionary;
        }

        return null;
    }

    private static NullabilityInfo? Argument(NullabilityInfo? nullability, int index)
        => nullability is { GenericTypeArguments.Length: > 0 } info && index < info.GenericTypeArguments.Length ? info.GenericTypeArguments[index] : null;

    private object CreateObject(Type type, int depth)
    {
        if (type.IsAbstract)
        {
            Type[] derived = type.GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToArray();
            return CreateObject(derived[_random.Next(derived.Length)], depth);
        }

        // The widest public constructor, not a record's copy constructor.
        ConstructorInfo? constructor = type.GetConstructors()
            .Where(c => !c.GetParameters().Any(p => p.ParameterType == type))
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();
        object instance;
        HashSet<string> bound = new(StringComparer.OrdinalIgnoreCase);
        if (constructor is null)
        {
            instance = Activator.CreateInstance(type)!;
        }
        else
        {
            ParameterInfo[] parameters = constructor.GetParameters();
            object?[] arguments = new object?[parameters.Length];
            for (int i = 0; i < parameters.Length; i++)
            {
                arguments[i] = Create(parameters[i].ParameterType, Of(parameters[i]), depth + 1);
                bound.Add(parameters[i].Name!);
            }

            instance = constructor.Invoke(arguments);
        }

        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (bound.Contains(property.Name) || property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            // A JsonElement left at its default cannot be written at all: the DTO's own problem, not the schema's.
            bool required = property.GetCustomAttributes().Any(a => a.GetType().Name == "RequiredMemberAttribute");
            if (required || property.PropertyType == typeof(JsonElement) || _random.Next(3) > 0)
            {
                property.SetValue(instance, Create(property.PropertyType, Of(property), depth + 1));
            }
        }

        return instance;
    }
}
