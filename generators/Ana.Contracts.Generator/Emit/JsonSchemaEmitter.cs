using System.Globalization;
using System.Text;
using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Parsing;

namespace Ana.Contracts.Generator.Emit;

/// <summary>The JSON Schemas (draft 2020-12) of one contract method, as compact JSON text.</summary>
/// <param name="Arguments">The arguments object: the query's <c>data</c>.</param>
/// <param name="Result">The reply's <c>data</c> (each item's, for a stream), or <see langword="null"/> when the method has no result.</param>
/// <param name="Progress">A progress report's <c>data</c>, or <see langword="null"/> when the method takes no <c>IProgress&lt;T&gt;</c>.</param>
internal sealed record MethodSchemas(string Arguments, string? Result, string? Progress);

/// <summary>
/// Writes the JSON Schemas of a contract's methods from the same shapes the JSON metadata is emitted from, so that a schema
/// says what the generated code reads and writes. Each schema describes every form the reader accepts (a duration as text
/// in three notations or as seconds, an enum as its name or its number, a decimal as a number or a string), so that a
/// check against it never refuses what the server would accept; and what the serializer writes always passes it.
/// Objects live in <c>$defs</c>, named by their JSON metadata property, so that recursive types end in a <c>$ref</c>.
/// </summary>
internal sealed class JsonSchemaEmitter
{
    private const string Draft = "https://json-schema.org/draft/2020-12/schema";

    private readonly Dictionary<string, JsonTypeModel> _types = new(StringComparer.Ordinal);
    private readonly JsonNamingPolicyKind _namingPolicy;
    private readonly string _contractName;

    // The $defs of the schema being written: their names in the order first referenced, and those not written yet.
    private readonly List<JsonTypeModel> _defs = [];
    private readonly HashSet<string> _defNames = new(StringComparer.Ordinal);

    private JsonSchemaEmitter(ContractModel contract)
    {
        foreach (JsonTypeModel type in contract.WireShapes.Types)
        {
            _types[type.TypeName] = type;
        }

        _namingPolicy = contract.WireShapes.NamingPolicy;
        _contractName = contract.DisplayName;
    }

    /// <summary>The schemas of every method of <paramref name="contract"/>, in the order of its methods.</summary>
    public static IReadOnlyList<MethodSchemas> Emit(ContractModel contract)
    {
        JsonSchemaEmitter emitter = new(contract);
        List<MethodSchemas> schemas = new(contract.Methods.Count);
        foreach (MethodModel method in contract.Methods)
        {
            schemas.Add(new MethodSchemas(
                emitter.Arguments(method),
                method.Result is { } result && method.Kind is CallKind.Query or CallKind.Stream
                    ? emitter.Root($"{method.Name}: {(method.Kind == CallKind.Stream ? "each item" : "result")}", emitter.Schema(result.Type.JsonTypeName, result.AllowsNull))
                    : null,
                method.Progress is { } progress
                    ? emitter.Root($"{method.Name}: progress report", emitter.Schema(progress.Type.JsonTypeName, progress.Type.Name.EndsWith("?", StringComparison.Ordinal)))
                    : null));
        }

        return schemas;
    }

    private string Arguments(MethodModel method)
    {
        // The dispatcher of a method without arguments never reads data: whatever a peer sends is taken.
        if (method.Parameters.Count == 0)
        {
            return Root($"{method.Name}: arguments", "{\"description\":\"takes no arguments; data is ignored\"}");
        }

        StringBuilder properties = new();
        List<string> required = [];
        foreach (ParameterModel parameter in method.Parameters)
        {
            AppendMember(properties, parameter.JsonName, Schema(parameter.Type.JsonTypeName, parameter.Read == ArgumentRead.Optional && parameter.AllowsNull));
            if (parameter.Read == ArgumentRead.Required)
            {
                required.Add(parameter.JsonName);
            }
        }

        // Absent or null data is no arguments at all, which a method whose arguments all have defaults accepts.
        StringBuilder body = new();
        body.Append("\"type\":").Append(required.Count > 0 ? "\"object\"" : "[\"object\",\"null\"]");
        body.Append(",\"properties\":{").Append(properties).Append('}');
        AppendRequired(body, required);
        return Root($"{method.Name}: arguments", "{" + body + "}");
    }

    /// <summary>Wraps a method's schema: the draft, a title, the schema's own keywords and the <c>$defs</c> it reached.</summary>
    private string Root(string title, string schema)
    {
        StringBuilder root = new();
        root.Append("{\"$schema\":").Append(JsonText.Quote(Draft));
        root.Append(",\"title\":").Append(JsonText.Quote($"{_contractName}.{title}"));
        string keywords = schema.Substring(1, schema.Length - 2);
        if (keywords.Length > 0)
        {
            root.Append(',').Append(keywords);
        }

        if (_defs.Count > 0)
        {
            root.Append(",\"$defs\":{");
            for (int i = 0; i < _defs.Count; i++)
            {
                // Writing a definition may reference further ones: they join the end of the list.
                JsonTypeModel type = _defs[i];
                AppendMember(root, type.PropertyName, ObjectDefinition(type), first: i == 0);
            }

            root.Append('}');
        }

        _defs.Clear();
        _defNames.Clear();
        return root.Append('}').ToString();
    }

    /// <summary>The schema of a value of the type keyed <paramref name="typeName"/>; <paramref name="allowsNull"/> adds <c>null</c>.</summary>
    private string Schema(string typeName, bool allowsNull)
    {
        if (!_types.TryGetValue(typeName, out JsonTypeModel? type))
        {
            return "{}";
        }

        string schema = type.Kind switch
        {
            JsonTypeKind.BuiltIn => BuiltIn(type.Converter),
            JsonTypeKind.Enum => Enum(type),
            JsonTypeKind.Nullable => Schema(type.ElementTypeName!, allowsNull: true),
            JsonTypeKind.Object => Reference(type),
            JsonTypeKind.Array or JsonTypeKind.List or JsonTypeKind.IList or JsonTypeKind.ICollection or JsonTypeKind.IEnumerable
                => "{\"type\":\"array\",\"items\":" + Schema(type.ElementTypeName!, IsReference(type.ElementTypeName!)) + "}",
            JsonTypeKind.Dictionary or JsonTypeKind.IDictionary or JsonTypeKind.IReadOnlyDictionary
                => "{\"type\":\"object\",\"additionalProperties\":" + Schema(type.ElementTypeName!, IsReference(type.ElementTypeName!)) + "}",
            _ => "{}",
        };
        return allowsNull && type.Kind != JsonTypeKind.Nullable ? OrNull(schema) : schema;
    }

    private static string OrNull(string schema)
    {
        if (schema == "{}")
        {
            return schema;
        }

        // {"type":"string",...} becomes {"type":["string","null"],...}; anything else is one branch of an anyOf.
        const string SimpleType = "{\"type\":\"";
        if (schema.StartsWith(SimpleType, StringComparison.Ordinal))
        {
            int end = schema.IndexOf('"', SimpleType.Length);
            return "{\"type\":[\"" + schema.Substring(SimpleType.Length, end - SimpleType.Length) + "\",\"null\"]" + schema.Substring(end + 1);
        }

        return "{\"anyOf\":[" + schema + ",{\"type\":\"null\"}]}";
    }

    /// <summary>Whether a value of the type may be <c>null</c> without a nullable annotation the model keeps (collection elements, dictionary values).</summary>
    private bool IsReference(string typeName)
    {
        if (!_types.TryGetValue(typeName, out JsonTypeModel? type))
        {
            return true;
        }

        return type.Kind switch
        {
            JsonTypeKind.Enum or JsonTypeKind.Nullable => false,
            JsonTypeKind.Object => type.Object is not { IsValueType: true },
            JsonTypeKind.BuiltIn => ConverterName(type.Converter) is "StringConverter" or "UriConverter" or "VersionConverter" or "ByteArrayConverter",
            _ => true,
        };
    }

    private string Reference(JsonTypeModel type)
    {
        if (_defNames.Add(type.PropertyName))
        {
            _defs.Add(type);
        }

        return "{\"$ref\":" + JsonText.Quote("#/$defs/" + type.PropertyName) + "}";
    }

    private string ObjectDefinition(JsonTypeModel type)
    {
        string plain = PlainObject(type);
        if (type.Polymorphism is not { } polymorphism)
        {
            return plain;
        }

        // A polymorphic base reads each derived type by its discriminator, and itself (when it can be created) without one.
        List<string> branches = [];
        foreach (JsonDerivedTypeModel derived in polymorphism.DerivedTypes)
        {
            if (!_types.TryGetValue(derived.TypeName, out JsonTypeModel? derivedType) || derivedType.Kind != JsonTypeKind.Object)
            {
                continue;
            }

            string derivedSchema = ReferenceOrPlain(derivedType, type);
            if (derived.Discriminator is null)
            {
                branches.Add(derivedSchema);
                continue;
            }

            string value = derived.DiscriminatorIsNumber ? derived.Discriminator : JsonText.Quote(derived.Discriminator);
            string discriminator = JsonText.Quote(polymorphism.DiscriminatorName);
            branches.Add("{\"allOf\":[" + derivedSchema + "],\"properties\":{" + discriminator + ":{\"const\":" + value + "}},\"required\":[" + discriminator + "]}");
        }

        // Without a discriminator the reader makes the base itself; with one it knows no other, it fails.
        if (type.Object?.Creator != JsonCreatorKind.None || branches.Count == 0)
        {
            branches.Add("{\"allOf\":[" + plain + "],\"not\":{\"required\":[" + JsonText.Quote(polymorphism.DiscriminatorName) + "]}}");
        }

        return "{\"anyOf\":[" + string.Join(",", branches) + "]}";
    }

    /// <summary>A derived type's own definition, or its shape in place when it is the base itself.</summary>
    private string ReferenceOrPlain(JsonTypeModel derived, JsonTypeModel baseType)
        => derived.TypeName == baseType.TypeName ? PlainObject(derived) : Reference(derived);

    private string PlainObject(JsonTypeModel type)
    {
        StringBuilder properties = new();
        List<string> required = [];
        foreach (JsonPropertyModel property in type.Object?.Properties ?? EquatableArray<JsonPropertyModel>.Empty)
        {
            if (property.IgnoreCondition == JsonIgnoreConditionKind.Always || (!property.HasGetter && property.Setter == JsonSetterKind.None))
            {
                continue;
            }

            string name = property.JsonName ?? JsonNaming.Convert(property.Name, _namingPolicy);
            AppendMember(properties, name, Schema(property.JsonTypeName, !property.IsNonNullable && IsReference(property.JsonTypeName)));

            // A member the serializer may leave out when writing cannot be demanded by the schema.
            if (property.RefusedWhenAbsent && property.IgnoreCondition is null or JsonIgnoreConditionKind.Never)
            {
                required.Add(name);
            }
        }

        StringBuilder body = new("{\"type\":\"object\",\"properties\":{");
        body.Append(properties).Append('}');
        AppendRequired(body, required);
        return body.Append('}').ToString();
    }

    private static string Enum(JsonTypeModel type)
    {
        // The string enum converter also reads numbers, and writes one for a value that is no member.
        if (type.IsFlagsEnum)
        {
            return "{\"anyOf\":[{\"type\":\"string\",\"description\":\"member names, comma-separated\"},{\"type\":\"integer\"}]}";
        }

        StringBuilder members = new();
        foreach (string member in type.EnumMembers)
        {
            members.Append(members.Length == 0 ? string.Empty : ",").Append(JsonText.Quote(member));
        }

        return "{\"anyOf\":[{\"enum\":[" + members + "]},{\"type\":\"integer\"}]}";
    }

    private static string BuiltIn(string? converter) => ConverterName(converter) switch
    {
        "BooleanConverter" => "{\"type\":\"boolean\"}",
        "ByteConverter" => Integer(byte.MinValue, byte.MaxValue),
        "SByteConverter" => Integer(sbyte.MinValue, sbyte.MaxValue),
        "Int16Converter" => Integer(short.MinValue, short.MaxValue),
        "UInt16Converter" => Integer(ushort.MinValue, ushort.MaxValue),
        "Int32Converter" => Integer(int.MinValue, int.MaxValue),
        "UInt32Converter" => Integer(uint.MinValue, uint.MaxValue),
        "Int64Converter" => Integer(long.MinValue, long.MaxValue),
        "UInt64Converter" => "{\"type\":\"integer\",\"minimum\":0,\"maximum\":" + ulong.MaxValue.ToString(CultureInfo.InvariantCulture) + "}",
        "Int128Converter" or "UInt128Converter" => "{\"type\":\"integer\"}",
        "SingleConverter" or "DoubleConverter" or "HalfConverter" => "{\"type\":\"number\"}",
        "DecimalConverter" => "{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"string\",\"description\":\"a decimal number as text\"}]}",
        "CharConverter" => "{\"type\":\"string\",\"minLength\":1,\"maxLength\":1}",
        "StringConverter" => "{\"type\":\"string\"}",
        "GuidConverter" => "{\"type\":\"string\",\"format\":\"uuid\"}",
        "UriConverter" => "{\"type\":\"string\",\"format\":\"uri-reference\"}",
        "VersionConverter" => "{\"type\":\"string\",\"description\":\"a version: major.minor[.build[.revision]]\"}",
        "ByteArrayConverter" => "{\"type\":\"string\",\"contentEncoding\":\"base64\"}",
        "DateTimeConverter" or "DateTimeOffsetConverter"
            => "{\"anyOf\":[{\"type\":\"string\",\"format\":\"date-time\"},{\"type\":\"number\",\"description\":\"seconds since the Unix epoch\"}]}",
        "DateOnlyConverter" => "{\"anyOf\":[{\"type\":\"string\",\"format\":\"date\"},{\"type\":\"number\",\"description\":\"seconds since the Unix epoch\"}]}",
        "TimeOnlyConverter" => "{\"anyOf\":[{\"type\":\"string\",\"description\":\"a time of day: HH:mm[:ss[.fffffff]], optionally followed by Z\"},{\"type\":\"number\",\"description\":\"seconds since midnight\"}]}",
        "TimeSpanConverter" => "{\"anyOf\":[{\"type\":\"string\",\"description\":\"a duration: [d.]hh:mm:ss[.fffffff], ISO-8601 (PT5M) or Python's str(timedelta)\"},{\"type\":\"number\",\"description\":\"seconds\"}]}",
        _ => "{}",
    };

    private static string Integer(long minimum, long maximum)
        => "{\"type\":\"integer\",\"minimum\":" + minimum.ToString(CultureInfo.InvariantCulture) + ",\"maximum\":" + maximum.ToString(CultureInfo.InvariantCulture) + "}";

    private static string ConverterName(string? converter)
        => converter is null ? string.Empty : converter.Substring(converter.LastIndexOf('.') + 1);

    private static void AppendMember(StringBuilder target, string name, string schema, bool? first = null)
    {
        if (!(first ?? target.Length == 0))
        {
            target.Append(',');
        }

        target.Append(JsonText.Quote(name)).Append(':').Append(schema);
    }

    private static void AppendRequired(StringBuilder body, List<string> required)
    {
        if (required.Count > 0)
        {
            body.Append(",\"required\":[").Append(string.Join(",", required.Select(JsonText.Quote))).Append(']');
        }
    }
}
