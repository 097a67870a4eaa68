using System.Diagnostics;

namespace Ana.Benchmarks;

/// <summary>Starts this program again in a process of its own (a responder, a peer server), its standard streams redirected.</summary>
internal static class ThisProgram
{
    public static ProcessStartInfo StartInfo(params IEnumerable<string> arguments)
    {
        ProcessStartInfo start = new(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Under `dotnet Ana.Benchmarks.dll` the process is the host: hand it the assembly again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ThisProgram).Assembly.Location);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
