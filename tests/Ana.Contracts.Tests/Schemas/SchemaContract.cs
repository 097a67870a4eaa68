using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ana.Contracts.Infrastructure;
using Json.Schema;

// Test-only reflection over the contract interfaces (see RandomValues.cs).
#pragma warning disable IL2026, IL2060, IL2070, IL2075, IL2080, IL3050

namespace Ana.Contracts.Tests.Schemas;

/// <summary>A test contract with its generated schemas, its JSON context and what a test needs to serve it.</summary>
public sealed class SchemaContract
{
    private SchemaContract(Type contract, string agent, JsonSerializerContext context, ContractDescriptorView view, Func<AgentBus, ValueTask<AgentSubscription>> serveIdle)
    {
        Contract = contract;
        Agent = agent;
        Context = context;
        ServeIdle = serveIdle;
        Methods = [];
        IEnumerable<MethodInfo> declared = contract.GetMethods().Concat(contract.GetInterfaces().SelectMany(i => i.GetMethods()));
        for (int i = 0; i < view.Topics.Count; i++)
        {
            string signature = view.Signatures[i];
            string name = signature[..signature.IndexOf('(', StringComparison.Ordinal)].Split(' ')[^1];
            MethodInfo method = declared.Single(m => m.Name == name);
            ContractMethodSchemas schemas = view.Schemas[i];
            Methods.Add(new SchemaMethod(
                this,
                method,
                view.Topics[i],
                schemas,
                JsonSchema.FromText(schemas.Arguments),
                schemas.Result is null ? null : JsonSchema.FromText(schemas.Result),
                schemas.Progress is null ? null : JsonSchema.FromText(schemas.Progress)));
        }
    }

    public Type Contract { get; }

    public string Agent { get; }

    public JsonSerializerContext Context { get; }

    public List<SchemaMethod> Methods { get; }

    public Func<AgentBus, ValueTask<AgentSubscription>> ServeIdle { get; }

    public static SchemaContract Of<TContract>(JsonSerializerContext context)
        where TContract : class
    {
        ContractDescriptor<TContract> descriptor = ContractRegistry.Find<TContract>()
            ?? throw new InvalidOperationException($"{typeof(TContract)} is not registered.");
        ContractDescriptorView view = new(descriptor.Topics!, descriptor.Signatures!, descriptor.Schemas!);
        return new SchemaContract(typeof(TContract), descriptor.AgentName, context, view, bus => bus.ServeAsync(IdleImplementation.Create<TContract>()));
    }

    public JsonTypeInfo TypeInfo(Type type) => Context.GetTypeInfo(type) ?? throw new InvalidOperationException($"No metadata for {type}.");

    public override string ToString() => Contract.Name;

    private sealed record ContractDescriptorView(IReadOnlyList<string> Topics, IReadOnlyList<string> Signatures, IReadOnlyList<ContractMethodSchemas> Schemas);
}

/// <summary>One method of a <see cref="SchemaContract"/>: its topic, its schemas, and the types that cross the wire.</summary>
public sealed record SchemaMethod(
    SchemaContract Contract,
    MethodInfo Method,
    string Topic,
    ContractMethodSchemas Text,
    JsonSchema Arguments,
    JsonSchema? Result,
    JsonSchema? Progress)
{
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List };

    public bool IsOneWay => Method.GetCustomAttribute<AnaOneWayAttribute>() is not null;

    /// <summary>The parameters that travel in <c>data</c>: all but the cancellation token and the progress sink.</summary>
    public IEnumerable<ParameterInfo> DataParameters => Method.GetParameters()
        .Where(p => p.ParameterType != typeof(CancellationToken) && !IsProgress(p.ParameterType));

    /// <summary>The type the reply's <c>data</c> holds (each item's, for a stream), or <see langword="null"/>.</summary>
    public (Type Type, NullabilityInfo Nullability)? ResultType
    {
        get
        {
            Type returnType = Method.ReturnType;
            if (!returnType.IsGenericType || IsOneWay)
            {
                return null;
            }

            NullabilityInfo info = new NullabilityInfoContext().Create(Method.ReturnParameter);
            return (returnType.GetGenericArguments()[0], info.GenericTypeArguments[0]);
        }
    }

    public (Type Type, NullabilityInfo Nullability)? ProgressType
    {
        get
        {
            ParameterInfo? progress = Method.GetParameters().FirstOrDefault(p => IsProgress(p.ParameterType));
            return progress is null ? null : (progress.ParameterType.GetGenericArguments()[0], RandomValues.Of(progress).GenericTypeArguments[0]);
        }
    }

    /// <summary>The key of a parameter in <c>data</c>: its name through the contract's naming policy.</summary>
    public string JsonName(ParameterInfo parameter)
        => Contract.Context.Options.PropertyNamingPolicy?.ConvertName(parameter.Name!) ?? parameter.Name!;

    public static bool Valid(JsonSchema schema, JsonNode? payload, out string errors)
    {
        using JsonDocument document = JsonDocument.Parse(payload?.ToJsonString() ?? "null");
        EvaluationResults results = schema.Evaluate(document.RootElement, Options);
        errors = results.IsValid
            ? string.Empty
            : string.Join("; ", results.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
        return results.IsValid;
    }

    public override string ToString() => $"{Contract}.{Method.Name}";

    private static bool IsProgress(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IProgress<>);
}
