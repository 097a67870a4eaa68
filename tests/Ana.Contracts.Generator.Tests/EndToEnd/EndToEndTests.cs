using System.Reflection;
using Ana.Contracts.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Contracts.Generator.Tests.EndToEnd;

/// <summary>
/// Generated clients and dispatchers at work: a contract, an implementation and a caller are compiled with the
/// generator, loaded, and run over the in-process memory:// broker — every kind of method, errors, timeout,
/// cancellation and one-way calls.
/// </summary>
public sealed class EndToEndTests
{
    private const string SchedulerScenario = """
        using System;
        using System.Collections.Generic;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;
        using Ana;
        using Ana.Contracts;
        using Demo;

        public sealed class Scheduler : IScheduler
        {
            public int Pings;
            public readonly TaskCompletionSource<string> Notified = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public Task<JobResult> SubmitAsync(Job job, CancellationToken ct) => job.Name switch
            {
                "fail" => throw new AnaException("rejected", "The job was rejected."),
                "crash" => throw new InvalidOperationException("secret"),
                "null" => Task.FromResult<JobResult>(null!),
                _ => Task.FromResult(new JobResult(job.Name, true, job.Priority + job.Tags.Count)),
            };

            public Task<long> AddAsync(int a, long b) => Task.FromResult(a + b);

            public async Task<int> SlowAsync(int ms, CancellationToken ct)
            {
                await Task.Delay(ms, ct);
                return ms;
            }

            public Task PingAsync()
            {
                Interlocked.Increment(ref Pings);
                return Task.CompletedTask;
            }

            public Task NotifyAsync(string note)
            {
                Notified.TrySetResult(note);
                return Task.CompletedTask;
            }
        }

        public static class Scenario
        {
            public static async Task<string> RunAsync(string url)
            {
                var log = new StringBuilder();
                var options = new AgentBusOptions { Url = url, DefaultTimeout = TimeSpan.FromSeconds(30) };
                await using AgentBus server = await AgentBus.ConnectAsync("sched-1", options);
                var implementation = new Scheduler();
                await using AgentSubscription serving = await server.ServeAsync<IScheduler>(implementation);
                await using AgentBus bus = await AgentBus.ConnectAsync("alice", options);
                IScheduler scheduler = bus.Client<IScheduler>();

                JobResult result = await scheduler.SubmitAsync(new Job("alpha", 2, new[] { "x", "y" }));
                log.AppendLine($"submit: {result.JobName} {result.Accepted} {result.QueuePosition}");
                log.AppendLine($"sum: {await scheduler.AddAsync(2, 40_000_000_000)}");
                log.AppendLine($"slow: {await scheduler.SlowAsync(10)}");
                try
                {
                    await scheduler.SlowAsync(3_000);
                    log.AppendLine("slow 3000: returned");
                }
                catch (AnaTimeoutException)
                {
                    log.AppendLine("slow 3000: timeout");
                }

                using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
                {
                    try
                    {
                        await scheduler.SlowAsync(400, cancel.Token);
                        log.AppendLine("slow cancelled: returned");
                    }
                    catch (OperationCanceledException)
                    {
                        log.AppendLine("slow cancelled: cancelled");
                    }
                }

                await scheduler.PingAsync();
                await scheduler.PingAsync();
                log.AppendLine($"ping: {implementation.Pings}");

                await scheduler.NotifyAsync("hello");
                log.AppendLine($"notify: {await implementation.Notified.Task.WaitAsync(TimeSpan.FromSeconds(30))}");

                foreach (string name in new[] { "fail", "crash", "null" })
                {
                    try
                    {
                        await scheduler.SubmitAsync(new Job(name, 0, new List<string>()));
                        log.AppendLine($"{name}: returned");
                    }
                    catch (AnaRemoteException error)
                    {
                        log.AppendLine($"{name}: {error.Code}: {error.RemoteMessage}");
                    }
                }

                try
                {
                    await bus.Client<IScheduler>("nobody").PingAsync();
                    log.AppendLine("nobody: returned");
                }
                catch (AnaNoRespondersException)
                {
                    log.AppendLine("nobody: no responders");
                }
                catch (AnaTimeoutException)
                {
                    log.AppendLine("nobody: timeout");
                }

                return log.ToString();
            }
        }
        """;

    private const string GeometryScenario = """
        using System;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;
        using Ana;
        using Ana.Contracts;
        using Demo.Custom;

        public sealed class Geometry : IGeometry
        {
            public Task<double> DistanceAsync(Point from, Point to, CancellationToken ct)
                => Task.FromResult(Math.Sqrt(Math.Pow(to.X - from.X, 2) + Math.Pow(to.Y - from.Y, 2)));

            public Task<string?> NameAsync(Point point) => Task.FromResult(point.X == 0 && point.Y == 0 ? "origin" : null);
        }

        public static class Scenario
        {
            public static async Task<string> RunAsync(string url)
            {
                var log = new StringBuilder();
                var options = new AgentBusOptions { Url = url };
                await using AgentBus server = await AgentBus.ConnectAsync("geo-1", options);
                await using AgentSubscription serving = await server.ServeAsync<IGeometry>(new Geometry());
                await using AgentBus bus = await AgentBus.ConnectAsync("bob", options);
                IGeometry geometry = bus.Client<IGeometry>();

                log.AppendLine($"distance: {await geometry.DistanceAsync(new Point { X = 0, Y = 0 }, new Point { X = 3, Y = 4 })}");
                log.AppendLine($"origin: {await geometry.NameAsync(new Point()) ?? "(null)"}");
                log.AppendLine($"elsewhere: {await geometry.NameAsync(new Point { X = 1 }) ?? "(null)"}");
                return log.ToString();
            }
        }
        """;

    [Fact]
    public async Task Scheduler_over_memory()
    {
        string report = await RunAsync(GeneratorHarness.Run(TestContracts.Scheduler), SchedulerScenario);

        Assert.Equal(
            """
            submit: alpha True 4
            sum: 40000000002
            slow: 10
            slow 3000: timeout
            slow cancelled: cancelled
            ping: 2
            notify: hello
            fail: rejected: The job was rejected.
            crash: internal: The handler failed.
            null: internal: IScheduler.SubmitAsync returned null, but its return type is not nullable.
            nobody: no responders

            """,
            report);
    }

    [Fact]
    public async Task User_json_context_over_memory()
    {
        string report = await RunAsync(GeneratorHarness.Run(TestContracts.UserContext, withSystemTextJson: true), GeometryScenario);

        Assert.Equal(
            """
            distance: 5
            origin: origin
            elsewhere: (null)

            """,
            report);
    }

    /// <summary>Adds <paramref name="scenario"/> (implementation and caller) to the generated code, then loads and runs it.</summary>
    private static async Task<string> RunAsync(GeneratorRun run, string scenario)
    {
        Assert.Empty(run.Diagnostics);
        run = run with { Output = run.Output.AddSyntaxTrees(CSharpSyntaxTree.ParseText(scenario, GeneratorHarness.ParseOptions, "/src/Scenario.cs")) };
        Assembly assembly = GeneratedAssembly.Load(run);
        return await GeneratedAssembly.RunScenarioAsync(assembly, "memory://" + Guid.NewGuid().ToString("N")).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
