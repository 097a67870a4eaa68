using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text;
using Ana.Cli.Commands;
using Microsoft.Win32.SafeHandles;

namespace Ana.Cli;

/// <summary>The <c>ana</c> command line: verbs, global options, help with examples and exit codes, usage errors (exit 2).</summary>
internal static class AnaCli
{
    private const string RootExamples =
        """
        Examples:
          ana --identity miraku-home listen --scope self
          ana --identity caller send query --to other-bot --query 'status?' --topic default
          ana --identity caller probe other-bot --query 'status?' --timeout 5
          ana --prefix myfleet.v1 --nats nats://10.0.0.1:4222 discover --timeout 5
          ana describe scheduler
          ana --audit-log /var/log/ana.jsonl send pulse --activity deploying
          ana --nats tls://nats.internal:4222 --tls-ca ca.pem --tls-cert me.pem --tls-key me-key.pem discover

        Global options go before or after the verb. Secrets are never printed; prefer the environment
        (ANA_NATS_TOKEN, ANA_NATS_USER, ANA_NATS_PASSWORD, ANA_NATS_NKEY_SEED, ANA_NATS_CREDS) or a .creds file
        to flags, which other users of the machine can see in the process list. Credentials in a URL must be
        percent-encoded (%2F for '/', %3F for '?', %23 for '#', %40 for '@').
        """;

    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        CliOutput output = new(OpenStandardOutput(), Console.Error, new Redactor());
        return RunAsync(args, output);
    }

    /// <summary>
    /// Standard output as a plain file stream: unlike the console stream, which drops writes to a closed pipe silently,
    /// it throws, so that <c>ana listen | head -n 5</c> ends when <c>head</c> does.
    /// </summary>
    private static Stream OpenStandardOutput()
    {
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                return new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or NotSupportedException)
            {
                // Not a usable descriptor: fall back to the console stream.
            }
        }

        return Console.OpenStandardOutput();
    }

    /// <summary>Runs the command line against <paramref name="output"/> (tests can pass their own streams).</summary>
    public static async Task<int> RunAsync(string[] args, CliOutput output)
    {
        GlobalOptions globals = new();
        Command root = Build(globals, new VerbRunner(globals, output));
        ParseResult parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            globals.RegisterSecrets(parseResult, output.Redactor);
            WriteUsageError(parseResult, output);
            return ExitCodes.Usage;
        }

        InvocationConfiguration invocation = new()
        {
            // Ctrl+C / SIGTERM cancel the verb's token; the verb has this long to stop cleanly.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(10),
        };
        return await parseResult.InvokeAsync(invocation).ConfigureAwait(false);
    }

    /// <summary>The command tree.</summary>
    public static Command Build(GlobalOptions globals, VerbRunner runner)
    {
        Command root = new("ana", "Talk to an ana agent fleet over NATS: listen, send, probe, discover, describe; parked and durable for durable work on JetStream.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        globals.AddTo(root);

        Dictionary<Command, string> extras = [];
        extras[root] = RootExamples;
        Add(root, ListenCommand.Create(runner), ListenCommand.Examples, extras);
        AddWithSubcommands(root, SendCommand.Create(runner), SendCommand.Examples, extras);

        Add(root, ProbeCommand.Create(runner), ProbeCommand.Examples, extras);
        Add(root, DiscoverCommand.Create(runner), DiscoverCommand.Examples, extras);
        Add(root, DescribeCommand.Create(runner), DescribeCommand.Examples, extras);
        AddWithSubcommands(root, ParkedCommand.Create(runner), ParkedCommand.Examples, extras);
        AddWithSubcommands(root, DurableCommand.Create(runner), DurableCommand.Examples, extras);

        foreach (Option option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction help } helpOption)
            {
                helpOption.Action = new HelpWithExamplesAction(help, extras);
            }
        }

        return root;
    }

    private static void Add(Command root, Command verb, string examples, Dictionary<Command, string> extras)
    {
        root.Subcommands.Add(verb);
        extras[verb] = examples;
    }

    private static void AddWithSubcommands(Command root, Command verb, string examples, Dictionary<Command, string> extras)
    {
        Add(root, verb, examples, extras);
        foreach (Command sub in verb.Subcommands)
        {
            extras[sub] = examples;
        }
    }

    /// <summary>Like argparse: the errors, the usage line and where to find help, on standard error.</summary>
    private static void WriteUsageError(ParseResult parseResult, CliOutput output)
    {
        foreach (ParseError error in parseResult.Errors)
        {
            output.Error("error: " + error.Message);
        }

        Command command = parseResult.CommandResult.Command;
        string path = CommandPath(parseResult.CommandResult);
        StringBuilder usage = new("Usage: ");
        usage.Append(path);
        foreach (Argument argument in command.Arguments)
        {
            usage.Append(" <").Append(argument.Name).Append('>');
        }

        if (command.Subcommands.Count > 0)
        {
            usage.Append(" <command>");
        }

        usage.Append(" [options]\n");
        usage.Append("Run '").Append(path).Append(" --help' for the options, examples and exit codes.\n");
        output.ErrorText(usage.ToString());
    }

    private static string CommandPath(CommandResult result)
    {
        List<string> names = [];
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult command)
            {
                names.Add(command.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The standard help, followed by the verb's output format, examples and the exit codes.</summary>
    private sealed class HelpWithExamplesAction(HelpAction inner, IReadOnlyDictionary<Command, string> extras) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int result = inner.Invoke(parseResult);
            TextWriter writer = parseResult.InvocationConfiguration.Output;
            if (extras.TryGetValue(parseResult.CommandResult.Command, out string? extra))
            {
                writer.WriteLine(extra);
                writer.WriteLine();
            }

            writer.WriteLine(ExitCodes.HelpText);
            return result;
        }
    }
}
