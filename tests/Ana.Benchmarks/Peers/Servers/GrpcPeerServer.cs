using System.Net;
using Ana.Benchmarks.Contract;
using Ana.Benchmarks.Peers.Grpc;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ana.Benchmarks.Peers.Servers;

/// <summary>
/// Grpc.AspNetCore on Kestrel, HTTP/2 cleartext on 127.0.0.1 and a free port, logging off (its standard output is the
/// benchmark's control channel): the RPC stack most .NET teams would pick instead.
/// </summary>
internal sealed class GrpcPeerServer(WebApplication app, string address) : IPeerServer
{
    public string Address => address;

    public static async Task<IPeerServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        WebApplication app = builder.Build();
        app.MapGrpcService<PeerBenchService>();
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new GrpcPeerServer(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private sealed class PeerBenchService : PeerBench.PeerBenchBase
    {
        public override Task<GrpcReading> Echo(GrpcReading request, ServerCallContext context) => Task.FromResult(request);

        public override async Task<GrpcReading> EchoAfterWait(GrpcReading request, ServerCallContext context)
        {
            await Task.Delay(Bench.Wait, context.CancellationToken);
            return request;
        }
    }
}
