using Ana.Transport;

namespace Ana.Tests.Transport;

/// <summary>Issue 10, defect 6: the one rule for credentials in server URLs, on many shapes.</summary>
public sealed class UrlSecretsTests
{
    [Theory]
    [InlineData("nats://127.0.0.1:4222", "nats://127.0.0.1:4222")]
    [InlineData("memory://bus-1", "memory://bus-1")]
    [InlineData("nats://user:pw@127.0.0.1:4222", "nats://***@127.0.0.1:4222")]
    [InlineData("nats://tok@127.0.0.1:4222,nats://127.0.0.1:4223", "nats://***@127.0.0.1:4222,nats://127.0.0.1:4223")]
    [InlineData("nats://127.0.0.1:4222, nats://u:p@127.0.0.1:4223", "nats://127.0.0.1:4222, nats://***@127.0.0.1:4223")]
    [InlineData("nats://a@h1:1,tls://b:c@h2:2,nats://h3:3", "nats://***@h1:1,tls://***@h2:2,nats://h3:3")]
    [InlineData("tok@127.0.0.1", "***@127.0.0.1")]
    [InlineData("nats://t0k/en@host:4222", "nats://***@host:4222")]
    [InlineData("nats://t0k%2Fen@host:4222", "nats://***@host:4222")]
    [InlineData("nats://user:p/a?s#s@host:4222", "nats://***@host:4222")]
    [InlineData("nats://user:p@ss@host:4222", "nats://***@host:4222")]
    [InlineData("nats://user:a,b@host:4222", "nats://***@host:4222")]
    [InlineData("nats://pa://ss@host:4222", "nats://***@host:4222")]
    [InlineData("nats://u:p@[::1]:4222", "nats://***@[::1]:4222")]
    [InlineData("wss://u:p@host/path", "wss://***@host/path")]
    [InlineData("nats://host/x@y", "nats://***@y")]
    [InlineData("host:1,tok@host:2", "***@host:2")]
    [InlineData("", "")]
    public void Redacts_everything_before_the_last_at_of_each_url(string url, string expected)
        => Assert.Equal(expected, UrlSecrets.Redact(url));

    [Theory]
    [InlineData("nats://t0k/en@host:4222", "t0k/en", "t0k")]
    [InlineData("nats://user:p/a?s#s@host:4222", "p/a?s#s", "user:p")]
    [InlineData("nats://user:a,b@host:4222,nats://other:4223", "a,b", "user:a")]
    [InlineData("nats://x:y@h1:1,nats://tok@h2:2", "tok", "x:y")]
    public void No_part_of_a_secret_survives_redaction(string url, string secret, string part)
    {
        string redacted = UrlSecrets.Redact(url);
        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.DoesNotContain(part, redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_lists_the_user_info_the_password_and_their_decoded_forms()
    {
        IReadOnlyList<string> secrets = UrlSecrets.Secrets("nats://alice:p%2Fw@h:1,nats://t0k@h:2");
        Assert.Equal(["alice:p%2Fw", "alice:p/w", "p%2Fw", "p/w", "t0k"], secrets);
    }

    [Theory]
    [InlineData("nats://127.0.0.1:4222")]
    [InlineData("nats://127.0.0.1:4222,nats://127.0.0.1:4223")]
    [InlineData("tls://u:p@localhost:4222")]
    [InlineData("nats://t0k%2Fen@host:4222")]
    [InlineData("nats://u:p%3F%23%40%2C@host")]
    [InlineData("127.0.0.1:4222")]
    [InlineData("localhost")]
    [InlineData("nats://[::1]:4222")]
    [InlineData("ws://host:8080/nats")]
    public void Accepts_well_formed_urls(string url)
        => Assert.Null(UrlSecrets.Problem(url));

    [Theory]
    [InlineData("nats://t0k/en@host:4222", "after a '/'")]
    [InlineData("nats://alice:pa?ss@host:4222", "after a '/'")]
    [InlineData("nats://alice:pa#ss@host:4222", "after a '/'")]
    [InlineData("nats://host:4222/x@y", "after a '/'")]
    [InlineData("nats://alice:a,b@host:4222", "host[:port]")]
    [InlineData("nats://host:notaport", "host[:port]")]
    [InlineData("nats://[::1", "host[:port]")]
    public void Refuses_urls_whose_credentials_would_be_misread_without_naming_them(string url, string reason)
    {
        string? problem = UrlSecrets.Problem(url);
        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.Contains("ercent-encode", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("t0k", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("can not start to connect nats server: nats://agent:***@127.0.0.1:4222 -> Authorization Violation", "can not start to connect nats server: nats://***@127.0.0.1:4222 -> Authorization Violation")]
    [InlineData("Try to connect nats://tok@h:1, then tls://u:p@h:2", "Try to connect nats://***@h:1, then tls://***@h:2")]
    [InlineData("mail bob@example.com about nats://h:1", "mail bob@example.com about nats://h:1")]
    [InlineData("no urls here", "no urls here")]
    public void Masks_user_info_of_urls_inside_text(string text, string expected)
        => Assert.Equal(expected, UrlSecrets.RedactInText(text));

    [Fact]
    public void Text_without_user_info_comes_back_as_the_same_instance()
    {
        string text = "connected to nats://127.0.0.1:4222 and mailed a@b";
        Assert.Same(text, UrlSecrets.RedactInText(text));
    }

    [Fact]
    public void The_client_logger_masks_user_info_and_keeps_other_lines_as_they_are()
    {
        Ana.Testing.Logging.RecordingLogger log = new();
        using Ana.Transport.Nats.UrlRedactingLoggerFactory factory = new(new Ana.Testing.Logging.RecordingLoggerFactory(log));
        Microsoft.Extensions.Logging.ILogger logger = factory.CreateLogger("NATS.Client.Core");
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger, "Connect to NATS using {Uri}", "nats://alice:***@127.0.0.1:4222");
        Microsoft.Extensions.Logging.LoggerExtensions.LogError(logger, new InvalidOperationException("can not connect uris: nats://t0k@h:1"), "Failed");
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger, "Plain {Value}", 42);

        Ana.Testing.Logging.LogEntry[] entries = [.. log.Entries];
        Assert.Equal("Connect to NATS using nats://***@127.0.0.1:4222", entries[0].Message);
        Assert.DoesNotContain("t0k", entries[1].Exception!.ToString(), StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", entries[1].Exception!.Message, StringComparison.Ordinal);
        Assert.Equal("Plain 42", entries[2].Message);
    }
}
