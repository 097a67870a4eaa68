using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ana.Cli.Commands;

/// <summary><c>ana durable status [--json]</c>: the streams of the prefix's durable work and the consumers of its work stream.</summary>
internal static class DurableCommand
{
    public const string Examples =
        """
        Output: each stream of the prefix's durable work (the work queue, the parked messages, the completion
        records), then one line per durable (agent, topic) consumer:
          STREAM                MESSAGES  BYTES
          ANA_WORK_cc_fleet     12        4,310
          ANA_PARKED_cc_fleet   1         402
          KV_ANA_DONE_cc_fleet  200       61,800

          SUBJECT                      PENDING  IN FLIGHT  REDELIVERED  PULLS  CONSUMER
          cc.fleet.indexer.work.index  10       2          0            1      ana_3k2j...
        PENDING is stored and not yet delivered, IN FLIGHT delivered and not yet acknowledged, PULLS the pulls the
        agent's servers have open (0: no server takes this work now). The work stream's MESSAGES is not the pending work
        (after a kill -9 of nats-server it counts acknowledged messages again); PENDING + IN FLIGHT is.
        With --json, one JSON object: {"streams": [{"name", "exists", "messages", "bytes"}], "consumers": [{"name",
        "subject", "pending", "in_flight", "redelivered", "waiting_pulls"}]}.

        Examples:
          ana durable status
          ana durable status --json | jq '.consumers[] | select(.pending > 0)'
        """;

    public static Command Create(VerbRunner runner)
    {
        Option<bool> json = new("--json") { Description = "Print one JSON object instead of tables." };
        Command status = new("status", "Show the streams of the prefix's durable work and, per durable (agent, topic), what is pending and in flight.") { json };
        status.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Interrupted,
            async (bus, ct) =>
            {
                DurableStatus state = await bus.DurableWork.GetStatusAsync(ct).ConfigureAwait(false);
                if (parseResult.GetValue(json))
                {
                    runner.Output.WriteJsonLine(writer => WriteJson(writer, state));
                }
                else
                {
                    runner.Output.WriteText(FormatText(state));
                }

                return ExitCodes.Success;
            },
            cancellationToken));
        return new Command("durable", "Durable work on JetStream: the state of its streams and consumers.") { status };
    }

    private static string FormatText(DurableStatus state)
    {
        List<string[]> streams = [["STREAM", "MESSAGES", "BYTES"]];
        foreach (DurableStreamStatus stream in state.Streams)
        {
            streams.Add(stream.Exists ? [stream.Name, Number(stream.Messages), Number(stream.Bytes)] : [stream.Name, "-", "(missing)"]);
        }

        StringBuilder text = new(TextTable.Format(streams));
        text.Append('\n');
        if (state.Consumers.Count == 0)
        {
            text.Append("no consumers: no server of this prefix has served a durable method yet\n");
            return text.ToString();
        }

        List<string[]> consumers = [["SUBJECT", "PENDING", "IN FLIGHT", "REDELIVERED", "PULLS", "CONSUMER"]];
        foreach (DurableConsumerStatus consumer in state.Consumers)
        {
            consumers.Add([consumer.FilterSubject, Number((long)consumer.Pending), Number(consumer.InFlight), Number(consumer.Redelivered), Number(consumer.WaitingPulls), consumer.Name]);
        }

        return text.Append(TextTable.Format(consumers)).ToString();
    }

    private static void WriteJson(Utf8JsonWriter writer, DurableStatus state)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("streams"u8);
        foreach (DurableStreamStatus stream in state.Streams)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, stream.Name);
            writer.WriteBoolean("exists"u8, stream.Exists);
            writer.WriteNumber("messages"u8, stream.Messages);
            writer.WriteNumber("bytes"u8, stream.Bytes);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("consumers"u8);
        foreach (DurableConsumerStatus consumer in state.Consumers)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, consumer.Name);
            writer.WriteString("subject"u8, consumer.FilterSubject);
            writer.WriteNumber("pending"u8, consumer.Pending);
            writer.WriteNumber("in_flight"u8, consumer.InFlight);
            writer.WriteNumber("redelivered"u8, consumer.Redelivered);
            writer.WriteNumber("waiting_pulls"u8, consumer.WaitingPulls);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
