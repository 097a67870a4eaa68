using Ana.Contracts.Generator.Model;

namespace Ana.Contracts.Generator.Emit;

/// <summary>
/// Writes the module initializer that registers the contract (its agent name, client, dispatcher, topics and how filters see a call's arguments) with
/// <c>ContractRegistry</c> when the program starts, so that <c>bus.Client&lt;T&gt;()</c> and <c>bus.ServeAsync&lt;T&gt;()</c>
/// find it without reflection.
/// </summary>
internal static class RegistrationEmitter
{
    public static string Emit(ContractModel contract)
    {
        SourceWriter writer = new();
        EmitHelpers.OpenContract(writer, contract);

        writer.Line($"/// <summary>Registers {contract.InterfaceName}'s client and dispatcher when the module loads.</summary>");
        writer.Line(GeneratorVersion.GeneratedCodeAttribute);
        writer.Line(EmitHelpers.EditorBrowsableNever);
        writer.Line($"internal {contract.HidingModifier(NestedTypeNames.Registration)}static class Registration");
        writer.OpenBrace();
        writer.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        writer.Line("internal static void Register()");
        writer.OpenBrace();
        writer.Line("global::Ana.Contracts.Infrastructure.ContractRegistry.Register(");
        writer.Indent();
        writer.Line($"new global::Ana.Contracts.Infrastructure.ContractDescriptor<{contract.FullyQualifiedName}>(");
        writer.Indent();
        writer.Line(CSharpLiteral.String(contract.AgentName) + ",");
        writer.Line($"static (bus, agent) => new {contract.FullyQualifiedName}.Client(bus, agent),");
        writer.Line($"static implementation => new {contract.FullyQualifiedName}.Dispatcher(implementation),");

        // The topics, announced in discovery envelopes by ServeAsync; their declarations and the version, shown by NATS micro discovery.
        List<string> topics = [];
        List<string> declarations = [];
        foreach (MethodModel method in contract.Methods)
        {
            topics.Add(CSharpLiteral.String(method.Topic));
            declarations.Add(CSharpLiteral.String(method.Declaration));
        }

        writer.Line(StringArray(topics) + ",");
        writer.Line($"static (topic, data) => {contract.FullyQualifiedName}.{NestedTypeNames.Arguments}.Receive(topic, data))");
        writer.Unindent();
        writer.OpenBrace();
        if (contract.Version is not null)
        {
            writer.Line($"Version = {CSharpLiteral.String(contract.Version)},");
        }

        writer.Line($"Signatures = {StringArray(declarations)},");

        // The JSON Schemas of each method, in the order of the topics: shown by NATS micro discovery and `ana describe`.
        IReadOnlyList<MethodSchemas> schemas = JsonSchemaEmitter.Emit(contract);
        if (schemas.Count == 0)
        {
            writer.Line("Schemas = new global::Ana.Contracts.Infrastructure.ContractMethodSchemas[0],");
        }
        else
        {
            writer.Line("Schemas = new global::Ana.Contracts.Infrastructure.ContractMethodSchemas[]");
            writer.OpenBrace();
            foreach (MethodSchemas schema in schemas)
            {
                writer.Line($"new({CSharpLiteral.String(schema.Arguments)}, {Literal(schema.Result)}, {Literal(schema.Progress)}),");
            }

            writer.CloseBrace(",");
        }

        // The durable methods, whose stored work ServeAsync also takes from JetStream; nothing for a contract without any.
        List<string> durable = [];
        foreach (MethodModel method in contract.Methods)
        {
            if (method.Durable is { } settings)
            {
                string oneWay = method.Kind == CallKind.OneWay ? "true" : "false";
                string timeout = method.Timeout is { } seconds ? $" {{ Timeout = global::System.TimeSpan.FromSeconds({seconds}) }}" : "";
                durable.Add($"new({CSharpLiteral.String(method.Topic)}, {settings.MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)}, global::System.TimeSpan.FromSeconds({settings.RetryDelaySeconds}), oneWay: {oneWay}){timeout},");
            }
        }

        if (durable.Count > 0)
        {
            writer.Line("DurableTopics = new global::Ana.Contracts.Infrastructure.DurableTopic[]");
            writer.OpenBrace();
            foreach (string line in durable)
            {
                writer.Line(line);
            }

            writer.CloseBrace(",");
        }

        writer.CloseBrace(");");
        writer.Unindent();
        writer.CloseBrace();
        writer.CloseBrace();

        EmitHelpers.CloseContract(writer, contract);
        return writer.ToString();
    }

    private static string Literal(string? text) => text is null ? "null" : CSharpLiteral.String(text);

    private static string StringArray(List<string> literals)
        => literals.Count == 0 ? "new string[0]" : $"new string[] {{ {string.Join(", ", literals)} }}";
}
