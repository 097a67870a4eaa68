using System.ComponentModel;

namespace Ana.Contracts;

/// <summary>
/// A contract method as filters see it: its contract, name, topic and parameters. One instance per method, written by
/// the contracts generator (no reflection), shared by every call of the method.
/// </summary>
public sealed class AnaContractMethod
{
    /// <summary>Describes a contract method. Called by generated code.</summary>
    /// <param name="contract">The contract interface.</param>
    /// <param name="contractName">The contract as messages name it (containing types and name, e.g. <c>Outer.IPlanner</c>).</param>
    /// <param name="name">The method's name, e.g. <c>PlanAsync</c>.</param>
    /// <param name="topic">The method's topic.</param>
    /// <param name="parameterNames">The names of the parameters that travel in the query's <c>data</c>, in declaration order.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AnaContractMethod(Type contract, string contractName, string name, string topic, IReadOnlyList<string> parameterNames)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(contractName);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(parameterNames);
        Contract = contract;
        ContractName = contractName;
        Name = name;
        Topic = topic;
        ParameterNames = parameterNames;
    }

    /// <summary>The contract interface, e.g. <c>typeof(IPlanner)</c>.</summary>
    public Type Contract { get; }

    /// <summary>The contract as messages name it: its containing types and name, e.g. <c>IPlanner</c> or <c>Outer.IPlanner</c>.</summary>
    public string ContractName { get; }

    /// <summary>The method's name as the contract declares it, e.g. <c>PlanAsync</c>.</summary>
    public string Name { get; }

    /// <summary>The method's topic, the last token of its query subject.</summary>
    public string Topic { get; }

    /// <summary>
    /// The names of the parameters that travel in the query's <c>data</c>, as the contract declares them (without the
    /// cancellation token), in declaration order: the names of <see cref="AnaCallArguments"/>.
    /// </summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary><c>ContractName.Name</c>, e.g. <c>IPlanner.PlanAsync</c>.</summary>
    public override string ToString() => ContractName + "." + Name;
}
