using System.Globalization;

namespace Ana.Contracts.Generator.Compatibility;

/// <summary>Which side of a call a schema describes, and so which changes break deployed peers.</summary>
internal enum WireDirection
{
    /// <summary>What callers send and the server reads (arguments): the new schema must accept all the old one did.</summary>
    Input,

    /// <summary>What the server sends and callers read (results, progress): the old schema must accept all the new one may produce.</summary>
    Output,
}

/// <summary>
/// Compares two JSON Schemas the generator wrote (its own dialect: <c>$defs</c> and <c>$ref</c>, <c>type</c>,
/// <c>properties</c> and <c>required</c>, <c>items</c>, <c>additionalProperties</c>, <c>anyOf</c> for nulls, enums,
/// polymorphism and the several forms of a value) in one <see cref="WireDirection"/>, and tells each change that breaks
/// deployed peers to the <see cref="BaselineComparer"/>, with the member path where it is.
/// </summary>
internal sealed class SchemaComparer(BaselineComparer report, WireDirection direction, string topic, string where, JsonTree oldRoot, JsonTree newRoot)
{
    private readonly HashSet<string> _comparing = new(StringComparer.Ordinal);

    /// <summary>Compares the values at <paramref name="path"/>.</summary>
    public void Compare(JsonTree oldSchema, JsonTree newSchema, string path)
    {
        Shape before = Shape.Of(Resolve(oldSchema, oldRoot, out string? oldOuter));
        Shape after = Shape.Of(Resolve(newSchema, newRoot, out string? newOuter));
        if (direction == WireDirection.Input && before.AllowsNull && !after.AllowsNull)
        {
            Changed(path, "null is no longer accepted");
        }
        else if (direction == WireDirection.Output && after.AllowsNull && !before.AllowsNull)
        {
            report.ValueAdded(topic, where, path, "null");
        }

        JsonTree? oldCore = Resolve(before.Core, oldRoot, out string? oldInner);
        JsonTree? newCore = Resolve(after.Core, newRoot, out string? newInner);

        // Two definitions are compared once: it ends recursive types (a Node of Nodes), and a type used in several
        // places is reported where it is met first.
        if ((oldInner ?? oldOuter) is { } oldRef && (newInner ?? newOuter) is { } newRef && !_comparing.Add(oldRef + "\n" + newRef))
        {
            return;
        }

        bool oldAny = oldCore is null || IsAnything(oldCore);
        bool newAny = newCore is null || IsAnything(newCore);
        if (oldAny || newAny)
        {
            // Anything on the reading side takes whatever the writing side writes.
            bool fine = direction == WireDirection.Input ? newAny : oldAny;
            if (!fine)
            {
                Changed(path, direction == WireDirection.Input ? "it took any value and now takes " + Describe(newCore!) : "it may now be any value");
            }

            return;
        }

        string oldKind = KindOf(oldCore!);
        string newKind = KindOf(newCore!);

        // Every integer is a number: the reading side may widen integers to numbers.
        bool widened = (direction == WireDirection.Input && oldKind == "integer" && newKind == "number")
            || (direction == WireDirection.Output && oldKind == "number" && newKind == "integer");
        if (oldKind != newKind && !widened)
        {
            Changed(path, $"it was {Describe(oldCore!)} and is {Describe(newCore!)} now");
            return;
        }

        switch (oldKind)
        {
            case "object":
                CompareObjects(oldCore!, newCore!, path);
                break;
            case "array":
                Compare(oldCore!["items"] ?? JsonTree.Object(), newCore!["items"] ?? JsonTree.Object(), path + "[]");
                break;
            case "dictionary":
                Compare(oldCore!["additionalProperties"] ?? JsonTree.Object(), newCore!["additionalProperties"] ?? JsonTree.Object(), path + "{}");
                break;
            case "enum":
                CompareValues(EnumMembers(oldCore!), EnumMembers(newCore!), path, "member");
                break;
            case "polymorphic":
                ComparePolymorphic(oldCore!, newCore!, path);
                break;
            case "integer":
            case "number":
                if (!widened)
                {
                    CompareNumbers(oldCore!, newCore!, path);
                }

                break;
            default:
                if (oldCore!.ToString() != newCore!.ToString())
                {
                    Changed(path, $"it was {Describe(oldCore)} and is {Describe(newCore)} now");
                }

                break;
        }
    }

    private void CompareObjects(JsonTree before, JsonTree after, string path)
    {
        JsonTree oldProperties = before["properties"] ?? JsonTree.Object();
        JsonTree newProperties = after["properties"] ?? JsonTree.Object();
        HashSet<string> oldRequired = Required(before);
        HashSet<string> newRequired = Required(after);
        foreach (KeyValuePair<string, JsonTree> member in oldProperties.Members)
        {
            string memberPath = Join(path, member.Key);
            if (newProperties[member.Key] is not { } now)
            {
                report.MemberRemoved(topic, where, memberPath, direction);
                continue;
            }

            if (direction == WireDirection.Input && newRequired.Contains(member.Key) && !oldRequired.Contains(member.Key))
            {
                report.MemberRequired(topic, memberPath, "is required now");
            }

            Compare(member.Value, now, memberPath);
        }

        foreach (KeyValuePair<string, JsonTree> member in newProperties.Members)
        {
            if (oldProperties[member.Key] is not null)
            {
                continue;
            }

            string memberPath = Join(path, member.Key);
            if (direction == WireDirection.Input && newRequired.Contains(member.Key))
            {
                report.MemberRequired(topic, memberPath, "is new and required");
            }
            else
            {
                report.Compatible($"member '{memberPath}' added to {where} of '{topic}'");
            }
        }
    }

    private void ComparePolymorphic(JsonTree before, JsonTree after, string path)
    {
        Dictionary<string, JsonTree> oldBranches = Branches(before, out bool oldBase);
        Dictionary<string, JsonTree> newBranches = Branches(after, out bool newBase);
        CompareValues(oldBranches.Keys.ToList(), newBranches.Keys.ToList(), path, "derived type");
        if (direction == WireDirection.Input && oldBase && !newBase)
        {
            Changed(path, "an object without a type discriminator is no longer accepted");
        }
        else if (direction == WireDirection.Output && newBase && !oldBase)
        {
            report.ValueAdded(topic, where, path, "an object without a type discriminator");
        }

        foreach (KeyValuePair<string, JsonTree> branch in oldBranches)
        {
            if (newBranches.TryGetValue(branch.Key, out JsonTree? now))
            {
                Compare(branch.Value, now, path + "<" + branch.Key + ">");
            }
        }
    }

    /// <summary>Enum members or discriminators: the reading side must know every value the writing side may send.</summary>
    private void CompareValues(List<string> before, List<string> after, string path, string what)
    {
        List<string> removed = before.Where(v => !after.Contains(v)).ToList();
        List<string> added = after.Where(v => !before.Contains(v)).ToList();
        if (direction == WireDirection.Input)
        {
            if (removed.Count > 0)
            {
                report.ValueRemoved(topic, path, Values(what, removed));
            }

            if (added.Count > 0)
            {
                report.Compatible($"{Values(what, added)} added to '{path}' in {where} of '{topic}'");
            }
        }
        else if (added.Count > 0)
        {
            report.ValueAdded(topic, where, path, Values(what, added));
        }
    }

    private void CompareNumbers(JsonTree before, JsonTree after, string path)
    {
        (decimal? oldMin, decimal? oldMax) = Bounds(before);
        (decimal? newMin, decimal? newMax) = Bounds(after);

        // The reading side's range must hold the writing side's.
        (decimal? readMin, decimal? readMax, decimal? writeMin, decimal? writeMax) = direction == WireDirection.Input
            ? (newMin, newMax, oldMin, oldMax)
            : (oldMin, oldMax, newMin, newMax);
        bool holds = (readMin is null || (writeMin is not null && writeMin >= readMin))
            && (readMax is null || (writeMax is not null && writeMax <= readMax));
        if (!holds)
        {
            Changed(path, $"it was {Describe(before)} and is {Describe(after)} now");
        }
    }

    private void Changed(string path, string how) => report.TypeChanged(topic, where, path, how);

    /// <summary>Follows a <c>$ref</c> into the root's <c>$defs</c>; <paramref name="reference"/> is its name.</summary>
    private static JsonTree? Resolve(JsonTree? schema, JsonTree root, out string? reference)
    {
        reference = null;
        for (int hops = 0; schema?.StringOf("$ref") is { } target && hops < 64; hops++)
        {
            reference = target;
            const string Prefix = "#/$defs/";
            schema = target.StartsWith(Prefix, StringComparison.Ordinal) ? root["$defs"]?[target.Substring(Prefix.Length)] : null;
        }

        return schema;
    }

    private static bool IsAnything(JsonTree schema) => schema.Members.All(m => m.Key is "description" or "title" or "$schema");

    /// <summary>What kind of value a schema (without its null) describes: one word, compared before anything else.</summary>
    private static string KindOf(JsonTree schema)
    {
        if (schema["anyOf"] is { } anyOf)
        {
            if (anyOf.Items.Any(b => b["enum"] is not null))
            {
                return "enum";
            }

            if (anyOf.Items.Any(b => b["allOf"] is not null || b["not"] is not null))
            {
                return "polymorphic";
            }

            return "forms:" + anyOf;
        }

        string type = schema["type"] is { Kind: JsonKind.String } single ? single.Text! : schema["type"]?.ToString() ?? "?";
        return type == "object" && schema["additionalProperties"] is not null ? "dictionary" : type;
    }

    private static string Describe(JsonTree schema)
    {
        string kind = KindOf(schema);
        if (kind is "integer" or "number")
        {
            (decimal? min, decimal? max) = Bounds(schema);
            return min is null && max is null ? "a " + kind : $"an {kind} from {min?.ToString(CultureInfo.InvariantCulture) ?? "-inf"} to {max?.ToString(CultureInfo.InvariantCulture) ?? "inf"}";
        }

        return kind switch
        {
            "object" => "an object",
            "array" => "an array",
            "dictionary" => "an object of named values",
            "enum" => "an enum",
            "polymorphic" => "a polymorphic object",
            "string" => schema["format"] is { } format ? $"a string ({format.Text})" : schema["maxLength"] is not null ? "a character" : "a string",
            "boolean" => "a boolean",
            _ => kind.StartsWith("forms:", StringComparison.Ordinal) ? "one of " + kind.Substring(6) : kind,
        };
    }

    private static (decimal? Min, decimal? Max) Bounds(JsonTree schema)
        => (Number(schema["minimum"]), Number(schema["maximum"]));

    private static decimal? Number(JsonTree? value)
        => value is { Kind: JsonKind.Number } && decimal.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal number) ? number : null;

    /// <summary>The names an object schema lists under <c>required</c>.</summary>
    public static HashSet<string> Required(JsonTree schema)
        => new((schema["required"]?.Items ?? []).Where(i => i.Kind == JsonKind.String).Select(i => i.Text!), StringComparer.Ordinal);

    private static List<string> EnumMembers(JsonTree schema)
        => schema["anyOf"]!.Items.Where(b => b["enum"] is not null).SelectMany(b => b["enum"]!.Items).Select(i => i.Kind == JsonKind.String ? i.Text! : i.ToString()).ToList();

    /// <summary>The branches of a polymorphic schema by discriminator value, and whether it reads an object without one.</summary>
    private static Dictionary<string, JsonTree> Branches(JsonTree schema, out bool hasBase)
    {
        hasBase = false;
        Dictionary<string, JsonTree> branches = new(StringComparer.Ordinal);
        foreach (JsonTree branch in schema["anyOf"]!.Items)
        {
            if (branch["not"] is not null)
            {
                hasBase = true;
                continue;
            }

            JsonTree? discriminator = branch["properties"]?.Members.Select(m => m.Value["const"]).FirstOrDefault(c => c is not null);
            JsonTree target = branch["allOf"]?.Items.FirstOrDefault() ?? branch;
            string key = discriminator is null ? "(no discriminator)" : discriminator.Kind == JsonKind.String ? discriminator.Text! : discriminator.ToString();
            branches[key] = target;
        }

        return branches;
    }

    private static string Values(string what, List<string> values)
        => (values.Count == 1 ? $"the {what} " : $"the {what}s ") + string.Join(", ", values.Select(v => "'" + v + "'"));

    private static string Join(string path, string member) => path.Length == 0 ? member : path + "." + member;
}

/// <summary>The part of a schema that is not its null: <c>{"type":["string","null"]}</c> is a string that may be null.</summary>
internal readonly struct Shape(JsonTree? core, bool allowsNull)
{
    public JsonTree? Core { get; } = core;

    public bool AllowsNull { get; } = allowsNull;

    public static Shape Of(JsonTree? schema)
    {
        if (schema is null)
        {
            return new Shape(null, allowsNull: true);
        }

        if (schema["type"] is { Kind: JsonKind.Array } types && types.Items.Any(t => t.Text == "null"))
        {
            List<JsonTree> others = types.Items.Where(t => t.Text != "null").ToList();
            JsonTree core = JsonTree.Object();
            foreach (KeyValuePair<string, JsonTree> member in schema.Members)
            {
                core.Members.Add(member.Key == "type"
                    ? new KeyValuePair<string, JsonTree>("type", others.Count == 1 ? others[0] : JsonTree.Array(others))
                    : member);
            }

            return new Shape(core, allowsNull: true);
        }

        if (schema["anyOf"] is { Items.Count: 2 } anyOf && anyOf.Items.FirstOrDefault(b => b.StringOf("type") == "null") is { } nullBranch)
        {
            return new Shape(anyOf.Items.First(b => !ReferenceEquals(b, nullBranch)), allowsNull: true);
        }

        return new Shape(schema, allowsNull: schema.Members.Count == 0);
    }
}
