namespace Ana.Testing.Processes;

/// <summary>The dotnet host to start .NET programs with.</summary>
public static class DotNetHost
{
    /// <summary>The dotnet host running these tests (DOTNET_HOST_PATH under the SDK), else the one on the PATH.</summary>
    public static string Path =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
