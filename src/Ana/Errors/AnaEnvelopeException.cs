namespace Ana;

/// <summary>
/// Bytes that are not a valid ana envelope: not JSON, too large or too deep, no or an unknown <c>type</c>,
/// a missing required field or a field of the wrong JSON type. The message names the problem.
/// </summary>
public sealed class AnaEnvelopeException : FormatException
{
    /// <summary>Creates the exception with a message that names the problem.</summary>
    public AnaEnvelopeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message that names the problem and the error that revealed it.</summary>
    public AnaEnvelopeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
