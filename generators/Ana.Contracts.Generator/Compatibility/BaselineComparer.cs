using System.Globalization;

namespace Ana.Contracts.Generator.Compatibility;

/// <summary>
/// Compares a contract with its baseline and says, as diagnostics at the contract, what breaks deployed peers (errors
/// ANA024–ANA033), what changed compatibly (one ANA034 that lists it all) and nothing else. Arguments are read by the
/// server (a change must keep accepting what old callers send); results and progress reports are read by callers (a
/// change must keep to what old callers can read). The rules: docs/diagnostics.md.
/// </summary>
internal sealed class BaselineComparer(string contract)
{
    private const string Arguments = "the arguments";
    private readonly List<string> _compatible = [];

    /// <summary>The diagnostics of the comparison, in the order found.</summary>
    public List<DiagnosticInfo> Diagnostics { get; } = [];

    /// <summary>Compares <paramref name="current"/> (the contract as built) with <paramref name="baseline"/> (as recorded).</summary>
    public void Compare(JsonTree baseline, JsonTree current)
    {
        string? oldPolicy = baseline.StringOf("naming_policy");
        string? newPolicy = current.StringOf("naming_policy");
        if (oldPolicy != newPolicy)
        {
            // Every member is renamed: one error says it, rather than one per member.
            Report(DiagnosticDescriptors.NamingPolicyChanged, contract, oldPolicy ?? "none", newPolicy ?? "none");
            return;
        }

        Dictionary<string, JsonTree> oldTopics = Topics(baseline);
        Dictionary<string, JsonTree> newTopics = Topics(current);
        foreach (KeyValuePair<string, JsonTree> entry in oldTopics)
        {
            if (!newTopics.TryGetValue(entry.Key, out JsonTree? now))
            {
                Report(DiagnosticDescriptors.TopicRemoved, entry.Key, contract);
                continue;
            }

            CompareTopic(entry.Key, entry.Value, now);
        }

        foreach (string topic in newTopics.Keys.Where(t => !oldTopics.ContainsKey(t)))
        {
            _compatible.Add($"topic '{topic}' added");
        }

        if (_compatible.Count > 0)
        {
            Report(DiagnosticDescriptors.CompatibleChanges, contract, string.Join("; ", _compatible));
        }
    }

    public void TypeChanged(string topic, string where, string path, string how)
        => Report(DiagnosticDescriptors.TypeChanged, Display(path), where, topic, how);

    public void MemberRemoved(string topic, string where, string path, WireDirection direction)
        => Report(
            DiagnosticDescriptors.MemberRemoved,
            Display(path),
            where,
            topic,
            direction == WireDirection.Input ? "deployed callers still send it, and it would be ignored" : "deployed callers still read it");

    public void MemberRequired(string topic, string path, string how) => Report(DiagnosticDescriptors.MemberRequired, path, topic, how);

    public void ValueRemoved(string topic, string path, string values) => Report(DiagnosticDescriptors.ValueRemoved, path, topic, values);

    public void ValueAdded(string topic, string where, string path, string what) => Report(DiagnosticDescriptors.ValueAdded, Display(path), where, topic, what);

    /// <summary>A change that breaks nobody, listed in the one ANA034 of the contract.</summary>
    public void Compatible(string change) => _compatible.Add(change);

    private void CompareTopic(string topic, JsonTree before, JsonTree after)
    {
        string? oldKind = before.StringOf("kind");
        string? newKind = after.StringOf("kind");
        if (oldKind != newKind)
        {
            Report(DiagnosticDescriptors.CallKindChanged, topic, contract, oldKind ?? "unknown", newKind ?? "unknown");
            return;
        }

        string oldTimeout = before["timeout_s"]?.ToString() ?? "null";
        string newTimeout = after["timeout_s"]?.ToString() ?? "null";
        if (oldTimeout != newTimeout)
        {
            _compatible.Add($"timeout of '{topic}' changed from {Seconds(oldTimeout)} to {Seconds(newTimeout)}");
        }

        CompareArguments(topic, before["arguments"] ?? JsonTree.Object(), after["arguments"] ?? JsonTree.Object());
        CompareValues(topic, "the result", before["result"], after["result"]);
        CompareValues(topic, "progress reports", before["progress"], after["progress"]);
    }

    private void CompareArguments(string topic, JsonTree before, JsonTree after)
    {
        SchemaComparer schemas = new(this, WireDirection.Input, topic, Arguments, before, after);
        JsonTree oldArguments = before["properties"] ?? JsonTree.Object();
        JsonTree newArguments = after["properties"] ?? JsonTree.Object();
        HashSet<string> oldRequired = SchemaComparer.Required(before);
        HashSet<string> newRequired = SchemaComparer.Required(after);
        foreach (KeyValuePair<string, JsonTree> argument in oldArguments.Members)
        {
            if (newArguments[argument.Key] is not { } now)
            {
                Report(DiagnosticDescriptors.ArgumentRemoved, argument.Key, topic);
                continue;
            }

            if (newRequired.Contains(argument.Key) && !oldRequired.Contains(argument.Key))
            {
                Report(DiagnosticDescriptors.ArgumentRequired, argument.Key, topic, "had a default and has none now");
            }

            schemas.Compare(argument.Value, now, argument.Key);
        }

        foreach (KeyValuePair<string, JsonTree> argument in newArguments.Members.Where(a => oldArguments[a.Key] is null))
        {
            if (newRequired.Contains(argument.Key))
            {
                Report(DiagnosticDescriptors.ArgumentRequired, argument.Key, topic, "is new and has no default");
            }
            else
            {
                _compatible.Add($"optional argument '{argument.Key}' added to '{topic}'");
            }
        }
    }

    private void CompareValues(string topic, string where, JsonTree? before, JsonTree? after)
    {
        if (before is not { Kind: JsonKind.Object } || after is not { Kind: JsonKind.Object })
        {
            return;
        }

        new SchemaComparer(this, WireDirection.Output, topic, where, before, after).Compare(before, after, string.Empty);
    }

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, params string[] arguments)
    {
        DiagnosticInfo diagnostic = DiagnosticInfo.Create(descriptor, location: null, arguments);
        if (!Diagnostics.Contains(diagnostic))
        {
            Diagnostics.Add(diagnostic);
        }
    }

    /// <summary>A member path as messages show it: the value itself is "the value".</summary>
    private static string Display(string path) => path.Length == 0 ? "the value" : path;

    private static Dictionary<string, JsonTree> Topics(JsonTree baseline)
    {
        Dictionary<string, JsonTree> topics = new(StringComparer.Ordinal);
        foreach (JsonTree topic in baseline["topics"]?.Items ?? [])
        {
            if (topic.StringOf("topic") is { } name)
            {
                topics[name] = topic;
            }
        }

        return topics;
    }

    private static string Seconds(string value) => value == "null" ? "the default" : value.ToString(CultureInfo.InvariantCulture) + " s";
}
