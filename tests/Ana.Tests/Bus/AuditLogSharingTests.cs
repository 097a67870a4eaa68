using System.Diagnostics;
using System.Text.Json;
using Ana.Testing.Processes;

namespace Ana.Tests.Bus;

/// <summary>
/// Buses that share <see cref="AgentBusOptions.AuditLogPath"/>, in one process (memory://) and across processes: every
/// publish is one whole, valid JSON line, none lost or overwritten.
/// </summary>
public sealed class AuditLogSharingTests : IDisposable
{
    private static readonly TimeSpan ChildPatience = TimeSpan.FromSeconds(90);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"ana-audit-{Guid.NewGuid():N}.jsonl");
    private readonly string _url = $"memory://audit-{Guid.NewGuid():N}";

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task Two_buses_sharing_an_audit_log_write_every_line_whole()
    {
        const int PerBus = 300;
        AgentBusOptions options = new() { Url = _url, AuditLogPath = _path };
        await using (AgentBus alice = await AgentBus.ConnectAsync("alice", options))
        await using (AgentBus bob = await AgentBus.ConnectAsync("bob", options))
        {
            await Task.WhenAll(PulseAsync(alice, PerBus), PulseAsync(bob, PerBus));
        }

        (int valid, int invalid) = CountLines(_path, out Dictionary<string, int> byAgent);
        Assert.Equal(0, invalid);
        Assert.Equal(2 * PerBus, valid);
        Assert.Equal(PerBus, byAgent.GetValueOrDefault("alice"));
        Assert.Equal(PerBus, byAgent.GetValueOrDefault("bob"));
    }

    [Fact]
    public async Task A_bus_that_closes_first_leaves_its_lines_written_and_the_other_bus_still_auditing()
    {
        AgentBusOptions options = new() { Url = _url, AuditLogPath = _path };
        await using AgentBus bob = await AgentBus.ConnectAsync("bob", options);
        await using (AgentBus alice = await AgentBus.ConnectAsync("alice", options with { AuditLogPath = Path.Combine(Path.GetDirectoryName(_path)!, ".", Path.GetFileName(_path)) }))
        {
            await PulseAsync(alice, 5);
        }

        (int afterAlice, _) = CountLines(_path, out _);
        Assert.Equal(5, afterAlice);

        await PulseAsync(bob, 7);
        await bob.DisposeAsync();
        (int valid, int invalid) = CountLines(_path, out Dictionary<string, int> byAgent);
        Assert.Equal(0, invalid);
        Assert.Equal(12, valid);
        Assert.Equal(7, byAgent.GetValueOrDefault("bob"));

        // Reopened after the last bus closed: appended, not truncated.
        await using (AgentBus carol = await AgentBus.ConnectAsync("carol", options))
        {
            await PulseAsync(carol, 3);
        }

        Assert.Equal(15, CountLines(_path, out _).Valid);
    }

    [Fact]
    public async Task Two_processes_appending_to_one_audit_log_keep_every_line()
    {
        const int PerProcess = 10_000;
        string writer = AuditWriterPath();
        Stopwatch elapsed = Stopwatch.StartNew();
        Task<ProcessResult> first = ChildProcess.RunAsync(new ProcessStartInfo(DotNetHost.Path, [writer, _path, $"{PerProcess}", "writer-a"]), ChildPatience);
        Task<ProcessResult> second = ChildProcess.RunAsync(new ProcessStartInfo(DotNetHost.Path, [writer, _path, $"{PerProcess}", "writer-b"]), ChildPatience);
        (await first).EnsureSuccess("writer-a");
        (await second).EnsureSuccess("writer-b");
        elapsed.Stop();

        (int valid, int invalid) = CountLines(_path, out Dictionary<string, int> byAgent);
        Assert.True(invalid == 0 && valid == 2 * PerProcess, $"{valid} valid lines, {invalid} invalid, in {elapsed.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(PerProcess, byAgent.GetValueOrDefault("writer-a"));
        Assert.Equal(PerProcess, byAgent.GetValueOrDefault("writer-b"));
    }

    private static async Task PulseAsync(AgentBus bus, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await bus.PulseAsync($"line {i}");
        }
    }

    private static (int Valid, int Invalid) CountLines(string path, out Dictionary<string, int> byAgent)
    {
        byAgent = [];
        int valid = 0;
        int invalid = 0;
        foreach (string line in File.ReadAllLines(path))
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                string from = document.RootElement.GetProperty("envelope").GetProperty("from").GetString()!;
                byAgent[from] = byAgent.GetValueOrDefault(from) + 1;
                valid++;
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                invalid++;
            }
        }

        return (valid, invalid);
    }

    /// <summary>tests/Ana.AuditWriter's build output, built with this project (a project reference that is not referenced).</summary>
    private static string AuditWriterPath()
    {
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        string? configuration = null;
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "Ana.AuditWriter")))
        {
            if (directory.Parent?.Name == "bin")
            {
                configuration = directory.Name;
            }

            directory = directory.Parent;
        }

        Assert.True(directory is not null && configuration is not null, $"tests/Ana.AuditWriter not found above {AppContext.BaseDirectory}");
        string path = Path.Combine(directory.FullName, "Ana.AuditWriter", "bin", configuration, "net10.0", "Ana.AuditWriter.dll");
        Assert.True(File.Exists(path), $"{path} is missing: build tests/Ana.Tests");
        return path;
    }
}
