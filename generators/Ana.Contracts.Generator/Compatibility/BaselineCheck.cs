using Ana.Contracts.Generator.Emit;
using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Parsing;

namespace Ana.Contracts.Generator.Compatibility;

/// <summary>A <c>*.ana.json</c> file of the compilation's additional files.</summary>
/// <param name="Path">Its full path.</param>
/// <param name="Text">Its content, or <see langword="null"/> when it could not be read.</param>
internal sealed record BaselineFile(string Path, string? Text);

/// <summary>The build properties of baselines: <c>AnaUpdateContractBaselines</c> and <c>AnaRequireContractBaselines</c>.</summary>
internal sealed record BaselineSettings(bool Update, bool Require);

/// <summary>The baseline to write for a contract (when <c>AnaUpdateContractBaselines</c> is set): where, and what.</summary>
internal sealed record BaselineUpdate(string HintName, string FilePath, string Contract, string Text);

/// <summary>
/// What checking a contract against its baseline gives: diagnostics (without a location: they are placed at the contract
/// named <paramref name="MetadataName"/> when reported), or, when updating, the new baseline.
/// </summary>
internal sealed record BaselineCheckResult(string MetadataName, EquatableArray<DiagnosticInfo> Diagnostics, BaselineUpdate? Update)
{
    /// <summary>The diagnostics, at the contract's declaration in <paramref name="compilation"/>.</summary>
    public IEnumerable<Microsoft.CodeAnalysis.Diagnostic> ToDiagnostics(Microsoft.CodeAnalysis.Compilation compilation)
    {
        Microsoft.CodeAnalysis.Location? location = compilation.GetTypeByMetadataName(MetadataName)?.Locations.FirstOrDefault();
        return Diagnostics.Select(d => Microsoft.CodeAnalysis.Diagnostic.Create(d.Descriptor, location, d.MessageArgs.ToArray<object>()));
    }
}

/// <summary>
/// Finds a contract's baseline among the additional files and compares the contract with it, or, when the build asks to
/// update baselines, makes the new one instead (and reports nothing: the changes are accepted).
/// </summary>
internal static class BaselineCheck
{
    public static BaselineCheckResult Run(ContractModel contract, ContractSite site, EquatableArray<BaselineFile> files, BaselineSettings settings)
    {
        string fileName = ContractBaseline.FileName(contract);
        BaselineFile? file = files
            .Where(f => string.Equals(System.IO.Path.GetFileName(f.Path), fileName, StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => string.Equals(System.IO.Path.GetDirectoryName(f.Path), site.Directory, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .FirstOrDefault();
        if (settings.Update)
        {
            JsonTree recorded = ContractBaseline.Build(contract, JsonSchemaEmitter.Emit(contract));
            string path = file?.Path ?? System.IO.Path.Combine(site.Directory, fileName);
            return new BaselineCheckResult(site.MetadataName, EquatableArray<DiagnosticInfo>.Empty, new BaselineUpdate(contract.HintNamePrefix + ".AnaBaseline.g.cs", path, contract.HintNamePrefix, recorded.ToIndentedString()));
        }

        if (file is null)
        {
            // Off unless asked for: a new project has no baselines, and says so once it wants them.
            if (!settings.Require)
            {
                return new BaselineCheckResult(site.MetadataName, EquatableArray<DiagnosticInfo>.Empty, null);
            }

            return Only(site, DiagnosticInfo.Create(DiagnosticDescriptors.BaselineMissing, null, contract.DisplayName, fileName));
        }

        JsonTree baseline;
        try
        {
            baseline = JsonTree.Parse(file.Text ?? throw new FormatException("the file could not be read"));
        }
        catch (FormatException e)
        {
            return Only(site, DiagnosticInfo.Create(DiagnosticDescriptors.BaselineUnreadable, null, file.Path, contract.DisplayName, e.Message));
        }

        if (baseline.Kind != JsonKind.Object || baseline["ana_baseline"]?.ToString() != ContractBaseline.Format.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return Only(site, DiagnosticInfo.Create(DiagnosticDescriptors.BaselineUnreadable, null, file.Path, contract.DisplayName, "it is no baseline of format " + ContractBaseline.Format.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        BaselineComparer comparer = new(contract.DisplayName);
        comparer.Compare(baseline, ContractBaseline.Build(contract, JsonSchemaEmitter.Emit(contract)));
        return new BaselineCheckResult(site.MetadataName, comparer.Diagnostics.ToEquatableArray(), null);
    }

    private static BaselineCheckResult Only(ContractSite site, DiagnosticInfo diagnostic) => new(site.MetadataName, new[] { diagnostic }.ToEquatableArray(), null);
}
