namespace Ana.Contracts.Generator.Model;

/// <summary>A type a contract is nested in, as a <c>partial</c> declaration repeats it.</summary>
/// <param name="Keyword">The declaration keyword(s): <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>, <c>interface</c>, with <c>ref</c>/<c>readonly</c> where declared.</param>
/// <param name="Name">The type's name (never generic: generic containing types are rejected with ANA010).</param>
internal sealed record ContainingTypeModel(string Keyword, string Name);
