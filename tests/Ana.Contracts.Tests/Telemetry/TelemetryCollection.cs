using Ana.Testing.Nats;

namespace Ana.Contracts.Tests.Telemetry;

/// <summary>
/// The telemetry tests listen to process-wide sources (and one of them to NATS.Net's, which changes the parent of every
/// server span): they run alone, after the other collections, with a NATS server of their own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<NatsServerFixture>
{
    public const string Name = "telemetry";
}
