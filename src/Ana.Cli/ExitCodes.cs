namespace Ana.Cli;

/// <summary>The exit codes of <c>ana</c>, as documented in <c>ana --help</c> and <c>docs/cli.md</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Success: the verb did what it was asked (probe: a reply came and was printed).</summary>
    public const int Success = 0;

    /// <summary>probe: no reply came within <c>--timeout</c>.</summary>
    public const int Timeout = 1;

    /// <summary>Usage error (unknown verb or flag, missing or invalid value, invalid <c>--data</c> JSON), or probe: no agent listens on the query's subject.</summary>
    public const int UsageOrNoResponders = 2;

    /// <summary>The server could not be reached or refused the connection, or another runtime failure.</summary>
    public const int Failure = 3;

    /// <summary>probe or send interrupted by Ctrl+C / SIGINT before it finished (listen and discover exit 0 on Ctrl+C).</summary>
    public const int Interrupted = 130;

    /// <summary>The text of the exit-code section of the help.</summary>
    public const string HelpText =
        """
        Exit codes:
          0    success (probe: a reply came and is printed; listen/discover: stopped by Ctrl+C or SIGTERM)
          1    probe: no reply within --timeout
          2    usage error (unknown verb or flag, missing or invalid value, invalid --data JSON),
               or probe: no responders (nobody subscribes to the query's subject)
          3    could not connect to the server (unreachable, authentication refused) or another failure
          130  probe/send interrupted by Ctrl+C before it finished
        """;
}
