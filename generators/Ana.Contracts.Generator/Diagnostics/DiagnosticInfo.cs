using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator;

/// <summary>A diagnostic to report, held as values (descriptor, location, message arguments) in the pipeline's models.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs)
        => new(descriptor, location, messageArgs.ToEquatableArray());

    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location?.ToLocation(), MessageArgs.ToArray<object>());
}
