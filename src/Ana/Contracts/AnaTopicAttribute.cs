namespace Ana.Contracts;

/// <summary>Sets the topic of a contract method; by default it is the method name without <c>Async</c>, in snake_case.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AnaTopicAttribute : Attribute
{
    /// <summary>Maps the method to <paramref name="topic"/>.</summary>
    public AnaTopicAttribute(string topic) => Topic = topic;

    /// <summary>The topic: one or more dot-separated subject tokens.</summary>
    public string Topic { get; }
}
