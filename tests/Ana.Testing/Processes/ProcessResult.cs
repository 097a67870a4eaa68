namespace Ana.Testing.Processes;

/// <summary>How a <see cref="ChildProcess"/> run ended.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="StdoutLines">Standard output, line by line.</param>
/// <param name="Stderr">Standard error.</param>
/// <param name="Output">Standard output and error interleaved in the order the lines arrived.</param>
public sealed record ProcessResult(int ExitCode, IReadOnlyList<string> StdoutLines, string Stderr, string Output)
{
    public string Stdout => string.Join('\n', StdoutLines);

    /// <summary>This result when the exit code is 0; otherwise <see cref="InvalidOperationException"/> with the output.</summary>
    public ProcessResult EnsureSuccess(string what) =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"{what} failed with exit code {ExitCode}:{Environment.NewLine}{Output}");

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Stdout}{Environment.NewLine}stderr:{Environment.NewLine}{Stderr}";
}
