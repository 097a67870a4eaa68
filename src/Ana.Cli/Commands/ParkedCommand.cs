using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ana.Cli.Commands;

/// <summary><c>ana parked list|show|replay|drop</c>: the stored messages the agents' servers gave up on (docs/durable.md, "Failures and parking").</summary>
internal static class ParkedCommand
{
    public const string Examples =
        """
        Parked messages live in the JetStream stream ANA_PARKED_<prefix>: stored work whose handler kept failing
        (MaxAttempts), on which servers died, or that could not be read. list and show change nothing; replay stores
        a message again on its work subject (fresh attempts) and then removes it from the parked stream; drop removes it.
          SEQ  AGENT    TOPIC  ATTEMPTS  PARKED AT             BY        ERROR
          3    indexer  flaky  3         2026-12-03T23:41:02Z  worker-1  internal: The handler failed (...).
        With --json (list) and always (show), one JSON object per message: {"seq", "agent", "topic", "subject",
        "original_seq", "attempts", "error_code", "error", "stored_at", "parked_at", "by"}, show adding "envelope".
        show and drop exit 1 when no parked message has that number.

        Examples:
          ana parked list --agent indexer
          ana parked show 3 | jq .envelope.data
          ana parked replay 3
          ana parked replay --agent indexer --all
          ana parked drop 3
        """;

    public static Command Create(VerbRunner runner)
        => new("parked", "List, show, replay or drop parked durable messages (the JetStream stream ANA_PARKED_<prefix>).")
        {
            CreateList(runner),
            CreateShow(runner),
            CreateReplay(runner),
            CreateDrop(runner),
        };

    private static Option<string?> AgentOption(string description)
    {
        Option<string?> agent = new("--agent") { Description = description, HelpName = "AGENT" };
        agent.Validators.Add(r => CliParsers.ValidateAgent(r, r.GetValueOrDefault<string?>()!));
        return agent;
    }

    private static Argument<ulong> SequenceArgument() => new("seq") { Description = "The parked message's sequence number (the SEQ column of ana parked list)." };

    private static Command CreateList(VerbRunner runner)
    {
        Option<string?> agent = AgentOption("Only the parked messages of this agent.");
        Option<bool> json = new("--json") { Description = "Print one JSON object per message instead of a table." };
        Command command = new("list", "List the parked messages, oldest first (changes nothing).") { agent, json };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Interrupted,
            async (bus, ct) =>
            {
                List<ParkedMessage> parked = [];
                await foreach (ParkedMessage message in bus.DurableWork.ListParkedAsync(parseResult.GetValue(agent), ct).ConfigureAwait(false))
                {
                    parked.Add(message);
                }

                if (parseResult.GetValue(json))
                {
                    foreach (ParkedMessage message in parked)
                    {
                        runner.Output.WriteJsonLine(writer => WriteJson(writer, message, withEnvelope: false));
                    }
                }
                else
                {
                    runner.Output.WriteText(FormatTable(parked));
                }

                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }

    private static Command CreateShow(VerbRunner runner)
    {
        Argument<ulong> sequence = SequenceArgument();
        Command command = new("show", "Print one parked message with its envelope as one JSON line (changes nothing).") { sequence };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Interrupted,
            async (bus, ct) =>
            {
                ulong seq = parseResult.GetValue(sequence);
                if (await bus.DurableWork.GetParkedAsync(seq, ct).ConfigureAwait(false) is not { } message)
                {
                    runner.Output.Error($"no parked message has the number {seq}");
                    return ExitCodes.Timeout;
                }

                runner.Output.WriteJsonLine(writer => WriteJson(writer, message, withEnvelope: true));
                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }

    private static Command CreateReplay(VerbRunner runner)
    {
        Argument<ulong?> sequence = new("seq") { Description = "The parked message to replay.", Arity = ArgumentArity.ZeroOrOne };
        Option<bool> all = new("--all") { Description = "Replay every parked message (of --agent, when given)." };
        Option<string?> agent = AgentOption("With --all: only the parked messages of this agent.");
        Command command = new("replay", "Store parked messages again on their work subjects (with fresh attempts), then remove them from the parked stream; print one receipt per message.")
        {
            sequence,
            all,
            agent,
        };
        command.Validators.Add(result =>
        {
            bool hasSequence = result.GetValue(sequence) is not null;
            if (hasSequence == result.GetValue(all))
            {
                result.AddError("Give either a parked message's number or --all.");
            }

            if (result.GetResult(agent) is not null && !result.GetValue(all))
            {
                result.AddError("Option '--agent' needs '--all'.");
            }
        });
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Interrupted,
            async (bus, ct) =>
            {
                List<ulong> replayed = [];
                if (parseResult.GetValue(sequence) is { } one)
                {
                    replayed.Add(one);
                }
                else
                {
                    await foreach (ParkedMessage message in bus.DurableWork.ListParkedAsync(parseResult.GetValue(agent), ct).ConfigureAwait(false))
                    {
                        replayed.Add(message.Sequence);
                    }
                }

                foreach (ulong seq in replayed)
                {
                    DurableReceipt receipt;
                    try
                    {
                        receipt = await bus.DurableWork.ReplayParkedAsync(seq, ct).ConfigureAwait(false);
                    }
                    catch (AnaException ex) when (ex.Code is AnaErrorCodes.NotFound or AnaErrorCodes.NotStored)
                    {
                        runner.Output.Error($"{ex.Code}: {ex.Message}");
                        return ex.Code == AnaErrorCodes.NotFound ? ExitCodes.Timeout : ExitCodes.Failure;
                    }

                    runner.Output.WriteJsonLine(writer =>
                    {
                        writer.WriteStartObject();
                        writer.WriteNumber("parked_seq"u8, seq);
                        writer.WriteString("request_id"u8, receipt.RequestId);
                        writer.WriteString("stream"u8, receipt.Stream);
                        writer.WriteNumber("seq"u8, receipt.Sequence);
                        writer.WriteBoolean("duplicate"u8, receipt.Duplicate);
                        writer.WriteEndObject();
                    });
                }

                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }

    private static Command CreateDrop(VerbRunner runner)
    {
        Argument<ulong> sequence = SequenceArgument();
        Command command = new("drop", "Remove one parked message for good.") { sequence };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Interrupted,
            async (bus, ct) =>
            {
                ulong seq = parseResult.GetValue(sequence);
                if (!await bus.DurableWork.DropParkedAsync(seq, ct).ConfigureAwait(false))
                {
                    runner.Output.Error($"no parked message has the number {seq}");
                    return ExitCodes.Timeout;
                }

                runner.Output.WriteJsonLine(writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("dropped"u8, seq);
                    writer.WriteEndObject();
                });
                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }

    private static void WriteJson(Utf8JsonWriter writer, ParkedMessage message, bool withEnvelope)
    {
        writer.WriteStartObject();
        writer.WriteNumber("seq"u8, message.Sequence);
        writer.WriteString("agent"u8, message.Agent);
        writer.WriteString("topic"u8, message.Topic);
        writer.WriteString("subject"u8, message.OriginalSubject);
        writer.WriteNumber("original_seq"u8, message.OriginalSequence);
        writer.WriteNumber("attempts"u8, message.Attempts);
        writer.WriteString("error_code"u8, message.ErrorCode);
        writer.WriteString("error"u8, message.Error);
        if (message.StoredAt is { } storedAt)
        {
            writer.WriteString("stored_at"u8, storedAt);
        }
        else
        {
            writer.WriteNull("stored_at"u8);
        }

        writer.WriteString("parked_at"u8, message.ParkedAt);
        writer.WriteString("by"u8, message.ParkedBy);
        if (withEnvelope)
        {
            writer.WritePropertyName("envelope"u8);
            WriteEnvelope(writer, message.Envelope);
        }

        writer.WriteEndObject();
    }

    /// <summary>The stored envelope as JSON; bytes that are not JSON (what could not be read, and was parked for it) as a string.</summary>
    private static void WriteEnvelope(Utf8JsonWriter writer, ReadOnlyMemory<byte> envelope)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(envelope);
            document.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(Encoding.UTF8.GetString(envelope.Span));
        }
    }

    private static string FormatTable(List<ParkedMessage> parked)
    {
        if (parked.Count == 0)
        {
            return "no parked messages\n";
        }

        List<string[]> rows = [["SEQ", "AGENT", "TOPIC", "ATTEMPTS", "PARKED AT", "BY", "ERROR"]];
        foreach (ParkedMessage message in parked)
        {
            rows.Add([
                message.Sequence.ToString(CultureInfo.InvariantCulture),
                message.Agent,
                message.Topic,
                message.Attempts.ToString(CultureInfo.InvariantCulture),
                TextTable.Time(message.ParkedAt),
                message.ParkedBy,
                $"{message.ErrorCode}: {message.Error}",
            ]);
        }

        return TextTable.Format(rows);
    }
}
