using System.Collections.Generic;
using Ana.Contracts.Generator.Model;

namespace Ana.Contracts.Generator.Emit;

/// <summary>The generated files of one contract, by hint name.</summary>
internal static class ContractEmitter
{
    public static IEnumerable<(string HintName, string Source)> Emit(ContractModel contract)
    {
        yield return (contract.HintNamePrefix + ".Client.g.cs", ClientEmitter.Emit(contract));
        yield return (contract.HintNamePrefix + ".Dispatcher.g.cs", DispatcherEmitter.Emit(contract));
        yield return (contract.HintNamePrefix + ".Arguments.g.cs", ArgumentsEmitter.Emit(contract));
        yield return (contract.HintNamePrefix + ".Registration.g.cs", RegistrationEmitter.Emit(contract));
        if (contract.JsonContext is not null)
        {
            yield return (contract.HintNamePrefix + ".JsonContext.g.cs", JsonContextEmitter.Emit(contract.JsonContext));
        }
        else if (contract.UserJsonContext is not null)
        {
            yield return (contract.HintNamePrefix + ".JsonTypeInfos.g.cs", UserJsonContextEmitter.Emit(contract));
        }
    }
}
