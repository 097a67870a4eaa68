using System.Collections.Generic;
using System.Linq;
using Ana.Contracts.Generator.Model;

namespace Ana.Contracts.Generator.Emit;

/// <summary>
/// Writes the contract's <c>Client</c>: a <c>ContractClient</c> that implements the interface, each method handing its
/// typed <c>Arguments</c> to the base class, which writes them straight into the query's <c>data</c> (client filters, if
/// the bus has any, see them typed) and reads the reply's <c>data</c> into the method's result.
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
        List<string> declared = method.Parameters.Select(parameter => parameter.Type.Name + " " + parameter.Name).ToList();
        if (method.Progress is { } progress)
        {
            declared.Insert(progress.Position, $"{progress.DeclaredType} {progress.Name}");
        }

        string signature = string.Join(", ", declared);
        if (method.CancellationTokenName is not null)
        {
            signature += (signature.Length > 0 ? ", " : string.Empty) + "global::System.Threading.CancellationToken " + method.CancellationTokenName;
        }

        string what = method.Kind switch
        {
            CallKind.Query => "waits for the reply and returns its data",
            CallKind.Completion => "waits for the reply that says it is done",
            CallKind.Stream => "yields the items of the reply stream as they arrive",
            _ => "one-way: returns once the query is published",
        };
        if (method.Durable is not null)
        {
            what = method.Kind == CallKind.OneWay ? "durable one-way: returns once JetStream has stored the query" : "durable: stores the query in JetStream, " + what;
        }

        writer.Line($"/// <summary>Topic \"{method.Topic}\": {what}.</summary>");
        // A stream is the base class's async iterator itself, which honours both the token passed here and one given
        // through WithCancellation; the other kinds await their call.
        string modifier = method.Kind == CallKind.Stream ? string.Empty : "async ";
        writer.Line($"{modifier}{method.ReturnType} {method.DeclaringInterface}.{method.Name}({signature})");
        writer.OpenBrace();

        string cancellationToken = method.CancellationTokenName ?? "global::System.Threading.CancellationToken.None";
        string values = string.Join(", ", method.Parameters.Select(parameter => parameter.Name));
        string arguments = $"new {ArgumentsEmitter.FullClassName(contract, method)}({values})";
        string timeout = method.Timeout is null ? "timeout: null" : $"global::System.TimeSpan.FromSeconds({method.Timeout})";
        if (method.Durable is not null)
        {
            EmitDurableCall(writer, method, arguments, timeout, cancellationToken);
            writer.CloseBrace();
            return;
        }

        switch (method.Kind)
        {
            case CallKind.OneWay:
                writer.Line($"await this.SendAsync({arguments}, {cancellationToken}).ConfigureAwait(false);");
                break;
            case CallKind.Completion:
                writer.Line($"await this.CallAsync({arguments}, {timeout}, {Signals(method)}{cancellationToken}).ConfigureAwait(false);");
                break;
            case CallKind.Stream:
                ResultModel item = method.Result!;
                string window = method.StreamWindow is { } items ? items.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null";
                string heartbeat = method.Heartbeat is null ? "heartbeat: null" : $"global::System.TimeSpan.FromSeconds({method.Heartbeat})";
                writer.Line($"return this.StreamAsync{EmitHelpers.TypeArguments(item.Type)}({arguments}, {EmitHelpers.TypeInfo(item.Type)}, allowNull: {(item.AllowsNull ? "true" : "false")}, window: {window}, {timeout}, {heartbeat}, {cancellationToken});");
                break;
            default:
                ResultModel result = method.Result!;
                string allowNull = result.AllowsNull ? "true" : "false";
                writer.Line($"return await this.CallAsync{EmitHelpers.TypeArguments(result.Type)}({arguments}, {EmitHelpers.TypeInfo(result.Type)}, allowNull: {allowNull}, {timeout}, {Signals(method)}{cancellationToken}).ConfigureAwait(false);");
                break;
        }

        writer.CloseBrace();
    }

    /// <summary>A durable method's call: stored in the work stream (one-way: until storage is confirmed; else until the reply).</summary>
    private static void EmitDurableCall(SourceWriter writer, MethodModel method, string arguments, string timeout, string cancellationToken)
    {
        switch (method.Kind)
        {
            case CallKind.OneWay:
                writer.Line($"await this.SendDurableAsync({arguments}, {cancellationToken}).ConfigureAwait(false);");
                break;
            case CallKind.Completion:
                writer.Line($"await this.CallDurableAsync({arguments}, {timeout}, {cancellationToken}).ConfigureAwait(false);");
                break;
            default:
                ResultModel result = method.Result!;
                string allowNull = result.AllowsNull ? "true" : "false";
                writer.Line($"return await this.CallDurableAsync{EmitHelpers.TypeArguments(result.Type)}({arguments}, {EmitHelpers.TypeInfo(result.Type)}, allowNull: {allowNull}, {timeout}, {cancellationToken}).ConfigureAwait(false);");
                break;
        }
    }

    /// <summary>
    /// The signals a call watches, with the separator after them: its progress reports and its heartbeat deadline,
    /// made new for each call; nothing for a method that has neither.
    /// </summary>
    private static string Signals(MethodModel method)
    {
        const string Signals = "global::Ana.Contracts.Infrastructure.ContractCallSignals";
        string? heartbeat = method.Heartbeat is null ? null : $"global::System.TimeSpan.FromSeconds({method.Heartbeat})";
        if (method.Progress is { } progress)
        {
            return $"{Signals}.Progress{EmitHelpers.TypeArguments(progress.Type)}({progress.Name}, {EmitHelpers.TypeInfo(progress.Type)}, {heartbeat ?? "heartbeat: null"}), ";
        }

        return heartbeat is null ? string.Empty : $"{Signals}.Heartbeat({heartbeat}), ";
    }
}
