using Ana;

// Usage: Ana.AuditWriter <audit-log-path> <pulses> <identity>
// Publishes <pulses> pulses on an in-process broker, every one audited to <audit-log-path>, then prints "done".
if (args.Length != 3 || !int.TryParse(args[1], out int pulses))
{
    Console.Error.WriteLine("usage: Ana.AuditWriter <audit-log-path> <pulses> <identity>");
    return 2;
}

AgentBusOptions options = new() { Url = $"memory://audit-writer-{Guid.NewGuid():N}", AuditLogPath = args[0] };
await using (AgentBus bus = await AgentBus.ConnectAsync(args[2], options))
{
    for (int i = 0; i < pulses; i++)
    {
        await bus.PulseAsync($"line {i}");
    }
}

Console.WriteLine("done");
return 0;
