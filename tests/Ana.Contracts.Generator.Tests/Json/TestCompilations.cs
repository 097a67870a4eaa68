using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Parsing;
using Ana.Contracts.Generator.Parsing.Json;
using Ana.Contracts.Generator.Tests.Json.Dtos;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Contracts.Generator.Tests.Json;

/// <summary>Builds Roslyn compilations for the JSON context tests, compiles emitted contexts and loads them.</summary>
internal static class TestCompilations
{
    public const string DtoNamespace = "Ana.Contracts.Generator.Tests.Json.Dtos";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyRuntimeReferences = new(LoadRuntimeReferences);
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyNet8References = new(LoadNet8References);

    /// <summary>The running framework's assemblies plus the test assembly (which holds the compiled DTOs).</summary>
    public static ImmutableArray<MetadataReference> RuntimeReferences => LazyRuntimeReferences.Value;

    /// <summary>The .NET 8 reference assemblies (Microsoft.NETCore.App.Ref 8.0.x from the NuGet package folder).</summary>
    public static ImmutableArray<MetadataReference> Net8References => LazyNet8References.Value;

    /// <summary>The DTO source file, embedded in the test assembly.</summary>
    public static string DtoSource { get; } = ReadResource("Dtos.cs");

    public static CSharpCompilation Create(string assemblyName, IEnumerable<MetadataReference> references, params (string Path, string Source)[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Source, ParseOptions, s.Path)),
            references,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                allowUnsafe: true,
                // Reference unification notes the SDK silences too; they are about the references, not the code.
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
                {
                    ["CS1701"] = ReportDiagnostic.Suppress,
                    ["CS1702"] = ReportDiagnostic.Suppress,
                }));

    /// <summary>The model of a context over <paramref name="rootNames"/> (metadata names of types in <paramref name="compilation"/>).</summary>
    public static JsonContextModel BuildModel(Compilation compilation, JsonNamingPolicyKind policy, params string[] rootNames) =>
        BuildModel(compilation, policy, rootNames.Select(n => (ITypeSymbol)Type(compilation, n)).ToArray());

    public static JsonContextModel BuildModel(Compilation compilation, JsonNamingPolicyKind policy, params ITypeSymbol[] roots) =>
        JsonContextModelBuilder.Build(
            "Ana.Generated",
            "TestJsonContext",
            "public",
            policy,
            roots.Select(r => (r, (LocationInfo?)null, "ITest.Method")),
            new KnownSymbols(compilation),
            CancellationToken.None);

    public static INamedTypeSymbol Type(Compilation compilation, string metadataName) =>
        compilation.GetTypeByMetadataName(metadataName) ?? throw new InvalidOperationException($"Type {metadataName} not found.");

    /// <summary>Fails with the list of errors and warnings of <paramref name="compilation"/>, if any.</summary>
    public static void AssertNoErrorsOrWarnings(Compilation compilation, string? source = null)
    {
        Diagnostic[] problems = compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.IsSuppressed)
            .ToArray();
        if (problems.Length > 0)
        {
            string listing = string.Join(Environment.NewLine, problems.Take(30).Select(d => d.ToString()));
            Assert.Fail($"{problems.Length} error(s)/warning(s):{Environment.NewLine}{listing}{Environment.NewLine}{Numbered(source)}");
        }
    }

    /// <summary>Compiles and loads into a collectible context; DTO types resolve to the test assembly's own.</summary>
    public static Assembly EmitAndLoad(Compilation compilation, string? source = null)
    {
        AssertNoErrorsOrWarnings(compilation, source);
        using MemoryStream stream = new();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        stream.Position = 0;
        AssemblyLoadContext context = new(compilation.AssemblyName, isCollectible: true);
        return context.LoadFromStream(stream);
    }

    /// <summary>The source with line numbers, for failure messages.</summary>
    public static string Numbered(string? source) => source is null
        ? string.Empty
        : string.Join(Environment.NewLine, source.Split('\n').Select((line, i) => $"{i + 1,5}: {line}"));

    /// <summary>The package folder, from the build (NuGetPackageRoot), else NUGET_PACKAGES or ~/.nuget/packages.</summary>
    public static string NuGetPackageRoot()
    {
        string? fromBuild = typeof(TestCompilations).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "NuGetPackageRoot")?.Value;
        if (!string.IsNullOrEmpty(fromBuild) && Directory.Exists(fromBuild))
        {
            return fromBuild;
        }

        return Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }

    private static ImmutableArray<MetadataReference> LoadRuntimeReferences()
    {
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        Dictionary<string, string> paths = new(StringComparer.OrdinalIgnoreCase);
        foreach (string path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            paths.TryAdd(Path.GetFileName(path), path);
        }

        string testAssembly = typeof(Job).Assembly.Location;
        paths[Path.GetFileName(testAssembly)] = testAssembly;
        return [.. paths.Values.OrderBy(p => p, StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static ImmutableArray<MetadataReference> LoadNet8References()
    {
        string packs = Path.Combine(NuGetPackageRoot(), "microsoft.netcore.app.ref");
        string? version = Directory.Exists(packs)
            ? Directory.GetDirectories(packs)
                .Select(Path.GetFileName)
                .Where(v => v!.StartsWith("8.0.", StringComparison.Ordinal) && Directory.Exists(Path.Combine(packs, v, "ref", "net8.0")))
                .OrderBy(v => Version.Parse(v!))
                .LastOrDefault()
            : null;
        if (version is null)
        {
            throw new InvalidOperationException(
                $"Microsoft.NETCore.App.Ref 8.0.x is not in {packs}; restore the test project (it downloads it with PackageDownload).");
        }

        string directory = Path.Combine(packs, version, "ref", "net8.0");

        // Ana.dll built for net8.0 too: generated contexts use its converters (ContractJsonConverters).
        string ana = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "refs", "net8.0.txt"))
            .Single(line => string.Equals(Path.GetFileName(line), "Ana.dll", StringComparison.OrdinalIgnoreCase));
        return [.. Directory.GetFiles(directory, "*.dll").Append(ana).OrderBy(p => p, StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static string ReadResource(string name)
    {
        using Stream stream = typeof(TestCompilations).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Resource {name} not found.");
        using StreamReader reader = new(stream);
        return reader.ReadToEnd();
    }
}
