using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ana;

/// <summary>
/// Lets contract values carry their type discriminator anywhere in the object, as a pydantic peer writes it (where the
/// field is declared), on runtimes whose System.Text.Json reads it only as the first property (.NET 8; .NET 9+ reads it
/// anywhere with <c>AllowOutOfOrderMetadataProperties</c>, which generated contexts set there). Arguments and results
/// arrive as buffered <see cref="JsonElement"/>s, so an object whose discriminator is not first is rewritten with it first.
/// </summary>
internal static class DiscriminatorOrder
{
    private static readonly ConditionalWeakTable<JsonTypeInfo, string[]> Names = new();

    /// <summary>
    /// Whether values of <paramref name="typeInfo"/> may need <see cref="Normalize"/>: a polymorphic type is reachable
    /// from it, on a runtime that reads discriminators only first. Otherwise a value can be read straight from its bytes.
    /// </summary>
    public static bool MayReorder(JsonTypeInfo typeInfo)
    {
#if NET9_0_OR_GREATER
        if (typeInfo.Options.AllowOutOfOrderMetadataProperties)
        {
            return false;
        }
#endif
        return Names.GetValue(typeInfo, Collect).Length > 0;
    }

    /// <summary>
    /// <paramref name="value"/>, or a copy in which every object's discriminator property (any discriminator name of a
    /// polymorphic type reachable from <paramref name="typeInfo"/>) comes first; unchanged (no copy) in the usual case.
    /// </summary>
    public static JsonElement Normalize(JsonElement value, JsonTypeInfo typeInfo)
    {
#if NET9_0_OR_GREATER
        if (typeInfo.Options.AllowOutOfOrderMetadataProperties)
        {
            return value;
        }
#endif
        string[] names = Names.GetValue(typeInfo, Collect);
        if (names.Length == 0 || !NeedsReorder(value, names))
        {
            return value;
        }

        ArrayBufferWriter<byte> buffer = new();
        using (Utf8JsonWriter writer = new(buffer))
        {
            Write(writer, value, names);
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static string[] Collect(JsonTypeInfo root)
    {
        HashSet<string> names = new(StringComparer.Ordinal);
        HashSet<Type> seen = [];
        Stack<Type> pending = new();
        pending.Push(root.Type);
        while (pending.Count > 0)
        {
            Type type = pending.Pop();
            if (!seen.Add(type) || !root.Options.TryGetTypeInfo(type, out JsonTypeInfo? info))
            {
                continue;
            }

            if (info.PolymorphismOptions is { } polymorphism)
            {
                names.Add(polymorphism.TypeDiscriminatorPropertyName);
                foreach (JsonDerivedType derived in polymorphism.DerivedTypes)
                {
                    pending.Push(derived.DerivedType);
                }
            }

            foreach (JsonPropertyInfo property in info.Properties)
            {
                pending.Push(property.PropertyType);
            }

            // Collections and nullables: the element (a dictionary's value) is the last type argument, or the array's element.
            if (type.IsArray)
            {
                pending.Push(type.GetElementType()!);
            }
            else if (type.IsGenericType && info.Kind is JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary or JsonTypeInfoKind.None)
            {
                Type[] arguments = type.GetGenericArguments();
                pending.Push(arguments[^1]);
            }
        }

        return [.. names];
    }

    private static bool NeedsReorder(JsonElement value, string[] names)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                bool first = true;
                foreach (JsonProperty property in value.EnumerateObject())
                {
                    if (!first && IsDiscriminator(property.Name, names))
                    {
                        return true;
                    }

                    first = false;
                    if (NeedsReorder(property.Value, names))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (NeedsReorder(item, names))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement value, string[] names)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (JsonProperty property in value.EnumerateObject())
                {
                    if (IsDiscriminator(property.Name, names))
                    {
                        writer.WritePropertyName(property.Name);
                        Write(writer, property.Value, names);
                    }
                }

                foreach (JsonProperty property in value.EnumerateObject())
                {
                    if (!IsDiscriminator(property.Name, names))
                    {
                        writer.WritePropertyName(property.Name);
                        Write(writer, property.Value, names);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement item in value.EnumerateArray())
                {
                    Write(writer, item, names);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    private static bool IsDiscriminator(string name, string[] names) => Array.IndexOf(names, name) >= 0;
}
