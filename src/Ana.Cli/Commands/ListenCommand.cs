using System.CommandLine;

namespace Ana.Cli.Commands;

/// <summary><c>ana listen --scope self|all</c>: print every envelope, one JSON line each, until Ctrl+C or SIGTERM.</summary>
internal static class ListenCommand
{
    public const string Self = "self";
    public const string All = "all";

    public const string Examples =
        """
        Output: one JSON line per envelope, flushed at once:
          {"subject": "<subject>", "reply_to": "<inbox, when set>", "envelope": {<the envelope as on the wire>}}
        With --envelope-only, just the envelope. Messages that are not valid envelopes are dropped with a warning on stderr.

        Examples:
          ana --identity miraku-home listen --scope self
          ana --prefix myfleet.v1 listen --scope all | jq -c 'select(.envelope.type == "pulse")'
          ana --identity bob listen --envelope-only > bob.jsonl
        """;

    public static Command Create(VerbRunner runner)
    {
        Option<string> scope = new("--scope")
        {
            Description = "self: what is addressed to --identity (<prefix>.<identity>.>); all: the whole fleet (<prefix>.>).",
            HelpName = "self|all",
            DefaultValueFactory = _ => Self,
        };
        scope.AcceptOnlyFromAmong(Self, All);
        Option<bool> envelopeOnly = new("--envelope-only")
        {
            Description = "Print only the envelope of each message, without its subject.",
        };

        Command command = new("listen", "Print every envelope addressed to --identity, or under the whole prefix, until Ctrl+C.")
        {
            scope,
            envelopeOnly,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(
            parseResult,
            ExitCodes.Success,
            async (bus, ct) =>
            {
                string subject = parseResult.GetValue(scope) == All ? bus.Subjects.FleetWildcard : bus.Subjects.AgentWildcard(bus.Identity);
                bool bare = parseResult.GetValue(envelopeOnly);
                TaskCompletionSource outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

                AgentSubscription subscription = await bus.SubscribeAsync(
                    subject,
                    (envelope, context) =>
                    {
                        // Never throw: a failing handler would make the bus answer queries with an error reply.
                        try
                        {
                            if (bare)
                            {
                                runner.Output.WriteEnvelope(envelope);
                            }
                            else
                            {
                                runner.Output.WriteInbound(context.Subject, context.ReplyTo, envelope);
                            }
                        }
                        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
                        {
                            outputClosed.TrySetResult();
                        }

                        return ValueTask.CompletedTask;
                    },
                    cancellationToken: ct).ConfigureAwait(false);

                await using (subscription.ConfigureAwait(false))
                {
                    runner.Output.Error($"listening on {subject} as {bus.Identity} (Ctrl+C to stop)");
                    try
                    {
                        await outputClosed.Task.WaitAsync(ct).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        // Ctrl+C or SIGTERM: a normal end.
                    }
                }

                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }
}
