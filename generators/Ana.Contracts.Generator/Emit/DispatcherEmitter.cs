using System.Collections.Generic;
using System.Linq;
using Ana.Contracts.Generator.Model;

namespace Ana.Contracts.Generator.Emit;

/// <summary>
/// Writes the contract's <c>Dispatcher</c>: a switch from topic to a handler per method that reads the arguments (or
/// takes those that call filters read already), calls the implementation with the query's cancellation token and
/// replies with the result.
/// </summary>
internal static class DispatcherEmitter
{
    public static string Emit(ContractModel contract)
    {
        SourceWriter writer = new();
        EmitHelpers.OpenContract(writer, contract);

        writer.Line($"/// <summary>Serves {contract.InterfaceName}: routes each query to the implementation's method for its topic.</summary>");
        writer.Line(GeneratorVersion.GeneratedCodeAttribute);
        writer.Line(EmitHelpers.EditorBrowsableNever);
        writer.Line($"internal {contract.HidingModifier(NestedTypeNames.Dispatcher)}sealed class Dispatcher : global::Ana.Contracts.Infrastructure.IContractDispatcher");
        writer.OpenBrace();
        writer.Line($"private readonly {contract.FullyQualifiedName} _implementation;");
        writer.Line();
        writer.Line($"public Dispatcher({contract.FullyQualifiedName} implementation)");
        writer.OpenBrace();
        writer.Line("_implementation = implementation;");
        writer.CloseBrace();
        writer.Line();

        writer.Line("public global::System.Threading.Tasks.ValueTask DispatchAsync(string topic, global::Ana.Query query, global::Ana.InboundContext context)");
        writer.OpenBrace();
        writer.Line("switch (topic)");
        writer.OpenBrace();
        foreach (MethodModel method in contract.Methods)
        {
            writer.Line($"case {CSharpLiteral.String(method.Topic)}:");
            writer.Indent().Line($"return {method.HandlerName}(query, context);").Unindent();
        }

        writer.Line("default:");
        writer.Indent();
        string notFound = CSharpLiteral.String($"The contract {contract.DisplayName} has no topic '");
        writer.Line($"return context.ReplyErrorAsync(global::Ana.AnaErrorCodes.NotFound, {notFound} + topic + \"'.\", context.CancellationToken);");
        writer.Unindent();
        writer.CloseBrace();
        writer.CloseBrace();

        foreach (MethodModel method in contract.Methods)
        {
            writer.Line();
            EmitHandler(writer, contract, method);
        }

        writer.CloseBrace();
        EmitHelpers.CloseContract(writer, contract);
        return writer.ToString();
    }

    private static void EmitHandler(SourceWriter writer, ContractModel contract, MethodModel method)
    {
        string query = EmitHelpers.FreeName("query", method);
        string context = EmitHelpers.FreeName("context", method);
        string methodDisplay = contract.DisplayName + "." + method.Name;

        writer.Line($"/// <summary>Topic \"{method.Topic}\": {methodDisplay}.</summary>");
        writer.Line($"private async global::System.Threading.Tasks.ValueTask {method.HandlerName}(global::Ana.Query {query}, global::Ana.InboundContext {context})");
        writer.OpenBrace();

        if (method.Parameters.Count > 0)
        {
            // Call filters that asked for the arguments first left them in the call's context: they are not read twice.
            string argumentsClass = ArgumentsEmitter.FullClassName(contract, method);
            string bound = EmitHelpers.FreeName("arguments", method);
            foreach (ParameterModel parameter in method.Parameters)
            {
                writer.Line($"{parameter.Type.Name} {parameter.Name};");
            }

            string outs = string.Join(", ", method.Parameters.Select(parameter => "out " + parameter.Name));
            writer.Line($"if (global::Ana.AnaCallContext.Current?.Arguments is {argumentsClass} {bound})");
            writer.OpenBrace();
            writer.Line($"{bound}.Deconstruct({outs});");
            writer.CloseBrace();
            writer.Line("else");
            writer.OpenBrace();

            // Read from the bytes the query came as, in one pass, without a document.
            string data = EmitHelpers.FreeName("data", method);
            writer.Line($"using (global::Ana.Contracts.Infrastructure.ContractArgumentsData {data} = global::Ana.Contracts.Infrastructure.ContractArguments.Open({query}))");
            writer.OpenBrace();
            writer.Line($"{argumentsClass}.Read({data}, {outs});");
            writer.CloseBrace();
            writer.CloseBrace();
            writer.Line();
        }

        List<string> values = method.Parameters.Select(parameter => parameter.Name).ToList();
        if (method.Progress is { } progress)
        {
            values.Insert(progress.Position, $"{context}.CreateProgress{EmitHelpers.TypeArguments(progress.Type)}({EmitHelpers.TypeInfo(progress.Type)})");
        }

        string arguments = string.Join(", ", values);
        if (method.CancellationTokenName is not null)
        {
            arguments += (arguments.Length > 0 ? ", " : string.Empty) + context + ".CancellationToken";
        }

        string target = method.DeclaredByContract ? "this._implementation" : $"(({method.DeclaringInterface})this._implementation)";
        string call = $"await {target}.{method.Name}({arguments}).ConfigureAwait(false);";
        switch (method.Kind)
        {
            case CallKind.OneWay:
                writer.Line(call);
                break;
            case CallKind.Completion:
                writer.Line(call);
                writer.Line($"await {context}.ReplyAsync(null, {context}.CancellationToken).ConfigureAwait(false);");
                break;
            case CallKind.Stream:
                // The iterator gets the call's token as its argument and again from ReplyStreamAsync, through GetAsyncEnumerator.
                ResultModel item = method.Result!;
                string items = EmitHelpers.FreeName("items", method);
                writer.Line($"global::System.Collections.Generic.IAsyncEnumerable<{item.Type.Name}> {items} = {target}.{method.Name}({arguments});");
                writer.Line($"if ({items} is null)");
                writer.OpenBrace();
                string noStream = CSharpLiteral.String($"{methodDisplay} returned null instead of a stream.");
                writer.Line($"throw new global::Ana.AnaException(global::Ana.AnaErrorCodes.Internal, {noStream});");
                writer.CloseBrace();
                writer.Line();
                writer.Line($"await {context}.ReplyStreamAsync{EmitHelpers.TypeArguments(item.Type)}({items}, {EmitHelpers.TypeInfo(item.Type)}, {context}.CancellationToken).ConfigureAwait(false);");
                break;
            default:
                ResultModel result = method.Result!;
                string value = EmitHelpers.FreeName("result", method);
                writer.Line($"{result.Type.Name} {value} = {call}");
                if (!result.AllowsNull && result.IsReferenceType)
                {
                    writer.Line($"if ({value} is null)");
                    writer.OpenBrace();
                    string message = CSharpLiteral.String($"{methodDisplay} returned null, but its return type is not nullable.");
                    writer.Line($"throw new global::Ana.AnaException(global::Ana.AnaErrorCodes.Internal, {message});");
                    writer.CloseBrace();
                    writer.Line();
                }

                writer.Line($"await {context}.ReplyDataAsync{EmitHelpers.TypeArguments(result.Type)}({value}, {EmitHelpers.TypeInfo(result.Type)}, {context}.CancellationToken).ConfigureAwait(false);");
                break;
        }

        writer.CloseBrace();
    }
}
