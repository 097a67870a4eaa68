using System.Diagnostics;
using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Ana.Transport;
using Ana.Transport.Nats;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using Xunit.Abstractions;

namespace Ana.Tests.Transport;

/// <summary>
/// A subscription the server refuses is detected for certain (issue 10): by the time registering returns, the
/// server's <c>-ERR</c> has been seen on the read loop, however loaded the machine is and however late the client's
/// <c>ServerError</c> event runs.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class NatsRefusalTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Attempts = 50;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ana-refusal-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [OwnNatsServerFact]
    public async Task Every_refused_subscription_fails_registration_even_on_a_busy_machine()
    {
        string config = Path.Combine(_dir, "nats.conf");
        await File.WriteAllTextAsync(config, """
            authorization {
              users = [
                { user: confined, password: "confined-pw", permissions: { subscribe: { allow: ["mine.>", "_INBOX.>"] } } }
              ]
            }
            """);
        await using NatsServer nats = await NatsServer.StartAsync("-c", config);
        RecordingLogger log = new();

        // The client's ServerError event is made to lag far behind the read loop: only the tap can be in time.
        await using NatsTransport transport = await NatsTestSupport.ConnectAsync(
            nats.Url, log, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = "confined", Password = "confined-pw" } });
        Assert.True(transport.RefusalsAreCertain, "the client's read loop does not log through the tap");
        transport.Connection.ServerError += async (_, _) => await Task.Delay(TimeSpan.FromSeconds(2));

        using CancellationTokenSource load = new();
        Task[] burners = [.. Enumerable.Range(0, Environment.ProcessorCount * 2).Select(_ => Task.Run(() => Burn(load.Token)))];
        try
        {
            Stopwatch elapsed = Stopwatch.StartNew();
            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                string forbidden = $"theirs.{attempt}";
                AnaPermissionException refused = await Assert.ThrowsAsync<AnaPermissionException>(
                    async () => await transport.SubscribeAsync(forbidden, null, _ => default, CancellationToken.None));
                Assert.Contains(forbidden, refused.Message, StringComparison.Ordinal);

                // An allowed subscription right after is accepted, and is not mistaken for the refused one.
                await using ITransportSubscription allowed = await transport.SubscribeAsync($"mine.{attempt}", null, _ => default, CancellationToken.None);
            }

            output.WriteLine($"{Attempts} refusals detected, {Attempts} allowed subscriptions accepted, in {elapsed.ElapsedMilliseconds} ms on a loaded machine");
        }
        finally
        {
            await load.CancelAsync();
            await Task.WhenAll(burners);
        }
    }

    private static void Burn(CancellationToken stop)
    {
        double x = 1;
        while (!stop.IsCancellationRequested)
        {
            x = Math.Sqrt(x + 1);
        }

        GC.KeepAlive(x);
    }
}
