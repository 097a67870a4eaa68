using System.Text.Json.Serialization;

namespace Ana.Contracts;

/// <summary>
/// Marks a <c>partial interface</c> as the contract of an agent: each method is a topic that callers invoke through
/// <see cref="AgentBus.Client{TContract}()"/> and servers implement through <see cref="AgentBus.ServeAsync{TContract}"/>.
/// The Ana.Contracts generator emits the client, the server dispatcher and the JSON metadata at compile time.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class AnaAgentAttribute : Attribute
{
    /// <summary>Declares the contract of the agent named <paramref name="name"/>.</summary>
    /// <param name="name">The agent name: one subject token.</param>
    public AnaAgentAttribute(string name) => Name = name;

    /// <summary>The agent name that callers address and servers serve by default.</summary>
    public string Name { get; }

    /// <summary>
    /// How parameter names and DTO member names become JSON keys when no <c>[JsonPropertyName]</c> says otherwise.
    /// Defaults to <c>snake_case</c>, since peers are often Python.
    /// </summary>
    public JsonKnownNamingPolicy NamingPolicy { get; set; } = JsonKnownNamingPolicy.SnakeCaseLower;

    /// <summary>
    /// A <see cref="JsonSerializerContext"/> of your own to use for the contract's types instead of the generated one,
    /// for types the generator cannot handle.
    /// </summary>
    public Type? JsonContext { get; set; }

    /// <summary>
    /// The contract's semantic version (<c>1.2.0</c>), shown by NATS micro discovery (<c>$SRV.INFO</c>). When not set,
    /// the version of the assembly that declares the contract is shown (see docs/contracts.md).
    /// </summary>
    public string? Version { get; set; }
}
