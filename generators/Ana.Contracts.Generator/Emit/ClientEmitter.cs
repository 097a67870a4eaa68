using System.Linq;
using Ana.Contracts.Generator.Model;

namespace Ana.Contracts.Generator.Emit;

/// <summary>
/// Writes the contract's <c>Client</c>: a <c>ContractClient</c> that implements the interface, each method turning its
/// arguments into the query's <c>data</c> object (or, when the bus has client filters, into its typed <c>Arguments</c>
/// for them) and the reply's <c>data</c> into its result.
/// </summary>
internal static class ClientEmitter
{
    public static string Emit(ContractModel contract)
    {
        SourceWriter writer = new();
        EmitHelpers.OpenContract(writer, contract);

        writer.Line($"/// <summary>Calls the agent that serves {contract.InterfaceName} (by default \"{contract.AgentName}\") over an AgentBus.</summary>");
        writer.Line(GeneratorVersion.GeneratedCodeAttribute);
        writer.Line(EmitHelpers.EditorBrowsableNever);
        writer.Line($"internal {contract.HidingModifier(NestedTypeNames.Client)}sealed class Client : global::Ana.Contracts.Infrastructure.ContractClient, {contract.FullyQualifiedName}");
        writer.OpenBrace();
        writer.Line("public Client(global::Ana.AgentBus bus, string agent)");
        writer.Indent().Line(": base(bus, agent)").Unindent();
        writer.OpenBrace();
        writer.CloseBrace();

        foreach (MethodModel method in contract.Methods)
        {
            writer.Line();
            EmitMethod(writer, contract, method);
        }

        writer.CloseBrace();
        EmitHelpers.CloseContract(writer, contract);
        return writer.ToString();
    }

    private static void EmitMethod(SourceWriter writer, ContractModel contract, MethodModel method)
    {
        string signature = string.Join(", ", method.Parameters.Select(parameter => parameter.Type.Name + " " + parameter.Name));
        if (method.CancellationTokenName is not null)
        {
            signature += (signature.Length > 0 ? ", " : string.Empty) + "global::System.Threading.CancellationToken " + method.CancellationTokenName;
        }

        string what = method.Kind switch
        {
            CallKind.Query => "waits for the reply and returns its data",
            CallKind.Completion => "waits for the reply that says it is done",
            _ => "one-way: returns once the query is published",
        };
        writer.Line($"/// <summary>Topic \"{method.Topic}\": {what}.</summary>");
        writer.Line($"async {method.ReturnType} {method.DeclaringInterface}.{method.Name}({signature})");
        writer.OpenBrace();

        string cancellationToken = method.CancellationTokenName ?? "global::System.Threading.CancellationToken.None";
        string argumentsClass = ArgumentsEmitter.FullClassName(contract, method);
        string values = string.Join(", ", method.Parameters.Select(parameter => parameter.Name));
        string typed = $"new {argumentsClass}({values})";
        string data = method.Parameters.Count > 0 ? $"{argumentsClass}.Write({values})" : "arguments: null";

        // With client filters, the filters see the arguments typed; without, the data is written directly, as always.
        string topic = CSharpLiteral.String(method.Topic);
        string timeout = method.Timeout is null ? "timeout: null" : $"global::System.TimeSpan.FromSeconds({method.Timeout})";
        if (method.Kind == CallKind.OneWay)
        {
            writer.Line("await (this.HasFilters");
            writer.Indent();
            writer.Line($"? this.SendAsync({typed}, {cancellationToken})");
            writer.Line($": this.SendAsync({topic}, {data}, {cancellationToken})).ConfigureAwait(false);");
            writer.Unindent();
            writer.CloseBrace();
            return;
        }

        string call = EmitHelpers.FreeName("call", method);
        writer.Line($"global::System.Threading.Tasks.ValueTask<global::Ana.Reply> {call} = this.HasFilters");
        writer.Indent();
        writer.Line($"? this.InvokeAsync({typed}, {timeout}, {cancellationToken})");
        writer.Line($": this.InvokeAsync({topic}, {data}, {timeout}, {cancellationToken});");
        writer.Unindent();
        if (method.Kind == CallKind.Completion)
        {
            writer.Line($"await {call}.ConfigureAwait(false);");
        }
        else
        {
            ResultModel result = method.Result!;
            string reply = EmitHelpers.FreeName("reply", method);
            writer.Line($"global::System.Text.Json.JsonElement? {reply} = (await {call}.ConfigureAwait(false)).Data;");
            writer.Line($"return this.ReadResult{EmitHelpers.TypeArguments(result.Type)}({reply}, {EmitHelpers.TypeInfo(result.Type)}, {topic}, allowNull: {(result.AllowsNull ? "true" : "false")});");
        }

        writer.CloseBrace();
    }
}
