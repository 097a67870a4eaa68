// HostedAgents: Ana.Contracts in the .NET Generic Host. One host serves two contracts, "greeter" and "clock"; the
// greeter's implementation calls the clock through an injected client. A caller service greets a few times while a
// reporter prints the host's health; then the host stops (draining its bus). Traces and metrics go to the console.
//   dotnet run --project samples/HostedAgents                                       memory://: 3 calls, then exits
//   dotnet run --project samples/HostedAgents -- --nats nats://127.0.0.1:4222 --forever   serves and calls until Ctrl+C
//   --calls N: how many greetings before it stops (3); --no-telemetry: no OpenTelemetry console exporter
using Ana;
using Ana.Hosting;
using HostedAgents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

string url = "memory://hosted-agents";
int calls = 3;
bool forever = false;
bool telemetry = true;
for (int i = 0; i < args.Length; i++)
{
    bool hasValue = i + 1 < args.Length;
    switch (args[i])
    {
        case "--nats" when hasValue: url = args[++i]; break;
        case "--calls" when hasValue && int.TryParse(args[i + 1], out calls) && calls > 0: i++; break;
        case "--forever": forever = true; break;
        case "--no-telemetry": telemetry = false; break;
        default:
            Console.Error.WriteLine("usage: HostedAgents [--nats URL] [--calls N] [--forever] [--no-telemetry]");
            return 2;
    }
}

HostApplicationBuilder builder = Host.CreateApplicationBuilder();

// The bus reads the configuration section "Ana" (appsettings.json, environment variables such as Ana__Url, ...).
builder.Configuration["Ana:Url"] = url;
builder.Services.AddAgentBus("hosted-1")
    .AddServer<IGreeter, Greeter>()
    .AddServer<IClock, Clock>()
    .AddClient<IGreeter>()
    .AddClient<IClock>()
    .AddFilter<TimingFilter>()
    .AddPulse(TimeSpan.FromSeconds(5));
builder.Services.AddHealthChecks().AddAgentBus();

if (telemetry)
{
    builder.Services.AddOpenTelemetry()
        .ConfigureResource(resource => resource.AddService("hosted-agents"))
        .WithTracing(tracing => tracing.AddSource(AnaTelemetry.ActivitySourceName, "NATS.Net").AddConsoleExporter())
        .WithMetrics(metrics => metrics.AddMeter(AnaTelemetry.MeterName, "NATS.Net").AddConsoleExporter());
}

// Hosted services start in the order added: the bus (serving) first, then these two.
builder.Services.AddSingleton(new CallerSettings(forever ? null : calls));
builder.Services.AddHostedService<HealthReporter>();
builder.Services.AddHostedService<Caller>();

await builder.Build().RunAsync();
return 0;
