using System.Text;

namespace Ana.Tests.Reliability;

/// <summary>
/// Reproducible hostile payloads: random bytes, truncated and mutated valid envelopes, wrong field types, huge
/// strings and deep nesting. The same seed gives the same stream.
/// </summary>
internal sealed class FuzzedInput(int seed)
{
    private static readonly byte[][] Valid = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "wire", "valid"))
        .Order()
        .Select(File.ReadAllBytes)
        .ToArray();

    private static readonly string[] WrongTypes =
    [
        """{"type":"query","from":1,"to":"bob","query":"q","ts":"2026-05-14T06:35:00Z"}""",
        """{"type":"query","from":"a","to":["bob"],"query":"q","ts":"2026-05-14T06:35:00Z"}""",
        """{"type":"query","from":"a","to":"bob","query":"q","ts":12}""",
        """{"type":"query","from":"a","to":"bob","query":"q","ts":"2026-05-14T06:35:00Z","fields":"uptime"}""",
        """{"type":"query","from":"a","to":"bob","query":"q","ts":"2026-05-14T06:35:00Z","timeout_s":"soon"}""",
        """{"type":"reply","from":"a","reply_for":"s","ts":"2026-05-14T06:35:00Z","error":"bad"}""",
        """{"type":"pulse","from":"a","activity":"x","ts":"2026-05-14T06:35:00Z","clock":{"uptime_s":"long"}}""",
        """{"type":"discovery","from":"a","ts":"2026-05-14T06:35:00Z","capabilities":[1]}""",
        """{"type":null}""",
        """null""",
        "\"just a string\"",
        """{"type":"query","type":"reply"}""",
    ];

    private readonly Random _random = new(seed);

    /// <summary>The next payload: mostly small, with a huge string one time in 500 and deep nesting one in 50.</summary>
    public byte[] Next() => _random.Next(1000) switch
    {
        < 2 => HugeString(),
        < 22 => DeepNesting(),
        < 200 => RandomBytes(_random.Next(0, 256)),
        < 400 => Truncated(),
        < 700 => Mutated(),
        < 850 => Spliced(),
        _ => Encoding.UTF8.GetBytes(WrongTypes[_random.Next(WrongTypes.Length)]),
    };

    private byte[] RandomBytes(int length)
    {
        byte[] bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] Truncated()
    {
        byte[] valid = Valid[_random.Next(Valid.Length)];
        return valid[.._random.Next(valid.Length)];
    }

    private byte[] Mutated()
    {
        byte[] copy = (byte[])Valid[_random.Next(Valid.Length)].Clone();
        int flips = _random.Next(1, 6);
        for (int i = 0; i < flips; i++)
        {
            copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
        }

        return copy;
    }

    private byte[] Spliced()
    {
        byte[] a = Valid[_random.Next(Valid.Length)];
        byte[] b = Valid[_random.Next(Valid.Length)];
        return [.. a[.._random.Next(a.Length)], .. b[_random.Next(b.Length)..]];
    }

    private byte[] HugeString()
    {
        int length = _random.Next(64 * 1024, 900 * 1024);
        return Encoding.UTF8.GetBytes($$"""{"type":"pulse","from":"{{new string('x', length)}}","activity":"a","ts":"2026-05-14T06:35:00Z"}""");
    }

    private byte[] DeepNesting()
    {
        int depth = _random.Next(10) == 0 ? 100_000 : _random.Next(65, 5_000);
        return Encoding.UTF8.GetBytes($$"""{"type":"reply","from":"b","reply_for":"s","ts":"2026-05-14T06:35:00Z","data":{{new string('[', depth)}}{{new string(']', depth)}}}""");
    }
}
