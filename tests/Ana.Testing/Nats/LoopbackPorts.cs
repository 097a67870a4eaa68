using System.Net;
using System.Net.Sockets;

namespace Ana.Testing.Nats;

/// <summary>Ports on 127.0.0.1 for the servers tests start.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// A port nothing listens on at this moment. Another process may take it before the caller binds it: whoever
    /// starts a server on it retries on "address already in use".
    /// </summary>
    public static int Free()
    {
        TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
