using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Tests.Infrastructure;

/// <summary>Emits a generator run's output compilation and loads it, sharing Ana.dll with the tests, to run what it contains.</summary>
internal static class GeneratedAssembly
{
    public static Assembly Load(GeneratorRun run)
    {
        Diagnostic[] problems = [.. run.CompilationProblems()];
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(problem => problem.ToString())));

        using MemoryStream image = new();
        Microsoft.CodeAnalysis.Emit.EmitResult result = run.Output.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        image.Position = 0;

        // Ana.dll and the framework resolve from the default context: the generated code and the tests share their types.
        AssemblyLoadContext context = new("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return context.LoadFromStream(image);
    }

    /// <summary>Runs <c>public static Task&lt;string&gt; Scenario.RunAsync(string url)</c> of the generated assembly.</summary>
    public static Task<string> RunScenarioAsync(Assembly assembly, string url)
    {
        MethodInfo run = assembly.GetType("Scenario", throwOnError: true)!.GetMethod("RunAsync")!;
        return (Task<string>)run.Invoke(null, [url])!;
    }
}
