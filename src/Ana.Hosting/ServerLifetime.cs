namespace Ana.Hosting;

/// <summary>Where a served contract's implementation comes from for each call.</summary>
public enum ServerLifetime
{
    /// <summary>A new dependency-injection scope per call, disposed when the call ends (as gRPC and ASP.NET Core do).</summary>
    Scoped,

    /// <summary>One implementation for every call, resolved from the root provider when the host starts.</summary>
    Singleton,
}
