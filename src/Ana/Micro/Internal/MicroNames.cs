using System.Reflection;
using System.Text.RegularExpressions;

namespace Ana.Micro;

/// <summary>
/// The names and the version a served contract shows in the NATS micro protocol (ADR-32), whose schemas allow only
/// <c>[a-zA-Z0-9_-]</c> in service and endpoint names and a semantic version.
/// </summary>
internal static partial class MicroNames
{
    /// <summary>The version shown when neither the contract nor its assembly gives a semantic version.</summary>
    public const string FallbackVersion = "0.0.0";

    /// <summary>
    /// A name as ADR-32 allows it: every character outside <c>[a-zA-Z0-9_-]</c> (a dot of a topic, a non-ASCII letter)
    /// becomes <c>_</c>, each UTF-16 unit once.
    /// </summary>
    public static string Map(string name)
    {
        int first = 0;
        while (first < name.Length && IsAllowed(name[first]))
        {
            first++;
        }

        if (first == name.Length)
        {
            return name;
        }

        return string.Create(name.Length, (name, first), static (span, state) =>
        {
            state.name.AsSpan().CopyTo(span);
            for (int i = state.first; i < span.Length; i++)
            {
                if (!IsAllowed(span[i]))
                {
                    span[i] = '_';
                }
            }
        });
    }

    /// <summary>Whether <paramref name="version"/> is a semantic version (2.0.0), as ADR-32's schemas check it.</summary>
    public static bool IsSemanticVersion(string? version) => version is not null && SemanticVersion().IsMatch(version);

    /// <summary>The version of a contract declared in <paramref name="assembly"/>; see the other overload.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="declared"/> is not a semantic version.</exception>
    public static string VersionOf(string? declared, Assembly assembly, string contractName)
        => VersionOf(
            declared,
            assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
            assembly.GetName().Version,
            contractName);

    /// <summary>
    /// The version of a contract: <paramref name="declared"/> (<c>[AnaAgent(Version = ...)]</c>) when given, else its
    /// assembly's <paramref name="informational"/> version when it is a semantic version (<c>1.2.0+sha</c> is), else the
    /// first three parts of its <paramref name="assemblyVersion"/> (<c>1.2.0.0</c> → <c>1.2.0</c>), else <see cref="FallbackVersion"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="declared"/> is not a semantic version.</exception>
    public static string VersionOf(string? declared, string? informational, Version? assemblyVersion, string contractName)
    {
        if (declared is not null)
        {
            return IsSemanticVersion(declared)
                ? declared
                : throw new InvalidOperationException(
                    $"[AnaAgent(Version = \"{declared}\")] of {contractName} is not a semantic version (MAJOR.MINOR.PATCH[-pre][+build], e.g. 1.2.0), which NATS micro discovery requires. Fix it, or turn discovery off with AgentBusOptions.MicroDiscovery = false.");
        }

        if (IsSemanticVersion(informational))
        {
            return informational!;
        }

        return assemblyVersion is not null
            ? $"{assemblyVersion.Major}.{assemblyVersion.Minor}.{Math.Max(assemblyVersion.Build, 0)}"
            : FallbackVersion;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SemanticVersion();
}
