using System.CommandLine;
using System.Text.Json;

namespace Ana.Cli.Commands;

/// <summary><c>ana probe AGENT [--query TEXT] [--topic T] [--data JSON] [--timeout S]</c>: one query, one reply.</summary>
internal static class ProbeCommand
{
    public const string Examples =
        """
        Examples:
          ana --identity caller probe other-bot --query 'status?' --timeout 5
          ana probe resizer --topic resize --data '{"width": 640}' --timeout 2
          ana probe other-bot --query 'status?' | jq .data
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
            Description = "Seconds to wait for the reply (exit code 1 when none comes).",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 5,
            CustomParser = CliParsers.ParseSeconds,
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
        };
        SendCommand.RequireQueryOrData(command, query, data);

        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Interrupted,
            async (bus, ct) =>
            {
                string to = parseResult.GetRequiredValue(agent);
                string onTopic = parseResult.GetValue(topic) ?? AgentBus.DefaultTopic;
                double seconds = parseResult.GetValue(timeout);
                if (await SendCommand.RefuseDataAsync(runner, bus, parseResult, to, onTopic, data, noValidate, ct).ConfigureAwait(false))
                {
                    return ExitCodes.Usage;
                }

                try
                {
                    Reply? reply = await bus.QueryAndWaitAsync(
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
                            $"timeout: no reply from '{to}' on {bus.Subjects.Build(to, SubjectVerb.Query, onTopic)} within {GlobalOptions.Seconds(seconds)} s");
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
            },
            cancellationToken));
        return command;
    }
}
