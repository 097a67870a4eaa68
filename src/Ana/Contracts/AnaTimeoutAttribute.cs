namespace Ana.Contracts;

/// <summary>
/// How long callers wait for a method's reply (on a method), or for every method's (on the contract). The timeout
/// travels with the query, and the server cancels the implementation's token when it passes.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Interface, Inherited = false)]
public sealed class AnaTimeoutAttribute : Attribute
{
    /// <summary>Sets the timeout.</summary>
    /// <param name="seconds">Seconds; greater than zero.</param>
    public AnaTimeoutAttribute(double seconds) => Seconds = seconds;

    /// <summary>The timeout in seconds.</summary>
    public double Seconds { get; }
}
