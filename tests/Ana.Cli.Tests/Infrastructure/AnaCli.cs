using System.Diagnostics;
using System.Reflection;
using Ana.Testing.Processes;

namespace Ana.Cli.Tests.Infrastructure;

/// <summary>
/// Starts the <c>ana</c> CLI as a process (<c>dotnet Ana.Cli.dll ARGS</c>), with nothing of the test host's
/// connection settings in its environment.
/// </summary>
internal static class AnaCli
{
    /// <summary>The path of the built Ana.Cli.dll, recorded at build time by the test project.</summary>
    public static string CliPath { get; } = typeof(AnaCli).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AnaCliPath").Value
        ?? throw new InvalidOperationException("AnaCliPath metadata is missing.");

    /// <summary>
    /// A native build of the CLI to test instead of <see cref="CliPath"/>, e.g. the NativeAOT binary:
    /// <c>ANA_CLI_EXECUTABLE=/path/to/Ana.Cli dotnet test tests/Ana.Cli.Tests</c>.
    /// </summary>
    public static string? Executable => Environment.GetEnvironmentVariable("ANA_CLI_EXECUTABLE") is { Length: > 0 } path ? path : null;

    /// <summary>Starts the CLI with <paramref name="args"/>.</summary>
    public static ChildProcess Start(params string[] args) => Start(args, captureStdout: true);

    /// <summary>
    /// Starts the CLI; with <paramref name="captureStdout"/> false, standard output is left unread for
    /// <see cref="ChildProcess.CloseStandardOutput"/>.
    /// </summary>
    public static ChildProcess Start(string[] args, bool captureStdout) => ChildProcess.Start(StartInfo(args), captureStdout);

    /// <summary>Runs the CLI to its end (killing it and throwing <see cref="TimeoutException"/> after <paramref name="timeout"/>).</summary>
    public static Task<ProcessResult> RunAsync(TimeSpan timeout, params string[] args) => ChildProcess.RunAsync(StartInfo(args), timeout);

    /// <summary>Runs the CLI to its end with <paramref name="environment"/> set (e.g. <c>ANA_NATS_URL</c>).</summary>
    public static Task<ProcessResult> RunAsync(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        ProcessStartInfo info = StartInfo(args);
        foreach (KeyValuePair<string, string> variable in environment)
        {
            info.Environment[variable.Key] = variable.Value;
        }

        return ChildProcess.RunAsync(info, timeout);
    }

    private static ProcessStartInfo StartInfo(string[] args)
    {
        string program = Executable ?? CliPath;
        if (!File.Exists(program))
        {
            throw new FileNotFoundException($"The CLI was not built at {program}.", program);
        }

        ProcessStartInfo info = new(Executable ?? DotNetHost.Path);
        if (Executable is null)
        {
            info.ArgumentList.Add(CliPath);
        }

        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The tests say where to connect; nothing from the test host's environment leaks in.
        foreach (string variable in (string[])["ANA_NATS_URL", "ANA_NATS_TOKEN", "ANA_NATS_USER", "ANA_NATS_PASSWORD", "ANA_NATS_NKEY_SEED", "ANA_NATS_CREDS", "ANA_NATS_TLS_CA", "ANA_NATS_TLS_CERT", "ANA_NATS_TLS_KEY"])
        {
            info.Environment.Remove(variable);
        }

        return info;
    }
}
