// Compiler-required types that netstandard2.0 lacks (records and init-only setters).
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
