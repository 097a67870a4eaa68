using Microsoft.Extensions.Hosting;

namespace HostedAgents;

/// <summary>How many greetings the caller asks for before it stops the host; <see langword="null"/>: until Ctrl+C.</summary>
internal sealed record CallerSettings(int? Calls);

/// <summary>Greets through the injected <see cref="IGreeter"/> client every half second, then stops the host.</summary>
internal sealed class Caller(IGreeter greeter, CallerSettings settings, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (int call = 1; settings.Calls is not { } calls || call <= calls; call++)
        {
            Greeting greeting = await greeter.GreetAsync($"visitor #{call}", stoppingToken);
            Console.WriteLine($"greeter -> {greeting.Text}");
            await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken);
        }

        lifetime.StopApplication();
    }
}
