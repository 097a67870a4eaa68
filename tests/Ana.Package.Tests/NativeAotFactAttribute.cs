using System.Runtime.InteropServices;
using Ana.Testing.Skipping;

namespace Ana.Package.Tests;

/// <summary>
/// A fact that publishes with NativeAOT: it runs only with <c>ANA_AOT_TESTS=1</c> (the publish takes over a minute),
/// on linux-x64, and needs a nats-server (skipped when <c>ANA_SKIP_NATS=1</c>).
/// </summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ANA_AOT_TESTS") != "1")
        {
            Skip = "set ANA_AOT_TESTS=1 to publish and probe the NativeAOT samples";
        }
        else if (NatsSkip.Requested)
        {
            Skip = NatsSkip.Reason;
        }
        else if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            Skip = "linux-x64 only";
        }
    }
}
