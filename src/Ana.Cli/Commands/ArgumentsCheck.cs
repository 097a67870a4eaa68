using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Ana.Cli.Commands;

/// <summary>
/// Checks a query's <c>--data</c> against the arguments schema the agent publishes for the topic (NATS micro
/// discovery, <see cref="AgentBus.DescribeAsync"/>) before anything is sent, so that a typo is a clear message naming
/// where it is instead of an agent's <c>bad_request</c>. An agent that publishes no schema (a Python peer, discovery
/// off, no answer within the wait) is sent to unchecked.
/// </summary>
internal static class ArgumentsCheck
{
    /// <summary>
    /// How long to wait for the agent's description; the first instance that answers decides. Generous, because it is
    /// paid in full only by an agent whose instances listen on its INFO subject and do not answer: when none listens
    /// (a Python peer, discovery off), the NATS server says so at once and the data is sent unchecked without waiting.
    /// </summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };

    public static Option<bool> NoValidateOption() => new("--no-validate")
    {
        Description = "Send --data as it is, without checking it against the arguments schema the agent publishes for the topic.",
    };

    /// <summary>
    /// Why <paramref name="data"/> does not fit <paramref name="topic"/> of <paramref name="agent"/>, or <see langword="null"/>
    /// when it fits or cannot be checked.
    /// </summary>
    public static async Task<string?> RefusalAsync(AgentBus bus, string agent, string topic, JsonElement data, CliOutput output, CancellationToken cancellationToken)
    {
        AgentDescription? description = null;
        await foreach (AgentDescription answer in bus.DescribeAsync(agent, Wait, cancellationToken).ConfigureAwait(false))
        {
            description = answer;
            break;
        }

        if (description is null)
        {
            return null;
        }

        TopicDescription? served = description.Topics.FirstOrDefault(t => t.Topic == topic);
        if (served is null)
        {
            output.Error($"warning: '{agent}' does not list the topic '{topic}' (it serves: {string.Join(", ", description.Topics.Select(t => t.Topic))})");
            return null;
        }

        if (served.ArgumentsSchema is not { } schemaText)
        {
            return null;
        }

        JsonSchema schema;
        try
        {
            schema = JsonSchema.FromText(schemaText);
        }
        catch (JsonException)
        {
            output.Error($"warning: '{agent}' publishes an arguments schema for '{topic}' that is not valid JSON Schema; --data is sent unchecked");
            return null;
        }

        EvaluationResults results = schema.Evaluate(JsonNode.Parse(data.GetRawText()), Evaluation);
        return results.IsValid ? null : $"--data does not fit the arguments of '{agent}' topic '{topic}' ({served.Signature ?? "no signature"}): {Explain(results)}";
    }

    /// <summary>The failures at the deepest place of the data that failed: that is where the mistake is.</summary>
    private static string Explain(EvaluationResults results)
    {
        List<(string Location, string Message)> failures = [];
        foreach (EvaluationResults detail in results.Details)
        {
            if (detail.Errors is null)
            {
                continue;
            }

            foreach (KeyValuePair<string, string> error in detail.Errors)
            {
                failures.Add((detail.InstanceLocation.ToString(), error.Value));
            }
        }

        if (failures.Count == 0)
        {
            return "it fails the schema";
        }

        int depth = failures.Max(f => Depth(f.Location));
        IEnumerable<IGrouping<string, string>> deepest = failures
            .Where(f => Depth(f.Location) == depth)
            .GroupBy(f => f.Location, f => f.Message);
        return string.Join("; ", deepest.Select(g => $"at {(g.Key.Length == 0 ? "/" : g.Key)}: {string.Join(", or ", g.Distinct())}"));
    }

    private static int Depth(string pointer) => pointer.Count(c => c == '/');
}
