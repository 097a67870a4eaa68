namespace Ana.Contracts;

/// <summary>Marks a method returning <c>Task</c> or <c>ValueTask</c> as publish-only: the call returns once the query is sent.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AnaOneWayAttribute : Attribute
{
}
