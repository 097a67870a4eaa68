using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Ana.Cli.Commands;

/// <summary><c>ana describe AGENT [--timeout S] [--json]</c>: an agent's topics, with their C# signatures and JSON Schemas.</summary>
internal static class DescribeCommand
{
    public const string Examples =
        """
        Output: for each version of the agent's contract that answers, the instances that run it, then each topic with
        its C# signature, subject and JSON Schemas (draft 2020-12, one line each):
          scheduler: Demo.IScheduler 2.1.0, 2 instances (3f2a9c0185e6, 9c1b22aa04d1)

          submit: Task<JobResult> SubmitAsync(Job job, CancellationToken ct = default)
            subject    cc.fleet.scheduler.query.submit (queue group scheduler)
            arguments  {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",...}
            result     {"$schema":"https://json-schema.org/draft/2020-12/schema","$ref":"#/$defs/JobResult",...}
        With --json, one JSON object per instance: {"agent", "service", "id", "version", "contract", "description",
        "omitted", "topics": [{"topic", "subject", "queue_group", "signature", "arguments_schema", "result_schema",
        "progress_schema"}]}, the schemas as JSON. The agent answers through NATS micro discovery ($SRV.INFO.<agent>):
        an agent that serves no contract, or runs with MicroDiscovery off, does not.

        Examples:
          ana describe scheduler
          ana describe scheduler --json | jq '.topics[] | {topic, signature}'
        """;

    public static Command Create(VerbRunner runner)
    {
        Argument<string> agent = new("agent") { Description = "The agent to describe." };
        agent.Validators.Add(r => CliParsers.ValidateAgent(r, r.GetValueOrDefault<string>()));
        Option<double> timeout = new("--timeout")
        {
            Description = "Seconds to wait for the agent's instances to answer.",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 1,
            CustomParser = CliParsers.ParseSeconds,
        };
        Option<bool> json = new("--json")
        {
            Description = "Print one JSON object per instance instead of text.",
        };

        Command command = new("describe", "Show an agent's topics with their C# signatures and JSON Schemas, as its instances describe them ($SRV.INFO.<agent>).")
        {
            agent,
            timeout,
            json,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Interrupted,
            async (bus, ct) =>
            {
                string name = parseResult.GetRequiredValue(agent);
                double seconds = parseResult.GetValue(timeout);
                List<AgentDescription> instances = [];
                await foreach (AgentDescription instance in bus.DescribeAsync(name, TimeSpan.FromSeconds(seconds), ct).ConfigureAwait(false))
                {
                    instances.Add(instance);
                }

                if (instances.Count == 0)
                {
                    runner.Output.Error(
                        $"no instance of '{name}' answered $SRV.INFO within {GlobalOptions.Seconds(seconds)} s (it must serve a contract, with MicroDiscovery on)");
                    return ExitCodes.Timeout;
                }

                instances.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
                if (parseResult.GetValue(json))
                {
                    foreach (AgentDescription instance in instances)
                    {
                        runner.Output.WriteJsonLine(writer => WriteJson(writer, instance));
                    }
                }
                else
                {
                    runner.Output.WriteText(FormatText(instances));
                }

                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }

    /// <summary>Instances that describe the same contract the same way are shown once, with their ids.</summary>
    private static string FormatText(List<AgentDescription> instances)
    {
        StringBuilder text = new();
        foreach (IGrouping<string, AgentDescription> group in instances.GroupBy(Shape, StringComparer.Ordinal))
        {
            AgentDescription first = group.First();
            int count = group.Count();
            text.Append(first.Agent).Append(": ").Append(first.Contract ?? first.Service).Append(' ').Append(first.Version)
                .Append(", ").Append(count).Append(count == 1 ? " instance (" : " instances (")
                .AppendJoin(", ", group.Select(i => i.Id.Length > 12 ? i.Id[..12] : i.Id)).Append(")\n");
            if (first.Omitted is { } omitted)
            {
                text.Append("  (the instance left its ").Append(omitted == "schemas" ? "schemas" : "signatures and schemas")
                    .Append(" out: its description does not fit the server's max_payload)\n");
            }

            foreach (TopicDescription topic in first.Topics)
            {
                text.Append('\n').Append(topic.Topic).Append(": ").Append(topic.Signature ?? "(no signature)").Append('\n');
                text.Append("  subject    ").Append(topic.Subject);
                if (topic.QueueGroup is { } queueGroup)
                {
                    text.Append(" (queue group ").Append(queueGroup).Append(')');
                }

                text.Append('\n');
                Line(text, "arguments", topic.ArgumentsSchema);
                Line(text, "result", topic.ResultSchema);
                Line(text, "progress", topic.ProgressSchema);
            }

            text.Append('\n');
        }

        return text.ToString();

        static void Line(StringBuilder text, string label, string? schema)
        {
            if (schema is not null)
            {
                text.Append("  ").Append(label.PadRight(11)).Append(schema).Append('\n');
            }
        }
    }

    /// <summary>Everything but the instance's id: instances with the same shape run the same contract the same way.</summary>
    private static string Shape(AgentDescription instance)
    {
        StringBuilder shape = new();
        shape.Append(instance.Contract).Append('\n').Append(instance.Version).Append('\n').Append(instance.Omitted).Append('\n');
        foreach (TopicDescription topic in instance.Topics)
        {
            shape.Append(topic.Topic).Append('\n').Append(topic.Subject).Append('\n').Append(topic.QueueGroup).Append('\n')
                .Append(topic.Signature).Append('\n').Append(topic.ArgumentsSchema).Append('\n').Append(topic.ResultSchema).Append('\n')
                .Append(topic.ProgressSchema).Append('\n');
        }

        return shape.ToString();
    }

    private static void WriteJson(Utf8JsonWriter writer, AgentDescription instance)
    {
        writer.WriteStartObject();
        writer.WriteString("agent"u8, instance.Agent);
        writer.WriteString("service"u8, instance.Service);
        writer.WriteString("id"u8, instance.Id);
        writer.WriteString("version"u8, instance.Version);
        writer.WriteString("contract"u8, instance.Contract);
        writer.WriteString("description"u8, instance.Description);
        writer.WriteString("omitted"u8, instance.Omitted);
        writer.WriteStartArray("topics"u8);
        foreach (TopicDescription topic in instance.Topics)
        {
            writer.WriteStartObject();
            writer.WriteString("topic"u8, topic.Topic);
            writer.WriteString("subject"u8, topic.Subject);
            writer.WriteString("queue_group"u8, topic.QueueGroup);
            writer.WriteString("signature"u8, topic.Signature);
            Schema(writer, "arguments_schema", topic.ArgumentsSchema);
            Schema(writer, "result_schema", topic.ResultSchema);
            Schema(writer, "progress_schema", topic.ProgressSchema);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A schema as JSON; one that is not JSON (from a service that is no Ana agent) as the text it is.</summary>
    private static void Schema(Utf8JsonWriter writer, string name, string? schema)
    {
        writer.WritePropertyName(name);
        if (schema is null)
        {
            writer.WriteNullValue();
            return;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(schema);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(schema);
        }
    }
}
