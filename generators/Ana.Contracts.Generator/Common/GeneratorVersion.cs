namespace Ana.Contracts.Generator;

/// <summary>The generator's name and version, as every generated file's <c>[GeneratedCode]</c> attribute states them.</summary>
internal static class GeneratorVersion
{
    public const string Name = "Ana.Contracts.Generator";

    /// <summary>The generator assembly's version, e.g. <c>0.1.0.0</c>.</summary>
    public static readonly string Version = typeof(GeneratorVersion).Assembly.GetName().Version?.ToString() ?? "1.0.0.0";

    /// <summary>The <c>[GeneratedCode]</c> attribute, fully qualified.</summary>
    public static readonly string GeneratedCodeAttribute =
        $"[global::System.CodeDom.Compiler.GeneratedCode(\"{Name}\", \"{Version}\")]";
}
