using System.Diagnostics;
using System.Text.Json;
using Ana.Testing.Processes;

namespace Ana.Contracts.Tests.Micro;

/// <summary>
/// The official NATS JavaScript services client, pinned, installed from the npm registry on first use (as build.sh
/// installs nats-server) into a folder of the test's output, and <c>micro-client.cjs</c>, which drives it.
/// </summary>
internal static class JavaScriptServicesClient
{
    public const string ServicesPackage = "@nats-io/services";
    public const string ServicesVersion = "3.0.0-25";
    public const string TransportPackage = "@nats-io/transport-node";
    public const string TransportVersion = "3.4.0";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>Where the packages and the script go: <c>node-micro-client/</c> beside the test assembly.</summary>
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "node-micro-client");

    /// <summary>
    /// Runs <c>micro-client.cjs</c> against the service <paramref name="service"/> on <paramref name="url"/>, then sends
    /// <paramref name="query"/> on <paramref name="querySubject"/>; returns the JSON it printed.
    /// </summary>
    public static async Task<JsonElement> RunAsync(string url, string service, string querySubject, string query)
    {
        string script = await InstallAsync();
        ProcessStartInfo info = new("node") { WorkingDirectory = Folder };
        foreach (string argument in new[] { script, url, service, querySubject, query })
        {
            info.ArgumentList.Add(argument);
        }

        ProcessResult result = (await ChildProcess.RunAsync(info, RunTimeout)).EnsureSuccess("node micro-client.cjs");
        return JsonDocument.Parse(result.StdoutLines[^1]).RootElement.Clone();
    }

    /// <summary>Installs the pinned packages unless they are there already, and puts the script beside them.</summary>
    private static async Task<string> InstallAsync()
    {
        await Installing.WaitAsync();
        try
        {
            Directory.CreateDirectory(Folder);
            if (InstalledVersion(ServicesPackage) != ServicesVersion || InstalledVersion(TransportPackage) != TransportVersion)
            {
                ProcessStartInfo npm = new("npm") { WorkingDirectory = Folder };
                foreach (string argument in new[]
                {
                    "install", "--prefix", Folder, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error",
                    $"{ServicesPackage}@{ServicesVersion}", $"{TransportPackage}@{TransportVersion}",
                })
                {
                    npm.ArgumentList.Add(argument);
                }

                (await ChildProcess.RunAsync(npm, InstallTimeout)).EnsureSuccess($"npm install {ServicesPackage}@{ServicesVersion} {TransportPackage}@{TransportVersion}");
            }

            string script = Path.Combine(Folder, "micro-client.cjs");
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Micro", "micro-client.cjs"), script, overwrite: true);
            return script;
        }
        finally
        {
            Installing.Release();
        }
    }

    private static string? InstalledVersion(string package)
    {
        string manifest = Path.Combine(Folder, "node_modules", package, "package.json");
        return File.Exists(manifest)
            ? JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("version").GetString()
            : null;
    }
}
