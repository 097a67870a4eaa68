using System.CommandLine;
using System.Text.Json;

namespace Ana.Cli.Commands;

/// <summary><c>ana send query|pulse|discovery ...</c>: publish one envelope and print it.</summary>
internal static class SendCommand
{
    public const string Examples =
        """
        Examples:
          ana --identity caller send query --to other-bot --query 'status?' --topic default
          ana --identity caller send query --to resizer --topic resize --data '{"width": 640}'
          ana --identity caller send query --to writer --topic draft --data '{"prompt": "a haiku"}' --stream
          ana --identity caller send query --to indexer --topic enqueue --data '{"doc": {"id": 7}}' --durable --key doc-7
        --data is checked against the arguments schema the agent publishes for the topic (ana describe AGENT shows it)
        before anything is sent; --no-validate skips the check. With --durable the output is JetStream's receipt:
          {"request_id": "doc-7", "subject": "cc.fleet.indexer.work.enqueue", "stream": "ANA_WORK_cc_fleet", "seq": 12, "duplicate": false}
          ana --identity trainer send pulse --activity training --state 'step=4200,ce=0.83'
          ana --identity worker-1 send discovery --role worker --capabilities '{"gpu": "A100"}'
        """;

    public static Option<string> QueryOption() => new("--query")
    {
        Description = "The question, free text (the query's 'query' field). Required unless --data is given; without it the topic is the text, as a generated contract client sends.",
        HelpName = "TEXT",
    };

    /// <summary>A query needs its text or its data: <c>--query</c> may be left out only when <c>--data</c> is given.</summary>
    public static void RequireQueryOrData(Command command, Option<string> query, Option<JsonElement?> data)
        => command.Validators.Add(result =>
        {
            if (result.GetResult(query) is null && result.GetResult(data) is null)
            {
                result.AddError("Option '--query' is required unless --data is given.");
            }
        });

    /// <summary>
    /// The query's text: <c>--query</c>, or, when only <c>--data</c> is given, the topic, which is what a generated
    /// contract client sends as the text of a typed call (the method's topic; the arguments go in <c>data</c>).
    /// </summary>
    public static string QueryText(ParseResult parseResult, Option<string> query, string topic)
        => parseResult.GetValue(query) ?? topic;

    public static Option<string> TopicOption()
    {
        Option<string> topic = new("--topic")
        {
            Description = "The topic: the subject is <prefix>.<agent>.query.<topic>.",
            HelpName = "TOPIC",
            DefaultValueFactory = _ => AgentBus.DefaultTopic,
        };
        topic.Validators.Add(r => CliParsers.ValidateTopic(r, r.GetValueOrDefault<string>()));
        return topic;
    }

    public static Option<JsonElement?> DataOption() => new("--data")
    {
        Description = "Any JSON value sent as the query's 'data' (the call's arguments), e.g. '{\"width\": 640}'.",
        HelpName = "JSON",
        CustomParser = CliParsers.ParseJson,
    };

    public static Command Create(VerbRunner runner)
    {
        Command send = new("send", "Publish one envelope (query, pulse or discovery) and print it as one JSON line.")
        {
            CreateQuery(runner),
            CreatePulse(runner),
            CreateDiscovery(runner),
        };
        return send;
    }

    private static Command CreateQuery(VerbRunner runner)
    {
        Option<string> to = new("--to")
        {
            Description = "The agent the query is addressed to.",
            HelpName = "AGENT",
            Required = true,
        };
        to.Validators.Add(r => CliParsers.ValidateAgent(r, r.GetValueOrDefault<string>()));
        Option<string> query = QueryOption();
        Option<string> topic = TopicOption();
        Option<JsonElement?> data = DataOption();
        Option<bool> stream = new("--stream")
        {
            Description = "Ask for a stream of replies (a contract method returning IAsyncEnumerable<T>) and print each reply as one JSON line as it arrives, until the stream ends.",
        };
        Option<double> timeout = new("--timeout")
        {
            Description = "With --stream: seconds the whole stream may take (exit code 1 when it does not end in time).",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 60,
            CustomParser = CliParsers.ParseSeconds,
        };
        Option<int?> window = new("--window")
        {
            Description = "With --stream: how many items the agent may send before this command has printed them (default 16).",
            HelpName = "ITEMS",
        };
        window.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError("Option '--window' must be at least 1.");
            }
        });

        Option<bool> durable = new("--durable")
        {
            Description = "Store the query in the fleet's JetStream work stream (<prefix>.<agent>.work.<topic>) until a server of the agent takes it, even when none runs now; print JetStream's receipt. Needs a server with JetStream.",
        };
        Option<string?> key = new("--key")
        {
            Description = "With --durable: the idempotency key ([A-Za-z0-9_-], up to 64): sent again with the same key, the query is stored once within the stream's duplicate window.",
            HelpName = "KEY",
        };
        Option<bool> noValidate = ArgumentsCheck.NoValidateOption();
        Command command = new("query", "Send a query without waiting for a reply (fire and forget; use probe to wait), or with --stream print the stream of replies it asks for.")
        {
            to,
            query,
            topic,
            data,
            noValidate,
            stream,
            timeout,
            window,
            durable,
            key,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(durable) && result.GetValue(stream))
            {
                result.AddError("Options '--durable' and '--stream' cannot be combined: a stored query gets no stream.");
            }

            if (result.GetResult(key) is not null && !result.GetValue(durable))
            {
                result.AddError("Option '--key' needs '--durable'.");
            }
        });
        RequireQueryOrData(command, query, data);
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Interrupted,
            async (bus, ct) =>
            {
                string onTopic = parseResult.GetValue(topic) ?? AgentBus.DefaultTopic;
                if (await RefuseDataAsync(runner, bus, parseResult, parseResult.GetRequiredValue(to), onTopic, data, noValidate, ct).ConfigureAwait(false))
                {
                    return ExitCodes.Usage;
                }

                if (parseResult.GetValue(durable))
                {
                    return await EnqueueDurableAsync(runner, bus, parseResult.GetRequiredValue(to), onTopic, parseResult.GetValue(data), parseResult.GetValue(key), ct).ConfigureAwait(false);
                }

                if (parseResult.GetValue(stream))
                {
                    return await PrintStreamAsync(
                        runner,
                        bus,
                        parseResult.GetRequiredValue(to),
                        QueryText(parseResult, query, onTopic),
                        onTopic,
                        parseResult.GetValue(data),
                        parseResult.GetValue(timeout),
                        parseResult.GetValue(window),
                        ct).ConfigureAwait(false);
                }

                Query sent = await bus.QueryAsync(
                    parseResult.GetRequiredValue(to),
                    QueryText(parseResult, query, onTopic),
                    onTopic,
                    parseResult.GetValue(data),
                    fields: null,
                    ct).ConfigureAwait(false);
                await VerbRunner.ConfirmPublishedAsync(bus, ct).ConfigureAwait(false);
                runner.Output.WriteEnvelope(sent);
                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }

    /// <summary>
    /// Checks <c>--data</c> against the agent's arguments schema for the topic unless <c>--no-validate</c> is given; says
    /// why and returns <see langword="true"/> when it does not fit.
    /// </summary>
    public static async Task<bool> RefuseDataAsync(
        VerbRunner runner, AgentBus bus, ParseResult parseResult, string to, string topic, Option<JsonElement?> data, Option<bool> noValidate, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(noValidate) || parseResult.GetValue(data) is not { } arguments)
        {
            return false;
        }

        string? refusal = await ArgumentsCheck.RefusalAsync(bus, to, topic, arguments, runner.Output, cancellationToken).ConfigureAwait(false);
        if (refusal is null)
        {
            return false;
        }

        runner.Output.Error(refusal + " (nothing was sent; --no-validate sends it anyway)");
        return true;
    }

    /// <summary>Stores a query for the agent in the work stream; prints JetStream's receipt as one JSON line.</summary>
    private static async Task<int> EnqueueDurableAsync(
        VerbRunner runner, AgentBus bus, string to, string topic, JsonElement? data, string? key, CancellationToken cancellationToken)
    {
        DurableReceipt receipt;
        try
        {
            receipt = await bus.EnqueueDurableAsync(to, topic, data, key, cancellationToken).ConfigureAwait(false);
        }
        catch (AnaException ex) when (ex.Code is AnaErrorCodes.JetStreamUnavailable or AnaErrorCodes.NotStored)
        {
            runner.Output.Error($"{ex.Code}: {ex.Message}");
            return ExitCodes.Failure;
        }

        runner.Output.WriteJsonLine(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("request_id"u8, receipt.RequestId);
            writer.WriteString("subject"u8, bus.Subjects.Build(to, SubjectVerb.Work, topic));
            writer.WriteString("stream"u8, receipt.Stream);
            writer.WriteNumber("seq"u8, receipt.Sequence);
            writer.WriteBoolean("duplicate"u8, receipt.Duplicate);
            writer.WriteEndObject();
        });
        return ExitCodes.Success;
    }

    /// <summary>Prints each reply of a stream as one JSON line as it arrives; the exit code says how the stream ended.</summary>
    private static async Task<int> PrintStreamAsync(
        VerbRunner runner, AgentBus bus, string to, string text, string topic, JsonElement? data, double seconds, int? window, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (Reply item in bus.QueryStreamAsync(to, text, topic, TimeSpan.FromSeconds(seconds), data, window, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                runner.Output.WriteEnvelope(item);
            }

            return ExitCodes.Success;
        }
        catch (AnaRemoteException ex)
        {
            runner.Output.Error($"error reply from '{ex.Agent}': {ex.Code}: {ex.RemoteMessage}");
            return ExitCodes.ErrorReply;
        }
        catch (AnaTimeoutException)
        {
            runner.Output.Error($"timeout: the stream from '{to}' on {bus.Subjects.Build(to, SubjectVerb.Query, topic)} did not end within {GlobalOptions.Seconds(seconds)} s");
            return ExitCodes.Timeout;
        }
        catch (AnaNoRespondersException ex)
        {
            runner.Output.Error($"no responders: no agent listens on {ex.Subject}");
            return ExitCodes.NoResponders;
        }
        catch (AnaException ex) when (ex.Code == AnaErrorCodes.BadResponse)
        {
            runner.Output.Error($"broken stream from '{to}': {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static Command CreatePulse(VerbRunner runner)
    {
        Option<string> activity = new("--activity")
        {
            Description = "What this agent is doing, free text.",
            HelpName = "ACTIVITY",
            Required = true,
        };
        Option<string?> state = new("--state")
        {
            Description = "Progress detail, free text.",
            HelpName = "STATE",
        };

        Command command = new("pulse", "Publish a heartbeat on <prefix>.<identity>.pulse.")
        {
            activity,
            state,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Interrupted,
            async (bus, ct) =>
            {
                Pulse pulse = new()
                {
                    From = bus.Identity,
                    Ts = DateTimeOffset.UtcNow,
                    Clock = Clock(),
                    Host = bus.Options.Host,
                    Activity = parseResult.GetRequiredValue(activity),
                    State = parseResult.GetValue(state),
                };
                await bus.PublishAsync(bus.Subjects.Build(bus.Identity, SubjectVerb.Pulse), pulse, cancellationToken: ct).ConfigureAwait(false);
                await VerbRunner.ConfirmPublishedAsync(bus, ct).ConfigureAwait(false);
                runner.Output.WriteEnvelope(pulse);
                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }

    private static Command CreateDiscovery(VerbRunner runner)
    {
        Option<string?> role = new("--role")
        {
            Description = "This agent's role in the fleet, e.g. worker.",
            HelpName = "ROLE",
        };
        Option<JsonElement?> capabilities = new("--capabilities")
        {
            Description = "What this agent offers, a JSON object, e.g. '{\"gpu\": \"A100\"}'.",
            HelpName = "JSON",
            CustomParser = CliParsers.ParseJsonObject,
        };
        Option<string[]> subjects = new("--subject")
        {
            Description = "A subject this agent serves; repeatable. Default: <prefix>.<identity>.>.",
            HelpName = "SUBJECT",
            AllowMultipleArgumentsPerToken = false,
        };

        Command command = new("discovery", "Announce this agent on <prefix>.<identity>.discovery.")
        {
            role,
            capabilities,
            subjects,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Interrupted,
            async (bus, ct) =>
            {
                Dictionary<string, JsonElement>? offered = null;
                if (parseResult.GetValue(capabilities) is { } json)
                {
                    offered = [];
                    foreach (JsonProperty property in json.EnumerateObject())
                    {
                        offered[property.Name] = property.Value;
                    }
                }

                string[]? owned = parseResult.GetValue(subjects);
                Discovery discovery = new()
                {
                    From = bus.Identity,
                    Ts = DateTimeOffset.UtcNow,
                    Clock = Clock(),
                    Host = bus.Options.Host,
                    Role = parseResult.GetValue(role),
                    SubjectsOwned = owned is { Length: > 0 } ? owned : [bus.Subjects.AgentWildcard(bus.Identity)],
                    Capabilities = offered,
                };
                await bus.PublishAsync(bus.Subjects.Build(bus.Identity, SubjectVerb.Discovery), discovery, cancellationToken: ct).ConfigureAwait(false);
                await VerbRunner.ConfirmPublishedAsync(bus, ct).ConfigureAwait(false);
                runner.Output.WriteEnvelope(discovery);
                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }

    private static EnvelopeClock Clock() => new() { LocalTime = DateTimeOffset.Now, UptimeSeconds = VerbRunner.UptimeSeconds };
}
