using System.Diagnostics;
using Ana.Testing.Processes;

namespace Ana.Package.Tests;

/// <summary>Runs the dotnet CLI as a child process, isolated from the test host's MSBuild environment.</summary>
internal static class DotNet
{
    public static Task<ProcessResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        ProcessStartInfo start = new(DotNetHost.Path) { WorkingDirectory = workingDirectory };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host runs under MSBuild/VSTest: its variables would point the child build at the wrong SDK parts.
        foreach (string key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || key.Equals("ANA_NATS_URL", StringComparison.Ordinal))
            {
                start.Environment.Remove(key);
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // No build servers outliving the child: they would hold its output pipes open and the test would wait on them.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";

        return ChildProcess.RunAsync(start, timeout);
    }
}
