using System.Diagnostics;
using System.Text.Json;
using Ana.Testing.Processes;
using Xunit.Abstractions;

namespace Ana.Package.Tests;

/// <summary>
/// What the NativeAOT sample tests share: publishing a sample for linux-x64 with no trimming or AOT warning, and
/// probing the running executable until it answers its first query.
/// </summary>
internal sealed class NativeAotSample
{
    /// <summary>
    /// One publish at a time: the samples' publishes build the same projects (the generator, the runtime) for the same
    /// runtime, and two at once on a fresh clone wrote the generator's deps.json together (IOException, a failed CI run).
    /// </summary>
    private static readonly SemaphoreSlim Publishing = new(1, 1);

    private NativeAotSample(string name, string binary)
    {
        Name = name;
        Binary = binary;
    }

    /// <summary>The sample's name: its folder under samples/ and its executable's name.</summary>
    public string Name { get; }

    /// <summary>The published native executable.</summary>
    public string Binary { get; }

    /// <summary>The JIT build of the same sample (framework-dependent, as the solution builds it), or <see langword="null"/> when it is not built.</summary>
    public string? JitBuild => File.Exists(JitPath) ? JitPath : null;

    private string JitPath => Path.Combine(SamplePaths.Repository, "samples", Name, "bin", "Release", "net10.0", Name + ".dll");

    /// <summary>
    /// <c>dotnet publish samples/NAME -c Release -r linux-x64 -p:PublishAot=true</c> into artifacts/aot/NAME; asserts
    /// that it succeeded with no IL2xxx/IL3xxx warning and reports the time it took and the executable's size.
    /// </summary>
    public static async Task<NativeAotSample> PublishAsync(string name, ITestOutputHelper output)
    {
        string repo = SamplePaths.Repository;
        string publishDir = Path.Combine(repo, "artifacts", "aot", name);
        await Publishing.WaitAsync();
        Stopwatch publishing = Stopwatch.StartNew();
        ProcessResult publish;
        try
        {
            publish = await DotNet.RunAsync(
                repo, TimeSpan.FromMinutes(10),
                "publish", Path.Combine(repo, "samples", name, name + ".csproj"), "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true",
                "-o", publishDir, "-nodeReuse:false", "-p:UseSharedCompilation=false", "--nologo");
        }
        finally
        {
            Publishing.Release();
        }

        publish.EnsureSuccess($"dotnet publish samples/{name} -p:PublishAot=true");
        Assert.DoesNotMatch(@"warning (IL\d{4}|IL[23]\d{3})", publish.Output);
        string binary = Path.Combine(publishDir, name);
        long size = new FileInfo(binary).Length;
        output.WriteLine($"publish: {publishing.Elapsed.TotalSeconds:0.0} s; {name}: {size:N0} bytes ({size / 1024.0 / 1024.0:0.0} MiB), 0 trimming/AOT warnings");
        return new NativeAotSample(name, binary);
    }

    /// <summary>
    /// Queries <paramref name="agent"/> on <paramref name="topic"/> every few milliseconds ("no responders" while the
    /// process is still starting, also as an error reply: an agent whose method calls another agent of the same process
    /// may be served a moment before that one) until it answers; fails after 60 s. Returns the reply, checked to carry no error.
    /// </summary>
    public static async Task<Reply> FirstAnswerAsync(ChildProcess process, AgentBus prober, string agent, string topic, JsonElement data)
    {
        Stopwatch waiting = Stopwatch.StartNew();
        Reply? reply = null;
        while (reply is null)
        {
            Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(60), $"{agent} did not answer within 60 s. {process.Describe()}");
            try
            {
                reply = await prober.QueryAndWaitAsync(agent, "ping", topic, TimeSpan.FromMilliseconds(500), data);
                if (reply?.Error is { Code: AnaErrorCodes.NoResponders })
                {
                    reply = null;
                    await Task.Delay(2);
                }
            }
            catch (AnaNoRespondersException)
            {
                await Task.Delay(2);
            }
        }

        Assert.Null(reply.Error);
        return reply;
    }
}
