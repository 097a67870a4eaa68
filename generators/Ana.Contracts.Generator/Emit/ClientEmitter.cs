using System.Linq;
using Ana.Contracts.Generator.Model;

namespace Ana.Contracts.Generator.Emit;

/// <summary>
/// Writes the contract's <c>Client</c>: a <c>ContractClient</c> that implements the interface, each method turning its
/// arguments into the query's <c>data</c> object and the reply's <c>data</c> into its result.
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
            EmitMethod(writer, method);
        }

        writer.CloseBrace();
        EmitHelpers.CloseContract(writer, contract);
        return writer.ToString();
    }

    private static void EmitMethod(SourceWriter writer, MethodModel method)
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
        string arguments = "arguments: null";
        if (method.Parameters.Count > 0)
        {
            arguments = EmitHelpers.FreeName("arguments", method);
            string argumentsWriter = EmitHelpers.FreeName("writer", method);
            writer.Line($"global::System.Text.Json.JsonElement {arguments};");
            writer.Line($"using (global::Ana.Contracts.Infrastructure.ContractArgumentsWriter {argumentsWriter} = new global::Ana.Contracts.Infrastructure.ContractArgumentsWriter())");
            writer.OpenBrace();
            foreach (ParameterModel parameter in method.Parameters)
            {
                writer.Line($"{argumentsWriter}.Write{EmitHelpers.TypeArguments(parameter.Type)}({CSharpLiteral.String(parameter.JsonName)}, {parameter.Name}, {EmitHelpers.TypeInfo(parameter.Type)});");
            }

            writer.Line($"{arguments} = {argumentsWriter}.ToData();");
            writer.CloseBrace();
            writer.Line();
        }

        string topic = CSharpLiteral.String(method.Topic);
        string timeout = method.Timeout is null ? "timeout: null" : $"global::System.TimeSpan.FromSeconds({method.Timeout})";
        switch (method.Kind)
        {
            case CallKind.OneWay:
                writer.Line($"await this.SendAsync({topic}, {arguments}, {cancellationToken}).ConfigureAwait(false);");
                break;
            case CallKind.Completion:
                writer.Line($"await this.InvokeAsync({topic}, {arguments}, {timeout}, {cancellationToken}).ConfigureAwait(false);");
                break;
            default:
                ResultModel result = method.Result!;
                string reply = EmitHelpers.FreeName("reply", method);
                writer.Line($"global::System.Text.Json.JsonElement? {reply} = (await this.InvokeAsync({topic}, {arguments}, {timeout}, {cancellationToken}).ConfigureAwait(false)).Data;");
                writer.Line($"return this.ReadResult{EmitHelpers.TypeArguments(result.Type)}({reply}, {EmitHelpers.TypeInfo(result.Type)}, {topic}, allowNull: {(result.AllowsNull ? "true" : "false")});");
                break;
        }

        writer.CloseBrace();
    }
}
