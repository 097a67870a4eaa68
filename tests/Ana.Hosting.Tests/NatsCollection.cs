using Ana.Testing.Nats;

namespace Ana.Hosting.Tests;

/// <summary>Test classes marked <c>[Collection("nats")]</c> share one NATS server and run one after another.</summary>
[CollectionDefinition("nats")]
public sealed class NatsCollection : ICollectionFixture<NatsServerFixture>;
