using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace HostedAgents;

/// <summary>Prints the host's health report every second, as a readiness endpoint would serve it.</summary>
internal sealed class HealthReporter(HealthCheckService health) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using PeriodicTimer timer = new(TimeSpan.FromSeconds(1));
        do
        {
            HealthReport report = await health.CheckHealthAsync(stoppingToken);
            foreach ((string name, HealthReportEntry entry) in report.Entries)
            {
                Console.WriteLine($"health: {report.Status} ({name}: {entry.Description})");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
