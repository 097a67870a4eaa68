namespace Ana.Tests.Transport;

internal static class MemoryTestKit
{
    /// <summary>A broker name of its own, since brokers are process-wide and tests run in parallel.</summary>
    public static string NewBrokerName() => "test-" + Guid.NewGuid().ToString("N");
}
