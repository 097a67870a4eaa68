using Ana.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ana.Hosting.Internal;

/// <summary>
/// One bus of the host: connects it when the host starts (or when something resolves it first), serves its contracts,
/// sends its pulse, and on stop drains it: no new queries, running calls finish and reply, queued ones are answered
/// <c>unavailable</c>, and whatever still runs when the host's shutdown timeout fires has its token cancelled.
/// </summary>
internal sealed class AgentBusHost(AgentBusRegistration registration, IServiceProvider services) : IHostedService, IAsyncDisposable
{
    // The longest drain AgentBus.DrainAsync takes; the host's shutdown token is what ends it.
    private static readonly TimeSpan LongestDrain = TimeSpan.FromDays(24);

    private readonly object _gate = new();
    private Task<AgentBus>? _connecting;
    private CancellationTokenSource? _pulse;
    private Task? _pulsing;
    private int _serving;

    public AgentBusRegistration Registration => registration;

    /// <summary>Whether every server's subscriptions are in place.</summary>
    public bool IsServing => Volatile.Read(ref _serving) != 0;

    /// <summary>The bus when it has connected, else <see langword="null"/>.</summary>
    public AgentBus? ConnectedBus => _connecting is { IsCompletedSuccessfully: true } connecting ? connecting.Result : null;

    /// <summary>
    /// The bus, connecting it first if nothing has yet: a service resolved before the host starts (a typed client injected
    /// into a hosted service's constructor) waits here for the connection, bounded by the options' connect timeout.
    /// </summary>
    public AgentBus GetBus() => Connect().GetAwaiter().GetResult();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Validate();
        AgentBus bus = await Connect().WaitAsync(cancellationToken).ConfigureAwait(false);
        Contracts.IAnaServerFilter[] filters = [.. registration.Filters.Select(resolve => resolve(services))];
        foreach (ServerRegistration server in registration.Servers)
        {
            // The bus owns the subscription: its drain on stop ends it.
            await server.ServeAsync(bus, services, filters, cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _serving, 1);
        TimeSpan? pulseInterval = registration.PulseInterval ?? Settings().PulseInterval;
        if (pulseInterval is { } interval && interval > TimeSpan.Zero)
        {
            _pulse = new CancellationTokenSource();
            _pulsing = PulseAsync(bus, interval, _pulse.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _serving, 0);
        await StopPulseAsync().ConfigureAwait(false);
        if (ConnectedBus is { } bus)
        {
            await bus.DrainAsync(LongestDrain, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopPulseAsync().ConfigureAwait(false);
        Task<AgentBus>? connecting;
        lock (_gate)
        {
            connecting = _connecting;
        }

        if (connecting is { IsCompletedSuccessfully: true })
        {
            await connecting.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<AgentBus> Connect()
    {
        lock (_gate)
        {
            return _connecting ??= ConnectCoreAsync();
        }
    }

    private async Task<AgentBus> ConnectCoreAsync()
    {
        AgentBusOptions options = Options();
        try
        {
            return await AgentBus.ConnectAsync(registration.Identity, options).ConfigureAwait(false);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException(
                $"The agent bus '{registration.Name}' (agent '{registration.Identity}', configuration section '{registration.ConfigurationSection}') is misconfigured: {exception.Message}",
                exception);
        }
        catch (Exception exception) when (exception is AnaException or AnaConnectionException or TimeoutException or OperationCanceledException or IOException)
        {
            throw new InvalidOperationException(
                $"The agent bus '{registration.Name}' (agent '{registration.Identity}') could not connect to {UrlSecrets.Redact(options.Url)} within {options.ConnectTimeout.TotalSeconds:0.###} s: {UrlSecrets.RedactInText(exception.Message)}",
                exception);
        }
    }

    private AgentBusOptions Options()
    {
        AgentBusOptions options = new() { LoggerFactory = services.GetService<ILoggerFactory>() };
        options = Settings().ApplyTo(options);
        foreach (Func<AgentBusOptions, AgentBusOptions> configure in registration.Configure)
        {
            options = configure(options);
        }

        if (registration.ClientFilters.Count > 0)
        {
            options = options with
            {
                ClientFilters = [.. options.ClientFilters ?? [], .. registration.ClientFilters.Select(resolve => resolve(services))],
            };
        }

        return options;
    }

    private AgentBusSettings Settings()
    {
        AgentBusSettings settings = new();
        services.GetService<IConfiguration>()?.GetSection(registration.ConfigurationSection).Bind(settings);
        return settings;
    }

    private void Validate()
    {
        HashSet<Type> clients = [];
        foreach (Type client in registration.Clients)
        {
            if (!clients.Add(client))
            {
                throw new InvalidOperationException(
                    $"The client {client.FullName} is registered twice on the agent bus '{registration.Name}'; register each contract's client once per bus (use another bus, or AgentBus.Client<T>(agent), to call a second agent).");
            }
        }

        HashSet<(Type, string?)> servers = [];
        foreach (ServerRegistration server in registration.Servers)
        {
            if (!servers.Add((server.Contract, server.Options.Agent)))
            {
                throw new InvalidOperationException(
                    $"The contract {server.Contract.FullName} is served twice on the agent bus '{registration.Name}' under the same agent name.");
            }
        }
    }

    private static async Task PulseAsync(AgentBus bus, TimeSpan interval, CancellationToken cancellationToken)
    {
        using PeriodicTimer timer = new(interval);
        try
        {
            do
            {
                try
                {
                    await bus.PulseAsync("alive", cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is AnaException or ObjectDisposedException)
                {
                    // A pulse missed while reconnecting is not worth stopping for: the next tick tries again.
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task StopPulseAsync()
    {
        CancellationTokenSource? pulse = Interlocked.Exchange(ref _pulse, null);
        if (pulse is null)
        {
            return;
        }

        await pulse.CancelAsync().ConfigureAwait(false);
        if (_pulsing is { } pulsing)
        {
            await pulsing.ConfigureAwait(false);
        }

        pulse.Dispose();
    }
}
