namespace Ana.Micro;

/// <summary>What every NATS micro response of a service carries: <c>name</c>, <c>id</c>, <c>version</c> and <c>metadata</c>.</summary>
/// <param name="Name">The service name: the agent name mapped to ADR-32's characters (<see cref="MicroNames.Map"/>).</param>
/// <param name="Id">Unique to this instance: 32 hexadecimal digits.</param>
/// <param name="Version">A semantic version (<see cref="MicroNames.VersionOf(string?, string?, Version?, string)"/>).</param>
/// <param name="Metadata">The service's metadata: agent, prefix and contract.</param>
internal sealed record MicroIdentity(string Name, string Id, string Version, IReadOnlyDictionary<string, string> Metadata);
