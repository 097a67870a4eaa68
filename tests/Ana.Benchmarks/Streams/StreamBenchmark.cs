using System.Diagnostics;
using System.Threading.Channels;
using Ana.Benchmarks.Contract;
using Ana.Benchmarks.Reporting;
using Ana.Benchmarks.Wire;
using Ana.Contracts;
using Ana.Testing.Nats;
using NATS.Client.Core;

namespace Ana.Benchmarks.Streams;

/// <summary>
/// Streams (issue 13): items per second of a generated stream (64-byte readings) against the ceiling on this machine,
/// raw NATS publishes of the same items (serialized with System.Text.Json) to a subscriber, for one stream at several
/// windows and for 16 concurrent streams; and what a heartbeat deadline costs a call that ends before its first
/// heartbeat. Everything runs in this process over one nats-server, the baseline and the measured alike, alternating.
/// </summary>
internal sealed class StreamBenchmark(BenchmarkSettings settings, Report report)
{
    private const string Throughput = "5. Streams: items/s (generated stream vs raw NATS publish to a subscriber, same items)";
    private const string Heartbeat = "6. A call with a heartbeat deadline vs the same call without (it ends before the first heartbeat)";
    private static readonly NatsJsonContextSerializer<Reading> Serializer = new(ReferenceJsonContext.Default);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using StreamRig rig = await StreamRig.StartAsync(cancellationToken);
        IStreamBench client = rig.Client;

        // The subscriber waits rather than drop when it falls behind, so that every item counts in both.
        NatsOpts raw = NatsOpts.Default with { Url = rig.Url, SubPendingChannelFullMode = BoundedChannelFullMode.Wait };
        await using NatsConnection publisher = new(raw with { Name = "bench-raw-publisher" });
        await using NatsConnection subscriber = new(raw with { Name = "bench-raw-subscriber" });

        int items = settings.Smoke ? 2_000 : 200_000;
        await AnaRateAsync(client, 1, items / 4, 16);
        await RawRateAsync(publisher, subscriber, 1, items / 4, cancellationToken);

        // A stream's items go server -> nats-server -> caller, its credit caller -> nats-server -> server: a window's worth
        // of items can be on their way per such round trip, whatever the code at either end costs.
        TimeSpan roundTrip = await RoundTripAsync(publisher, subscriber, settings.Smoke ? 200 : 5_000, cancellationToken);

        foreach (int window in new[] { 1, 16, 64, 256 })
        {
            // One round trip per item at a window of 1: fewer items, the same rate.
            int count = window == 1 ? items / 20 : items;
            List<double> ana = [], baseline = [];
            for (int round = 0; round < settings.Rounds; round++)
            {
                baseline.Add(await RawRateAsync(publisher, subscriber, 1, count, cancellationToken));
                ana.Add(await AnaRateAsync(client, 1, count, window));
            }

            report.Add(Throughput, $"1 stream, window {window}", Median(ana), Median(baseline), "items/s", window == 16 ? Target.Min(0.5) : null);
            report.Add(
                Throughput,
                $"  what credit allows at window {window}: {window} items per round trip through the server ({roundTrip.TotalMicroseconds:0} µs, raw request/reply, this run)",
                window / roundTrip.TotalSeconds,
                Median(baseline),
                "items/s");
        }

        List<double> ana16 = [], raw16 = [];
        for (int round = 0; round < settings.Rounds; round++)
        {
            raw16.Add(await RawRateAsync(publisher, subscriber, 16, items, cancellationToken));
            ana16.Add(await AnaRateAsync(client, 16, items, 16));
        }

        report.Add(Throughput, "16 concurrent streams, window 16", Median(ana16), Median(raw16), "items/s", Target.Min(0.5));
        await HeartbeatCostAsync(client, cancellationToken);
    }

    /// <summary>
    /// Sequential latency and throughput at 64 callers of the same echo, with a heartbeat deadline and without, each
    /// round's order alternating (plain first, then watched first). Throughput is compared in pairs of adjacent windows,
    /// and the pair with the median ratio is reported: the machine's drift from one window to the next (the thread pool
    /// settling, other processes) moved a ratio of whole-run medians by ±8% between identical runs.
    /// </summary>
    private async Task HeartbeatCostAsync(IStreamBench client, CancellationToken cancellationToken)
    {
        IEchoCaller plain = new Caller(client, heartbeat: false), watched = new Caller(client, heartbeat: true);
        await LoadRunner.SequentialAsync(plain, new long[settings.WarmupCalls], cancellationToken);
        await LoadRunner.SequentialAsync(watched, new long[settings.WarmupCalls], cancellationToken);
        List<long> plainTicks = [], watchedTicks = [];
        for (int round = 0; round < settings.Rounds; round++)
        {
            bool plainFirst = round % 2 == 0;
            await LatenciesAsync(plainFirst ? plain : watched, plainFirst ? plainTicks : watchedTicks);
            await LatenciesAsync(plainFirst ? watched : plain, plainFirst ? watchedTicks : plainTicks);
        }

        TimeSpan window = settings.ThroughputDuration / 2;
        List<(double Watched, double Plain)> pairs = [];
        for (int pair = 0; pair < settings.Rounds * 2; pair++)
        {
            bool plainFirst = pair % 2 == 0;
            double first = await LoadRunner.ThroughputAsync(plainFirst ? plain : watched, 64, window, cancellationToken);
            double second = await LoadRunner.ThroughputAsync(plainFirst ? watched : plain, 64, window, cancellationToken);
            pairs.Add(plainFirst ? (second, first) : (first, second));
        }

        long[] sortedPlain = [.. plainTicks.Order()], sortedWatched = [.. watchedTicks.Order()];
        report.Add(Heartbeat, "p50 latency", Percentiles.Microseconds(sortedWatched, 50), Percentiles.Microseconds(sortedPlain, 50), "µs", Target.Max(1.05));
        (double Watched, double Plain)[] byRatio = [.. pairs.OrderBy(p => p.Watched / p.Plain)];
        (double medianWatched, double medianPlain) = byRatio[(byRatio.Length - 1) / 2];
        Console.WriteLine($"  calls/s ratios of the {pairs.Count} pairs of windows: {string.Join(", ", pairs.Select(p => (p.Watched / p.Plain).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
        report.Add(Heartbeat, "calls/s, 64 concurrent callers (the pair of windows with the median ratio)", medianWatched, medianPlain, "calls/s", Target.Min(0.95));

        async Task LatenciesAsync(IEchoCaller caller, List<long> into)
        {
            long[] latencies = new long[settings.LatencyCalls];
            await LoadRunner.SequentialAsync(caller, latencies, cancellationToken);
            into.AddRange(latencies);
        }
    }

    /// <summary>Items per second of <paramref name="streams"/> concurrent streams of <paramref name="items"/> items in all, at <paramref name="window"/>.</summary>
    internal static async Task<double> AnaRateAsync(IStreamBench client, int streams, int items, int window)
    {
        using IDisposable scope = AnaCallOptions.Scope(new AnaCallOptions { StreamWindow = window });
        int each = items / streams;
        Stopwatch watch = Stopwatch.StartNew();
        int[] counts = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => Task.Run(async () =>
        {
            int n = 0;
            await foreach (Reading reading in client.ReadingsAsync(each).ConfigureAwait(false))
            {
                n++;
            }

            return n;
        })));
        return counts.Sum() / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Each of <paramref name="streams"/> publishers sends its share to a subject of its own, read by a subscription of its own.</summary>
    private static async Task<double> RawRateAsync(NatsConnection publisher, NatsConnection subscriber, int streams, int items, CancellationToken cancellationToken)
    {
        int each = items / streams;
        string run = Guid.NewGuid().ToString("N")[..8];
        List<INatsSub<Reading>> subscriptions = [];
        for (int s = 0; s < streams; s++)
        {
            subscriptions.Add(await subscriber.SubscribeCoreAsync($"bench.raw.{run}.{s}", serializer: Serializer, cancellationToken: cancellationToken));
        }

        await subscriber.PingAsync(cancellationToken);
        Stopwatch watch = Stopwatch.StartNew();
        Task<int>[] readers = [.. subscriptions.Select(subscription => Task.Run(async () =>
        {
            int n = 0;
            await foreach (NatsMsg<Reading> _ in subscription.Msgs.ReadAllAsync(cancellationToken))
            {
                if (++n == each)
                {
                    break;
                }
            }

            return n;
        }, cancellationToken))];
        await Task.WhenAll(Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
        {
            for (int i = 0; i < each; i++)
            {
                await publisher.PublishAsync($"bench.raw.{run}.{s}", Reading.Sample, serializer: Serializer, cancellationToken: cancellationToken);
            }
        }, cancellationToken)));
        int[] counts = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
        double rate = counts.Sum() / watch.Elapsed.TotalSeconds;
        foreach (INatsSub<Reading> subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }

        return rate;
    }

    /// <summary>The median of <paramref name="count"/> sequential raw requests from <paramref name="requester"/>, answered by <paramref name="responder"/>.</summary>
    private static async Task<TimeSpan> RoundTripAsync(NatsConnection requester, NatsConnection responder, int count, CancellationToken cancellationToken)
    {
        string subject = "bench.rtt." + Guid.NewGuid().ToString("N")[..8];
        await using INatsSub<byte[]> subscription = await responder.SubscribeCoreAsync<byte[]>(subject, cancellationToken: cancellationToken);
        await responder.PingAsync(cancellationToken);
        Task answering = Task.Run(async () =>
        {
            await foreach (NatsMsg<byte[]> message in subscription.Msgs.ReadAllAsync(cancellationToken))
            {
                await message.ReplyAsync(message.Data, cancellationToken: cancellationToken);
            }
        }, cancellationToken);
        byte[] payload = new byte[64];
        List<double> times = [];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await requester.RequestAsync<byte[], byte[]>(subject, payload, cancellationToken: cancellationToken);
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        await subscription.UnsubscribeAsync();
        await answering.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        return TimeSpan.FromSeconds(Median(times));
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    private sealed class Caller(IStreamBench client, bool heartbeat) : IEchoCaller
    {
        public async ValueTask CallAsync(CancellationToken cancellationToken)
            => EchoCheck.Verify(heartbeat
                ? await client.EchoWithHeartbeatAsync(Reading.Sample, cancellationToken).ConfigureAwait(false)
                : await client.EchoAsync(Reading.Sample, cancellationToken).ConfigureAwait(false));
    }
}
