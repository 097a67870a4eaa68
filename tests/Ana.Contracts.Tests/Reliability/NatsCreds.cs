using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NATS.NKeys;

namespace Ana.Contracts.Tests.Reliability;

/// <summary>
/// Decentralized-auth material for tests, made with NATS.NKeys: an operator, an account and its users, as JWTs signed
/// the way nats-server checks them (ed25519 over <c>header.payload</c>), and <c>.creds</c> files. Test-only, minimal claims.
/// </summary>
internal sealed class NatsCreds : IDisposable
{
    private readonly KeyPair _operator = KeyPair.CreatePair(PrefixByte.Operator);
    private readonly KeyPair _account = KeyPair.CreatePair(PrefixByte.Account);

    /// <summary>The server configuration trusting the operator, with the account preloaded in a memory resolver.</summary>
    public string ServerConfig()
    {
        string operatorJwt = Sign(_operator, _operator.GetPublicKey(), new JsonObject { ["type"] = "operator", ["version"] = 2 });
        string accountJwt = Sign(_operator, _account.GetPublicKey(), new JsonObject
        {
            ["limits"] = new JsonObject { ["subs"] = -1, ["data"] = -1, ["payload"] = -1, ["imports"] = -1, ["exports"] = -1, ["wildcards"] = true, ["conn"] = -1, ["leaf"] = -1 },
            ["default_permissions"] = new JsonObject { ["pub"] = new JsonObject(), ["sub"] = new JsonObject() },
            ["type"] = "account",
            ["version"] = 2,
        });
        return $$"""
            operator: {{operatorJwt}}
            resolver: MEMORY
            resolver_preload: {
              {{_account.GetPublicKey()}}: {{accountJwt}}
            }

            """;
    }

    /// <summary>A creds file for a new user of this account (or, with <paramref name="strangerAccount"/>, of an account the server does not know).</summary>
    public (string Jwt, string Seed, string Text) NewUser(bool strangerAccount = false)
    {
        using KeyPair user = KeyPair.CreatePair(PrefixByte.User);
        using KeyPair stranger = KeyPair.CreatePair(PrefixByte.Account);
        KeyPair issuer = strangerAccount ? stranger : _account;
        string jwt = Sign(issuer, user.GetPublicKey(), new JsonObject
        {
            ["pub"] = new JsonObject(),
            ["sub"] = new JsonObject(),
            ["subs"] = -1,
            ["data"] = -1,
            ["payload"] = -1,
            ["type"] = "user",
            ["version"] = 2,
        });
        string seed = user.GetSeed();
        string text = $"""
            -----BEGIN NATS USER JWT-----
            {jwt}
            ------END NATS USER JWT------

            ************************* IMPORTANT *************************
            NKEY Seed printed below can be used to sign and prove identity.
            NKEYs are sensitive and should be treated as secrets.

            -----BEGIN USER NKEY SEED-----
            {seed}
            ------END USER NKEY SEED------

            *************************************************************

            """;
        return (jwt, seed, text);
    }

    public void Dispose()
    {
        _operator.Dispose();
        _account.Dispose();
    }

    private static string Sign(KeyPair issuer, string subject, JsonObject nats)
    {
        JsonObject claims = new()
        {
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60,
            ["iss"] = issuer.GetPublicKey(),
            ["name"] = "ana-test",
            ["sub"] = subject,
            ["nats"] = nats,
        };
        string header = Base64Url("""{"typ":"JWT","alg":"ed25519-nkey"}"""u8.ToArray());
        string payload = Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        byte[] signature = new byte[64];
        issuer.Sign(Encoding.ASCII.GetBytes(header + "." + payload), signature);
        return header + "." + payload + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
