using System.Collections.Generic;
using System.Linq;
using Ana.Contracts.Generator.Model;

namespace Ana.Contracts.Generator.Emit;

/// <summary>
/// Writes the contract's <c>Arguments</c>: per method, a <c>ContractCallArguments</c> that holds its arguments typed, as
/// filters see them; it reads them from a query's <c>data</c> (as the dispatcher does, once) and writes them into the
/// query's <c>data</c> object in place (as the client does). Also <c>Receive</c>, which makes the arguments of a query on a topic, to be read when first asked for.
/// </summary>
internal static class ArgumentsEmitter
{
    private const string JsonElement = "global::System.Text.Json.JsonElement";
    private const string CallArguments = "global::Ana.Contracts.Infrastructure.ContractCallArguments";
    private const string JsonWriter = "global::System.Text.Json.Utf8JsonWriter";

    /// <summary>The name of the arguments class of <paramref name="method"/>, unique in the contract: <c>SubmitArguments</c>.</summary>
    public static string ClassName(MethodModel method)
        => method.HandlerName.Substring("Handle".Length, method.HandlerName.Length - "Handle".Length - "Async".Length) + "Arguments";

    /// <summary>The arguments class of <paramref name="method"/>, fully qualified.</summary>
    public static string FullClassName(ContractModel contract, MethodModel method)
        => contract.FullyQualifiedName + "." + NestedTypeNames.Arguments + "." + ClassName(method);

    public static string Emit(ContractModel contract)
    {
        SourceWriter writer = new();
        EmitHelpers.OpenContract(writer, contract);

        writer.Line($"/// <summary>The arguments of {contract.InterfaceName}'s methods, typed, as call filters see them.</summary>");
        writer.Line(GeneratorVersion.GeneratedCodeAttribute);
        writer.Line(EmitHelpers.EditorBrowsableNever);
        writer.Line($"internal {contract.HidingModifier(NestedTypeNames.Arguments)}static class {NestedTypeNames.Arguments}");
        writer.OpenBrace();
        EmitReceive(writer, contract);
        foreach (MethodModel method in contract.Methods)
        {
            writer.Line();
            EmitClass(writer, contract, method);
        }

        writer.CloseBrace();
        EmitHelpers.CloseContract(writer, contract);
        return writer.ToString();
    }

    private static void EmitReceive(SourceWriter writer, ContractModel contract)
    {
        writer.Line($"/// <summary>The arguments of a query on <paramref name=\"topic\"/>, read from <paramref name=\"data\"/> when first asked for; <see langword=\"null\"/> for a topic {contract.InterfaceName} does not have.</summary>");
        writer.Line($"public static {CallArguments}? Receive(string topic, {JsonElement}? data)");
        writer.OpenBrace();
        writer.Line("switch (topic)");
        writer.OpenBrace();
        foreach (MethodModel method in contract.Methods)
        {
            writer.Line($"case {CSharpLiteral.String(method.Topic)}:");
            writer.Indent();
            writer.Line(method.Parameters.Count > 0 ? $"return {ClassName(method)}.Received(data);" : $"return new {ClassName(method)}();");
            writer.Unindent();
        }

        writer.Line("default:");
        writer.Indent().Line("return null;").Unindent();
        writer.CloseBrace();
        writer.CloseBrace();
    }

    private static void EmitClass(SourceWriter writer, ContractModel contract, MethodModel method)
    {
        string name = ClassName(method);

        // Qualified: a parameter of the constructor may be named like the field.
        string descriptor = FullClassName(contract, method) + ".Descriptor";
        string names = method.Parameters.Count == 0
            ? "global::System.Array.Empty<string>()"
            : "new string[] { " + string.Join(", ", method.Parameters.Select(parameter => CSharpLiteral.String(PlainName(parameter)))) + " }";
        string values = string.Join(", ", method.Parameters.Select(parameter => parameter.Type.Name + " " + parameter.Name));

        writer.Line($"/// <summary>The arguments of {contract.DisplayName}.{method.Name} (topic \"{method.Topic}\").</summary>");
        writer.Line($"internal sealed class {name} : {CallArguments}");
        writer.OpenBrace();
        writer.Line("/// <summary>The method, as filters see it.</summary>");
        string description = $"new global::Ana.Contracts.AnaContractMethod(typeof({contract.FullyQualifiedName}), {CSharpLiteral.String(contract.DisplayName)}, {CSharpLiteral.String(method.Name)}, {CSharpLiteral.String(method.Topic)}, {names})";
        writer.Line($"internal static readonly global::Ana.Contracts.AnaContractMethod Descriptor = {description};");
        writer.Line();

        if (method.Parameters.Count == 0)
        {
            writer.Line($"public {name}()");
            writer.Indent().Line($": base({descriptor})").Unindent();
            writer.OpenBrace();
            writer.CloseBrace();
            writer.Line();
            writer.Line($"protected override void Bind({JsonElement}? data)");
            writer.OpenBrace();
            writer.CloseBrace();
            writer.Line();
            writer.Line($"protected override void WriteArguments({JsonWriter} writer)");
            writer.OpenBrace();
            writer.CloseBrace();
            writer.Line();
            EmitTryGetValue(writer, method);
            writer.CloseBrace();
            return;
        }

        foreach (ParameterModel parameter in method.Parameters)
        {
            writer.Line($"private {parameter.Type.Name} {Field(parameter)} = default!;");
        }

        writer.Line();
        writer.Line($"private {name}()");
        writer.Indent().Line($": base({descriptor})").Unindent();
        writer.OpenBrace();
        writer.CloseBrace();
        writer.Line();

        writer.Line("/// <summary>The arguments a client was called with.</summary>");
        writer.Line($"public {name}({values})");
        writer.Indent().Line($": base({descriptor})").Unindent();
        writer.OpenBrace();
        foreach (ParameterModel parameter in method.Parameters)
        {
            writer.Line($"this.{Field(parameter)} = {parameter.Name};");
        }

        writer.CloseBrace();
        writer.Line();

        writer.Line("/// <summary>The arguments of a query received with <paramref name=\"data\"/>: read when first asked for.</summary>");
        writer.Line($"public static {name} Received({JsonElement}? data)");
        writer.OpenBrace();
        writer.Line($"{name} arguments = new {name}();");
        writer.Line("arguments.Receive(data);");
        writer.Line("return arguments;");
        writer.CloseBrace();
        writer.Line();

        EmitRead(writer, method);
        writer.Line();

        string outs = string.Join(", ", method.Parameters.Select(parameter => "out " + parameter.Type.Name + " " + parameter.Name));
        writer.Line("/// <summary>The values, read from the query's data first if they have not been.</summary>");
        writer.Line($"public void Deconstruct({outs})");
        writer.OpenBrace();
        writer.Line("this.EnsureValues();");
        foreach (ParameterModel parameter in method.Parameters)
        {
            writer.Line($"{parameter.Name} = this.{Field(parameter)};");
        }

        writer.CloseBrace();
        writer.Line();

        string fieldOuts = string.Join(", ", method.Parameters.Select(parameter => "out this." + Field(parameter)));
        writer.Line($"protected override void Bind({JsonElement}? data)");
        writer.OpenBrace();
        writer.Line("using (global::Ana.Contracts.Infrastructure.ContractArgumentsData arguments = global::Ana.Contracts.Infrastructure.ContractArguments.Open(data))");
        writer.OpenBrace();
        writer.Line($"Read(arguments, {fieldOuts});");
        writer.CloseBrace();
        writer.CloseBrace();
        writer.Line();
        EmitWriteArguments(writer, method);
        writer.Line();
        EmitTryGetValue(writer, method);
        writer.CloseBrace();
    }

    /// <summary>
    /// <c>Read</c>: the arguments in one pass over the bytes of the query's <c>data</c>; the contract's rules for missing
    /// and null ones after it, so that a property given twice counts as its last value.
    /// </summary>
    private static void EmitRead(SourceWriter writer, MethodModel method)
    {
        const string Infrastructure = "global::Ana.Contracts.Infrastructure";
        string data = EmitHelpers.FreeName("data", method);
        string reader = EmitHelpers.FreeName("reader", method);
        string outs = string.Join(", ", method.Parameters.Select(parameter => "out " + parameter.Type.Name + " " + parameter.Name));
        List<ParameterModel> required = method.Parameters.Where(parameter => parameter.Read == ArgumentRead.Required).ToList();
        string Found(ParameterModel parameter) => EmitHelpers.FreeName(PlainName(parameter) + "Found", method);

        writer.Line("/// <summary>Reads the arguments from a query's data, in one pass over its bytes.</summary>");
        writer.Line("/// <exception cref=\"global::Ana.AnaException\"><c>bad_request</c>: an argument is missing or of the wrong shape.</exception>");
        writer.Line($"public static void Read({Infrastructure}.ContractArgumentsData {data}, {outs})");
        writer.OpenBrace();
        foreach (ParameterModel parameter in method.Parameters)
        {
            string initial = parameter.Read == ArgumentRead.Required ? "default!" : parameter.DefaultValue ?? "null";
            writer.Line($"{parameter.Name} = {initial};");
        }

        foreach (ParameterModel parameter in required)
        {
            writer.Line($"bool {Found(parameter)} = false;");
        }

        writer.Line($"{Infrastructure}.ContractArgumentsReader {reader} = {data}.CreateReader();");
        writer.Line($"while ({reader}.MoveNext())");
        writer.OpenBrace();
        string keyword = "if";
        foreach (ParameterModel parameter in method.Parameters)
        {
            string key = CSharpLiteral.String(parameter.JsonName);
            string typeInfo = EmitHelpers.TypeInfo(parameter.Type);
            string typeArguments = EmitHelpers.TypeArguments(parameter.Type);
            writer.Line($"{keyword} ({reader}.NameIs({key}))");
            writer.OpenBrace();
            string read = parameter.Read switch
            {
                ArgumentRead.Required => $"{parameter.Name} = {reader}.ReadRequiredValue{typeArguments}({typeInfo}, {key}, out {Found(parameter)});",
                ArgumentRead.OptionalNotNull => $"{parameter.Name} = {reader}.ReadValue{typeArguments}({typeInfo}, {key}) ?? throw new global::Ana.AnaException(global::Ana.AnaErrorCodes.BadRequest, {CSharpLiteral.String($"The argument '{parameter.JsonName}' is null, but the contract declares it non-nullable.")});",
                _ => $"{parameter.Name} = {reader}.ReadValue{typeArguments}({typeInfo}, {key});",
            };
            writer.Line(read);
            writer.CloseBrace();
            keyword = "else if";
        }

        writer.Line("else");
        writer.OpenBrace();
        writer.Line($"{reader}.Skip();");
        writer.CloseBrace();
        writer.CloseBrace();

        foreach (ParameterModel parameter in required)
        {
            writer.Line();
            writer.Line($"if (!{Found(parameter)})");
            writer.OpenBrace();
            writer.Line($"throw {Infrastructure}.ContractArguments.Missing({CSharpLiteral.String(parameter.JsonName)});");
            writer.CloseBrace();
        }

        writer.CloseBrace();
    }

    /// <summary><c>WriteArguments</c>: each argument as a property of the query's <c>data</c> object, written in place.</summary>
    private static void EmitWriteArguments(SourceWriter writer, MethodModel method)
    {
        writer.Line($"protected override void WriteArguments({JsonWriter} writer)");
        writer.OpenBrace();
        foreach (ParameterModel parameter in method.Parameters)
        {
            writer.Line($"global::Ana.Contracts.Infrastructure.ContractArguments.Write{EmitHelpers.TypeArguments(parameter.Type)}(writer, {CSharpLiteral.String(parameter.JsonName)}, this.{Field(parameter)}, {EmitHelpers.TypeInfo(parameter.Type)});");
        }

        writer.CloseBrace();
    }

    /// <summary><c>TryGetValue</c>: an argument by position as the filter's <c>T</c>, without boxing a value type read as itself.</summary>
    private static void EmitTryGetValue(SourceWriter writer, MethodModel method)
    {
        writer.Line("protected override bool TryGetValue<T>(int index, [global::System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value)");
        writer.OpenBrace();
        writer.Line("switch (index)");
        writer.OpenBrace();
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            writer.Line($"case {i}:");
            writer.Indent().Line($"return TryCast(this.{Field(method.Parameters[i])}, out value);").Unindent();
        }

        writer.Line("default:");
        writer.Indent();
        writer.Line("value = default;");
        writer.Line("return false;");
        writer.Unindent();
        writer.CloseBrace();
        writer.CloseBrace();
    }

    /// <summary>The parameter's name without the <c>@</c> that escapes a keyword: the name filters look it up by.</summary>
    private static string PlainName(ParameterModel parameter) => parameter.Name.TrimStart('@');

    /// <summary>The field that holds the argument: its name after an underscore, unique because the names are.</summary>
    private static string Field(ParameterModel parameter) => "_" + PlainName(parameter);
}
