using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Benchmarks.Generator;

/// <summary>
/// What the generator benchmark compiles: <see cref="Contracts"/> contracts of <see cref="Methods"/> methods each, and for the
/// baseline the same DTOs under one System.Text.Json context per contract; the references and both generators as this
/// project's build listed them under <c>refs/</c>.
/// </summary>
internal static class GeneratorInputs
{
    public const int Contracts = 100;
    public const int Methods = 10;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static IReadOnlyList<MetadataReference> References { get; } =
        [.. Lines("references.txt").Select(path => MetadataReference.CreateFromFile(path))];

    /// <summary>The contracts generator, loaded from the assembly the compiler loads.</summary>
    public static IIncrementalGenerator LoadContractsGenerator() => LoadGenerator("Ana.Contracts.Generator");

    /// <summary>The System.Text.Json source generator of the framework.</summary>
    public static IIncrementalGenerator LoadJsonGenerator() => LoadGenerator("System.Text.Json.SourceGeneration");

    /// <summary>The contracts: each has its own request and result records and ten methods over them.</summary>
    public static IReadOnlyList<SyntaxTree> ContractSources()
        => [.. Enumerable.Range(0, Contracts).Select(i => Parse(Dtos(i) + Contract(i), $"/src/Contract{i}.cs"))];

    /// <summary>The baseline: the same records, each set under a <c>[JsonSerializable]</c> context of its own.</summary>
    public static IReadOnlyList<SyntaxTree> JsonContextSources()
        => [.. Enumerable.Range(0, Contracts).Select(i => Parse(Dtos(i) + JsonContext(i), $"/src/Context{i}.cs"))];

    /// <summary>An edit that touches no contract: a new file with one class.</summary>
    public static SyntaxTree UnrelatedEdit(int n)
        => Parse($"namespace Elsewhere; public static class Unrelated{n} {{ public const int Answer = {n}; }}", $"/src/Unrelated{n}.cs");

    public static CSharpCompilation Compilation(IEnumerable<SyntaxTree> trees)
        => CSharpCompilation.Create(
            "GeneratorBenchmark",
            trees,
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static string Dtos(int i) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using System.Text.Json.Serialization;
        using Ana.Contracts;

        namespace Bench.Contract{{i}};

        public enum Priority{{i}} { Low, Normal, High }

        public sealed record Request{{i}}(int Id, string Name, double Score, IReadOnlyList<string> Tags, DateTimeOffset At, Priority{{i}} Priority, string? Note);

        public sealed record Result{{i}}(bool Ok, string? Message, Dictionary<string, int> Counts, List<Request{{i}}> Items);

        """;

    private static string Contract(int i)
    {
        StringBuilder text = new();
        text.AppendLine($"[AnaAgent(\"agent-{i}\")]").AppendLine($"public partial interface IContract{i}").AppendLine("{");
        for (int m = 0; m < Methods; m++)
        {
            text.AppendLine($"    Task<Result{i}> Method{m}Async(Request{i} request, int count, CancellationToken cancellationToken = default);");
        }

        return text.AppendLine("}").ToString();
    }

    private static string JsonContext(int i) => $$"""
        [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
        [JsonSerializable(typeof(Request{{i}}))]
        [JsonSerializable(typeof(Result{{i}}))]
        [JsonSerializable(typeof(int))]
        internal sealed partial class Context{{i}} : JsonSerializerContext;

        """;

    private static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, ParseOptions, path, Encoding.UTF8);

    private static IIncrementalGenerator LoadGenerator(string assemblyName)
    {
        string path = Lines("generators.txt").Single(line => Path.GetFileNameWithoutExtension(line) == assemblyName);

        // A load context of its own, sharing this process's Roslyn, as the compiler loads analyzers.
        AssemblyLoadContext context = new(assemblyName);
        context.Resolving += (_, name) => name.Name is "Microsoft.CodeAnalysis" or "Microsoft.CodeAnalysis.CSharp"
            ? AssemblyLoadContext.Default.LoadFromAssemblyName(name)
            : null;
        Assembly assembly = context.LoadFromAssemblyPath(path);
        Type type = assembly.GetTypes().Single(type =>
            !type.IsAbstract && typeof(IIncrementalGenerator).IsAssignableFrom(type) && type.GetCustomAttribute<GeneratorAttribute>() is not null);
        return (IIncrementalGenerator)Activator.CreateInstance(type)!;
    }

    private static string[] Lines(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "refs", file);
        return File.Exists(path)
            ? [.. File.ReadAllLines(path).Where(line => line.Length > 0)]
            : throw new FileNotFoundException($"{path} is missing: the benchmark project's build writes it (target WriteGeneratorBenchmarkInputs).", path);
    }
}
