using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Tests.Infrastructure;

/// <summary>
/// What test compilations reference, as the test project's build listed it under <c>refs/</c>: the framework's
/// reference assemblies and Ana.dll, for net10.0 and for net8.0, and the System.Text.Json source generator.
/// </summary>
internal static class References
{
    private static readonly Lazy<MetadataReference[]> Net10 = new(() => Load("net10.0.txt"));
    private static readonly Lazy<MetadataReference[]> Net8 = new(() => Load("net8.0.txt"));
    private static readonly Lazy<ISourceGenerator> Net10JsonGenerator = new(() => LoadJsonSourceGenerator("net10.0.analyzers.txt"));
    private static readonly Lazy<ISourceGenerator> Net8JsonGenerator = new(() => LoadJsonSourceGenerator("net8.0.analyzers.txt"));

    public static IReadOnlyList<MetadataReference> For(TestFramework framework)
        => framework == TestFramework.Net8 ? Net8.Value : Net10.Value;

    /// <summary>The System.Text.Json source generator of the framework, so that a user's own <c>JsonSerializerContext</c> gets filled in.</summary>
    public static ISourceGenerator SystemTextJsonGenerator(TestFramework framework)
        => framework == TestFramework.Net8 ? Net8JsonGenerator.Value : Net10JsonGenerator.Value;

    private static string[] Lines(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "refs", file);
        Assert.True(File.Exists(path), $"{path} is missing: the test project's build writes it (target WriteCompilationReferences).");
        return File.ReadAllLines(path).Where(line => line.Length > 0).ToArray();
    }

    private static MetadataReference[] Load(string file)
        => Lines(file).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToArray();

    private static ISourceGenerator LoadJsonSourceGenerator(string file)
    {
        // Each version in a load context of its own: both assemblies have the same name.
        AssemblyLoadContext context = new(file);
        context.Resolving += (_, name) => name.Name is "Microsoft.CodeAnalysis" or "Microsoft.CodeAnalysis.CSharp"
            ? System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyName(name)
            : null;
        Assembly assembly = context.LoadFromAssemblyPath(Lines(file).Single());
        Type type = assembly.GetTypes().Single(type =>
            !type.IsAbstract && typeof(IIncrementalGenerator).IsAssignableFrom(type) && type.GetCustomAttribute<GeneratorAttribute>() is not null);
        return ((IIncrementalGenerator)Activator.CreateInstance(type)!).AsSourceGenerator();
    }
}
