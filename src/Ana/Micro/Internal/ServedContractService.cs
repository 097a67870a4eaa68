using Ana.Contracts.Infrastructure;
using Ana.Transport;
using Microsoft.Extensions.Logging;

namespace Ana.Micro;

/// <summary>Makes the NATS micro service of a contract about to be served: its name, version, metadata and endpoints.</summary>
internal static class ServedContractService
{
    /// <param name="contract">The contract.</param>
    /// <param name="agent">The agent name it is served under.</param>
    /// <param name="queueGroup">The served subscription's queue group.</param>
    /// <param name="subjects">The bus's subject scheme.</param>
    /// <param name="transport">The bus's transport.</param>
    /// <param name="logger">The bus's logger.</param>
    /// <exception cref="InvalidOperationException">The contract's declared version is not a semantic version.</exception>
    public static MicroService Create<TContract>(
        ContractDescriptor<TContract> contract, string agent, string? queueGroup, SubjectScheme subjects, ITransport transport, ILogger logger)
        where TContract : class
    {
        string version = MicroNames.VersionOf(contract.Version, typeof(TContract).Assembly, contract.ContractName);
        MicroIdentity identity = new(
            MicroNames.Map(agent),
            Guid.NewGuid().ToString("N"),
            version,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [EndpointMetadata.Agent] = agent,
                [EndpointMetadata.Prefix] = subjects.Prefix,
                [EndpointMetadata.Contract] = contract.ContractName,
            });

        IReadOnlyList<string> topics = contract.Topics ?? [];
        List<MicroEndpoint> endpoints = new(topics.Count);
        Dictionary<string, MicroEndpoint> bySubject = new(StringComparer.Ordinal);
        HashSet<string> names = new(StringComparer.Ordinal);
        for (int i = 0; i < topics.Count; i++)
        {
            string topic = topics[i];
            Dictionary<string, string> metadata = new(StringComparer.Ordinal)
            {
                [EndpointMetadata.Contract] = contract.ContractName,
                [EndpointMetadata.Topic] = topic,
            };
            if (contract.Signatures is { } signatures && i < signatures.Count)
            {
                metadata[EndpointMetadata.Signature] = signatures[i];
            }

            if (contract.Schemas is { } schemas && i < schemas.Count)
            {
                metadata[EndpointMetadata.ArgumentsSchema] = schemas[i].Arguments;
                if (schemas[i].Result is { } result)
                {
                    metadata[EndpointMetadata.ResultSchema] = result;
                }

                if (schemas[i].Progress is { } progress)
                {
                    metadata[EndpointMetadata.ProgressSchema] = progress;
                }
            }

            MicroEndpoint endpoint = new(UniqueName(names, MicroNames.Map(topic)), subjects.Build(agent, SubjectVerb.Query, topic), queueGroup, metadata);
            endpoints.Add(endpoint);
            bySubject.TryAdd(endpoint.Subject, endpoint);
            if (topic == AgentBus.DefaultTopic)
            {
                bySubject.TryAdd(subjects.Build(agent, SubjectVerb.Query), endpoint);
            }
        }

        string description = $"Ana agent '{agent}' serving {contract.ContractName} ({topics.Count} topic{(topics.Count == 1 ? string.Empty : "s")})";
        return new MicroService(transport, description, identity, endpoints, bySubject, logger);
    }

    /// <summary>Two topics that map to one name (<c>a.b</c> and <c>a_b</c>): the second gets <c>_2</c>, and so on.</summary>
    private static string UniqueName(HashSet<string> names, string name)
    {
        string unique = name;
        for (int n = 2; !names.Add(unique); n++)
        {
            unique = $"{name}_{n}";
        }

        return unique;
    }
}
