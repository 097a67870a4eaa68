using Ana.Contracts.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>A contract that extends another: which of its generated nested types hide the base's.</summary>
internal sealed partial class ContractParser
{
    /// <summary>
    /// The generated nested types of <paramref name="contract"/> that a member of one of its base interfaces already
    /// names, so that the emitters declare them <c>new</c> (CS0108 otherwise). A base contract of this compilation gets
    /// its nested types in this same generator run, where the compilation does not show them yet; one from a referenced
    /// assembly shows them, when they are accessible here.
    /// </summary>
    private EquatableArray<string> HiddenNestedTypes(INamedTypeSymbol contract, bool hasUserJsonContext)
    {
        string[] generated = hasUserJsonContext
            ? [NestedTypeNames.Client, NestedTypeNames.Dispatcher, NestedTypeNames.Registration, NestedTypeNames.Arguments, NestedTypeNames.JsonTypeInfos]
            : [NestedTypeNames.Client, NestedTypeNames.Dispatcher, NestedTypeNames.Registration, NestedTypeNames.Arguments];
        SortedSet<string> hidden = new(StringComparer.Ordinal);
        foreach (INamedTypeSymbol baseInterface in contract.AllInterfaces)
        {
            AttributeData? baseAgent = baseInterface.DeclaringSyntaxReferences.Length > 0
                ? KnownSymbols.Find(baseInterface, known.AnaAgentAttributeType)
                : null;
            foreach (string name in generated)
            {
                bool generatedHere = baseAgent is not null
                    && (name != NestedTypeNames.JsonTypeInfos || baseAgent.NamedArguments.Any(argument => argument.Key == "JsonContext"));
                if (generatedHere || baseInterface.GetMembers(name).Any(member => known.Compilation.IsSymbolAccessibleWithin(member, contract)))
                {
                    hidden.Add(name);
                }
            }
        }

        return hidden.ToEquatableArray();
    }
}
