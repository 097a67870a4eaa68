using Ana.Testing.Nats;

namespace Ana.Contracts.Tests.Infrastructure;

/// <summary>Test classes marked <c>[Collection("nats")]</c> share one NATS server and run one after another.</summary>
[CollectionDefinition("nats")]
public sealed class NatsCollection : ICollectionFixture<NatsServerFixture>;
