namespace Ana.Cli;

/// <summary>
/// The exit codes of <c>ana</c>, as documented in <c>ana --help</c> and <c>docs/cli.md</c>; the <c>SendQuery</c> sample
/// exits with the same codes for the same outcomes.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Success: the verb did what it was asked (probe: a reply without an error came and was printed).</summary>
    public const int Success = 0;

    /// <summary>probe: no reply came within <c>--timeout</c>; describe: no instance of the agent answered; parked show/replay/drop: no such parked message.</summary>
    public const int Timeout = 1;

    /// <summary>
    /// Usage error: unknown verb or flag, missing or invalid value, invalid <c>--data</c> JSON or <c>--data</c> that does not
    /// fit the agent's arguments schema, inconsistent credentials.
    /// </summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached or refused the connection, or another runtime failure.</summary>
    public const int Failure = 3;

    /// <summary>probe: no agent listens on the query's subject (the server said so at once).</summary>
    public const int NoResponders = 4;

    /// <summary>probe: the reply came with its <c>error</c> set (it is printed all the same).</summary>
    public const int ErrorReply = 5;

    /// <summary>probe or send interrupted by Ctrl+C / SIGINT before it finished (listen and discover exit 0 on Ctrl+C).</summary>
    public const int Interrupted = 130;

    /// <summary>The text of the exit-code section of the help.</summary>
    public const string HelpText =
        """
        Exit codes:
          0    success (probe: a reply came and is printed; listen/discover: stopped by Ctrl+C or SIGTERM)
          1    probe: no reply within --timeout; describe: no instance of the agent answered;
               parked show/replay/drop: no parked message has that number
          2    usage error (unknown verb or flag, missing or invalid value, invalid --data JSON, or --data that
               does not fit the arguments schema the agent publishes for the topic)
          3    could not connect to the server (unreachable, authentication refused), a durable query not
               stored (jetstream_unavailable, not_stored), or another failure
          4    probe: no responders (nobody subscribes to the query's subject)
          5    probe: the reply is an error reply (printed on stdout; its code and message on stderr)
          130  probe/send interrupted by Ctrl+C before it finished
        """;
}
