using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ana.Cli.Commands;

/// <summary><c>ana discover [--timeout S]</c>: list the agents that announce discovery or pulse during S seconds.</summary>
internal static class DiscoverCommand
{
    public const string Examples =
        """
        Output: a table, one agent a line, sorted by name (LAST SEEN is the 'ts' of its latest envelope, UTC):
          NAME      ROLE    HOST       LAST SEEN             SUBJECTS             ACTIVITY
          pulser    -       claw-0002  2026-05-14T06:35:01Z  -                    idle (queue=0)
          worker-1  worker  claw-0001  2026-05-14T06:35:02Z  cc.fleet.worker-1.>  -
        SUBJECTS are those the agent announced; a bus serving a contract under another agent name (ServeAsync) lists
        that agent's query subjects there too, so what discover shows is what a probe is answered on.
        With --json, one JSON object a line: {"name", "role", "host", "last_seen", "subjects", "serves", "activity", "state"}
        ("serves": [{"agent", "topics"}], the contracts it serves and their topics; empty when it announced none).
        Core NATS keeps nothing: only agents that announce or pulse during the wait are listed.

        Examples:
          ana discover
          ana --prefix myfleet.v1 discover --timeout 10
          ana discover --json | jq -r .name
        """;

    public static Command Create(VerbRunner runner)
    {
        Option<double> timeout = new("--timeout")
        {
            Description = "Seconds to listen before printing the table.",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 3,
            CustomParser = CliParsers.ParseSeconds,
        };
        Option<bool> json = new("--json")
        {
            Description = "Print one JSON object per agent instead of a table.",
        };

        Command command = new("discover", "List the agents that announce discovery or pulse (<prefix>.*.discovery, <prefix>.*.pulse) within --timeout.")
        {
            timeout,
            json,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Success,
            async (bus, ct) =>
            {
                double seconds = parseResult.GetValue(timeout);
                Dictionary<string, AgentSeen> agents = new(StringComparer.Ordinal);
                EnvelopeHandler record = (envelope, _) =>
                {
                    lock (agents)
                    {
                        if (!agents.TryGetValue(envelope.From, out AgentSeen? seen))
                        {
                            seen = new AgentSeen(envelope.From);
                            agents.Add(envelope.From, seen);
                        }

                        seen.Record(envelope);
                    }

                    return ValueTask.CompletedTask;
                };

                string prefix = bus.Subjects.Prefix;
                List<AgentSubscription> subscriptions = [];
                try
                {
                    foreach (string subject in (string[])[$"{prefix}.*.discovery", $"{prefix}.*.pulse", $"{prefix}.*.pulse.>"])
                    {
                        subscriptions.Add(await bus.SubscribeAsync(subject, record, cancellationToken: ct).ConfigureAwait(false));
                    }

                    runner.Output.Error($"listening for discovery and pulse under {prefix} for {GlobalOptions.Seconds(seconds)} s");
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(seconds), ct).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        // Ctrl+C: print what was seen so far.
                    }
                }
                finally
                {
                    foreach (AgentSubscription subscription in subscriptions)
                    {
                        await subscription.DisposeAsync().ConfigureAwait(false);
                    }
                }

                List<AgentSeen> seenAgents;
                lock (agents)
                {
                    seenAgents = [.. agents.Values.OrderBy(a => a.Name, StringComparer.Ordinal)];
                }

                if (parseResult.GetValue(json))
                {
                    foreach (AgentSeen agent in seenAgents)
                    {
                        runner.Output.WriteJsonLine(agent.Write);
                    }
                }
                else
                {
                    runner.Output.WriteText(FormatTable(seenAgents));
                }

                if (seenAgents.Count == 0)
                {
                    runner.Output.Error($"no agent announced discovery or pulse under {prefix} within {GlobalOptions.Seconds(seconds)} s");
                }

                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }

    internal static string FormatTable(IReadOnlyList<AgentSeen> agents)
    {
        string[] header = ["NAME", "ROLE", "HOST", "LAST SEEN", "SUBJECTS", "ACTIVITY"];
        List<string[]> rows = [header];
        foreach (AgentSeen agent in agents)
        {
            rows.Add(
            [
                agent.Name,
                agent.Role ?? "-",
                agent.Host ?? "-",
                TextTable.Time(agent.LastSeen),
                agent.Subjects is { Count: > 0 } subjects ? string.Join(',', subjects) : "-",
                agent.Activity is null ? "-" : agent.State is null ? agent.Activity : $"{agent.Activity} ({agent.State})",
            ]);
        }

        return TextTable.Format(rows);
    }

    /// <summary>What discover learned about one agent.</summary>
    internal sealed class AgentSeen(string name)
    {
        public string Name { get; } = name;

        public string? Role { get; private set; }

        public string? Host { get; private set; }

        public DateTimeOffset LastSeen { get; private set; } = DateTimeOffset.MinValue;

        public IReadOnlyList<string>? Subjects { get; private set; }

        public IReadOnlyList<ServedAgent>? Serves { get; private set; }

        public string? Activity { get; private set; }

        public string? State { get; private set; }

        public void Record(Envelope envelope)
        {
            if (envelope.Ts >= LastSeen)
            {
                LastSeen = envelope.Ts;
                Host = envelope.Host ?? Host;
            }

            switch (envelope)
            {
                case Discovery discovery:
                    Role = discovery.Role ?? Role;
                    Subjects = discovery.SubjectsOwned ?? Subjects;

                    // What it serves now: a discovery without the extension says it serves nothing typed.
                    Serves = discovery.Serves;
                    break;
                case Pulse pulse:
                    Activity = pulse.Activity;
                    State = pulse.State;
                    break;
            }
        }

        public void Write(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("name", Name);
            WriteOptional(writer, "role", Role);
            WriteOptional(writer, "host", Host);
            writer.WriteString("last_seen", TextTable.Time(LastSeen));
            writer.WriteStartArray("subjects");
            foreach (string subject in Subjects ?? [])
            {
                writer.WriteStringValue(subject);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("serves");
            foreach (ServedAgent served in Serves ?? [])
            {
                writer.WriteStartObject();
                writer.WriteString("agent", served.Agent);
                if (served.Topics is null)
                {
                    writer.WriteNull("topics");
                }
                else
                {
                    writer.WriteStartArray("topics");
                    foreach (string topic in served.Topics)
                    {
                        writer.WriteStringValue(topic);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteOptional(writer, "activity", Activity);
            WriteOptional(writer, "state", State);
            writer.WriteEndObject();
        }

        private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
        {
            if (value is null)
            {
                writer.WriteNull(name);
            }
            else
            {
                writer.WriteString(name, value);
            }
        }
    }
}
