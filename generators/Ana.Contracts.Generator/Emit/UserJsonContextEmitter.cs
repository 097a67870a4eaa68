using Ana.Contracts.Generator.Model;

namespace Ana.Contracts.Generator.Emit;

/// <summary>
/// Writes <c>JsonTypeInfos</c>, the helper through which client and dispatcher take their JSON metadata from a
/// context the user handed in with <c>[AnaAgent(JsonContext = typeof(...))]</c>: each type's metadata is looked up
/// once and cached, and a type the context does not cover fails with a message that says what to add.
/// </summary>
internal static class UserJsonContextEmitter
{
    public static string Emit(ContractModel contract)
    {
        SourceWriter writer = new();
        EmitHelpers.OpenContract(writer, contract);
        string context = contract.UserJsonContext!;
        string contextName = context.Replace("global::", string.Empty);

        writer.Line($"/// <summary>The JSON metadata of {contract.InterfaceName}'s types, from {contextName}.</summary>");
        writer.Line(GeneratorVersion.GeneratedCodeAttribute);
        writer.Line(EmitHelpers.EditorBrowsableNever);
        writer.Line($"internal {contract.HidingModifier(NestedTypeNames.JsonTypeInfos)}static class JsonTypeInfos");
        writer.OpenBrace();
        writer.Line("public static global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> Get<T>()");
        writer.Indent().Line("=> Cache<T>.Value ??= Resolve<T>();").Unindent();
        writer.Line();
        writer.Line("private static global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> Resolve<T>()");
        writer.Indent();
        writer.Line($"=> {context}.Default.GetTypeInfo(typeof(T)) as global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>");
        writer.Indent();
        string message = CSharpLiteral.String($"The JSON context {contextName} of contract {contract.DisplayName} has no metadata for '");
        string hint = CSharpLiteral.String($"'; add [JsonSerializable(typeof(...))] for it to {contextName}.");
        writer.Line($"?? throw new global::System.InvalidOperationException({message} + typeof(T) + {hint});");
        writer.Unindent();
        writer.Unindent();
        writer.Line();
        writer.Line("private static class Cache<T>");
        writer.OpenBrace();
        writer.Line("public static global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>? Value;");
        writer.CloseBrace();
        writer.CloseBrace();

        EmitHelpers.CloseContract(writer, contract);
        return writer.ToString();
    }
}
