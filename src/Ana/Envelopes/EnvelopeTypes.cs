namespace Ana;

/// <summary>The values of the <c>type</c> discriminator.</summary>
public static class EnvelopeTypes
{
    /// <summary>The discriminator of <see cref="Ana.Query"/>.</summary>
    public const string Query = "query";

    /// <summary>The discriminator of <see cref="Ana.Reply"/>.</summary>
    public const string Reply = "reply";

    /// <summary>The discriminator of <see cref="Ana.Ack"/>.</summary>
    public const string Ack = "ack";

    /// <summary>The discriminator of <see cref="Ana.Discovery"/>.</summary>
    public const string Discovery = "discovery";

    /// <summary>The discriminator of <see cref="Ana.Pulse"/>.</summary>
    public const string Pulse = "pulse";
}
