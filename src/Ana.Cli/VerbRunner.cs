using System.CommandLine;
using System.Diagnostics;

namespace Ana.Cli;

/// <summary>What every networked verb shares: connect with the global options, map failures to exit codes, disconnect.</summary>
internal sealed class VerbRunner
{
    public VerbRunner(GlobalOptions globals, CliOutput output)
    {
        Globals = globals;
        Output = output;
    }

    public GlobalOptions Globals { get; }

    public CliOutput Output { get; }

    /// <summary>Seconds since the process started, for the <c>clock.uptime_s</c> of envelopes the CLI builds itself.</summary>
    public static double UptimeSeconds
    {
        get
        {
            using Process self = Process.GetCurrentProcess();
            return Math.Max(0, Math.Round((DateTime.Now - self.StartTime).TotalSeconds, 3));
        }
    }

    /// <summary>
    /// Connects, runs <paramref name="body"/>, disconnects. Ctrl+C / SIGTERM cancels <paramref name="cancellationToken"/>:
    /// the verb then exits with <paramref name="interruptedExitCode"/>.
    /// </summary>
    public async Task<int> RunAsync(
        ParseResult parseResult,
        int interruptedExitCode,
        Func<AgentBus, CancellationToken, Task<int>> body,
        CancellationToken cancellationToken)
    {
        Globals.RegisterSecrets(parseResult, Output.Redactor);
        string identity = Globals.ResolveIdentity(parseResult);
        AgentBusOptions options = Globals.ToBusOptions(parseResult, Output);

        AgentBus bus;
        try
        {
            bus = await AgentBus.ConnectAsync(identity, options, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return interruptedExitCode;
        }
        catch (Exception ex) when (ex is ArgumentException or FileNotFoundException)
        {
            // Inconsistent credentials (user without password, two methods at once), a missing creds file.
            Output.Error(Describe(ex));
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The runtime's message names the server, credentials redacted: "Could not connect to NATS at ...".
            Output.Error(Describe(ex));
            return ExitCodes.Failure;
        }

        try
        {
            return await body(bus, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return interruptedExitCode;
        }
        catch (ArgumentException ex)
        {
            Output.Error(Describe(ex));
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Output.Error(Describe(ex));
            return ExitCodes.Failure;
        }
        finally
        {
            await bus.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Returns once the server has processed everything published so far: core NATS handles a connection's commands in
    /// order, and subscribing waits for the server's acknowledgement. Without it a process that publishes and exits at
    /// once could close the socket before its publish left the client's buffer.
    /// </summary>
    public static async Task ConfirmPublishedAsync(AgentBus bus, CancellationToken cancellationToken)
    {
        string subject = "_ANA_CLI." + Guid.NewGuid().ToString("N");
        AgentSubscription probe = await bus.SubscribeAsync(subject, static (_, _) => ValueTask.CompletedTask, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        await probe.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The message of <paramref name="exception"/> without the "(Parameter 'x')" suffix.</summary>
    public static string Describe(Exception exception)
        => exception is ArgumentException { ParamName: { } param } argument
            ? argument.Message.Replace($" (Parameter '{param}')", string.Empty, StringComparison.Ordinal)
            : exception.Message;
}
