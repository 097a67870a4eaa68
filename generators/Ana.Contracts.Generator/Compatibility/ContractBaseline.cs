using System.Globalization;
using Ana.Contracts.Generator.Emit;
using Ana.Contracts.Generator.Model;

namespace Ana.Contracts.Generator.Compatibility;

/// <summary>
/// The wire shape of a contract as its baseline file (<c>&lt;Namespace.IContract&gt;.ana.json</c>) records it: the agent,
/// the naming policy, and per topic its kind, timeout, C# signature and the JSON Schemas of its arguments, result and
/// progress reports. Written by the generator when <c>AnaUpdateContractBaselines</c> is set, compared with the contract
/// on every other build (<see cref="BaselineComparer"/>).
/// </summary>
internal static class ContractBaseline
{
    /// <summary>The format of the file; a file of another format is not compared.</summary>
    public const int Format = 1;

    /// <summary>The file name of a contract's baseline: its full name, e.g. <c>Demo.IScheduler.ana.json</c>.</summary>
    public static string FileName(ContractModel contract) => contract.HintNamePrefix + ".ana.json";

    public static JsonTree Build(ContractModel contract, IReadOnlyList<MethodSchemas> schemas)
    {
        List<JsonTree> topics = [];
        for (int i = 0; i < contract.Methods.Count; i++)
        {
            MethodModel method = contract.Methods[i];
            topics.Add(JsonTree.Object(
                ("topic", JsonTree.String(method.Topic)),
                ("kind", JsonTree.String(KindName(method.Kind))),
                ("timeout_s", method.Timeout is { } timeout ? JsonTree.Number(Seconds(timeout)) : JsonTree.Null),
                ("signature", JsonTree.String(method.Declaration)),
                ("arguments", Schema(schemas[i].Arguments)),
                ("result", Schema(schemas[i].Result)),
                ("progress", Schema(schemas[i].Progress))));
        }

        return JsonTree.Object(
            ("ana_baseline", JsonTree.Number(Format.ToString(CultureInfo.InvariantCulture))),
            ("contract", JsonTree.String(contract.HintNamePrefix)),
            ("agent", JsonTree.String(contract.AgentName)),
            ("naming_policy", JsonTree.String(contract.WireShapes.NamingPolicy.ToString())),
            ("topics", JsonTree.Array(topics)));
    }

    public static string KindName(CallKind kind) => kind switch
    {
        CallKind.Query => "request/reply",
        CallKind.Completion => "request/completion",
        CallKind.OneWay => "one-way",
        _ => "stream",
    };

    /// <summary>A schema without what documents it only (<c>$schema</c>, <c>title</c>): a method renamed on the same topic is no change.</summary>
    private static JsonTree Schema(string? text)
    {
        if (text is null)
        {
            return JsonTree.Null;
        }

        JsonTree schema = JsonTree.Parse(text);
        schema.Members.RemoveAll(m => m.Key is "$schema" or "title");
        return schema;
    }

    /// <summary>A timeout literal of the model (<c>30d</c>, <c>0.5d</c>) as a JSON number.</summary>
    private static string Seconds(string literal)
        => double.Parse(literal.TrimEnd('d', 'D'), NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
}
