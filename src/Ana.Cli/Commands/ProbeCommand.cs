using System.CommandLine;
using System.Text.Json;

namespace Ana.Cli.Commands;

/// <summary><c>ana probe AGENT [--query TEXT] [--topic T] [--data JSON] [--timeout S] [--durable [--key K]]</c>: one query, one reply.</summary>
internal static class ProbeCommand
{
    public const string Examples =
        """
        Examples:
          ana --identity caller probe other-bot --query 'status?' --timeout 5
          ana probe resizer --topic resize --data '{"width": 640}' --timeout 2
          ana probe other-bot --query 'status?' | jq .data
          ana probe indexer --topic index --data '{"doc": {"id": 7, "text": "hello"}}' --durable --key index-7
        With --durable the query is stored in the fleet's JetStream work stream and waits there for a server of the
        agent (60 s unless --timeout says otherwise); its reply comes on <prefix>.<agent>.reply.<topic>.
        """;

    public static Command Create(VerbRunner runner)
    {
        Argument<string> agent = new("agent") { Description = "The agent to query." };
        agent.Validators.Add(r => CliParsers.ValidateAgent(r, r.GetValueOrDefault<string>()));
        Option<string> query = SendCommand.QueryOption();
        Option<string> topic = SendCommand.TopicOption();
        Option<JsonElement?> data = SendCommand.DataOption();
        Option<double> timeout = new("--timeout")
        {
            Description = "Seconds to wait for the reply (exit code 1 when none comes); 5, or 60 with --durable.",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 5,
            CustomParser = CliParsers.ParseSeconds,
        };
        Option<bool> durable = new("--durable")
        {
            Description = "A durable call: store the query in the fleet's JetStream work stream (<prefix>.<agent>.work.<topic>) until a server of the agent takes it, even one that starts later, and wait for its reply. Needs a server with JetStream.",
        };
        Option<string?> key = new("--key")
        {
            Description = "With --durable: the idempotency key ([A-Za-z0-9_-], up to 64) the call is stored under: probing again with the same key while the first is stored or running gets its reply, and stores nothing new.",
            HelpName = "KEY",
        };

        Option<bool> noValidate = ArgumentsCheck.NoValidateOption();
        Command command = new("probe", "Send a query and wait for one reply; print the reply as one JSON line.")
        {
            agent,
            query,
            topic,
            data,
            noValidate,
            timeout,
            durable,
            key,
        };
        SendCommand.RequireQueryOrData(command, query, data);
        command.Validators.Add(result =>
        {
            if (result.GetResult(key) is not null && !result.GetValue(durable))
            {
                result.AddError("Option '--key' needs '--durable'.");
            }
        });

        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Interrupted,
            async (bus, ct) =>
            {
                string to = parseResult.GetRequiredValue(agent);
                string onTopic = parseResult.GetValue(topic) ?? AgentBus.DefaultTopic;
                bool stored = parseResult.GetValue(durable);
                double seconds = stored && parseResult.GetResult(timeout) is null or { Implicit: true } ? bus.Options.Durable.DefaultCallTimeout.TotalSeconds : parseResult.GetValue(timeout);
                if (await SendCommand.RefuseDataAsync(runner, bus, parseResult, to, onTopic, data, noValidate, ct).ConfigureAwait(false))
                {
                    return ExitCodes.Usage;
                }

                try
                {
                    Reply? reply = stored
                        ? await bus.QueryDurableAndWaitAsync(to, onTopic, parseResult.GetValue(data), TimeSpan.FromSeconds(seconds), parseResult.GetValue(key), ct).ConfigureAwait(false)
                        : await bus.QueryAndWaitAsync(
                            to,
                            SendCommand.QueryText(parseResult, query, onTopic),
                            onTopic,
                            TimeSpan.FromSeconds(seconds),
                            parseResult.GetValue(data),
                            fields: null,
                            ct).ConfigureAwait(false);
                    if (reply is null)
                    {
                        runner.Output.Error(
                            $"timeout: no reply from '{to}' on {bus.Subjects.Build(to, stored ? SubjectVerb.Work : SubjectVerb.Query, onTopic)} within {GlobalOptions.Seconds(seconds)} s{(stored ? " (the query stays stored until a server takes it or its deadline passes)" : "")}");
                        return ExitCodes.Timeout;
                    }

                    runner.Output.WriteEnvelope(reply);
                    if (reply.Error is { } error)
                    {
                        runner.Output.Error($"error reply from '{reply.From}': {error.Code}: {error.Message}");
                        return ExitCodes.ErrorReply;
                    }

                    return ExitCodes.Success;
                }
                catch (AnaNoRespondersException ex)
                {
                    runner.Output.Error($"no responders: no agent listens on {ex.Subject}");
                    return ExitCodes.NoResponders;
                }
                catch (AnaException ex) when (ex.Code is AnaErrorCodes.JetStreamUnavailable or AnaErrorCodes.NotStored)
                {
                    runner.Output.Error($"{ex.Code}: {ex.Message}");
                    return ExitCodes.Failure;
                }
            },
            cancellationToken));
        return command;
    }
}
