using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Ana;

/// <summary>Unguessable request ids: 96 random bits as 16 base64url characters, safe as a subject token.</summary>
/// <remarks>
/// The bits come from the operating system's CSPRNG, fetched for 64 ids at a time into a per-thread buffer: one call into
/// it per id cost a tenth of a typed call's CPU time.
/// </remarks>
internal static class RequestIds
{
    public const int Length = 16;

    private const int RandomBytes = 12;
    private const int IdsPerRefill = 64;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_next;

    public static string New()
    {
        Span<byte> text = stackalloc byte[Length];
        Base64.EncodeToUtf8(NextRandom(), text, out _, out _);
        for (int i = 0; i < text.Length; i++)
        {
            text[i] = text[i] switch
            {
                (byte)'+' => (byte)'-',
                (byte)'/' => (byte)'_',
                byte b => b,
            };
        }

        return Encoding.ASCII.GetString(text);
    }

    private static ReadOnlySpan<byte> NextRandom()
    {
        byte[]? random = t_random;
        if (random is null || t_next == random.Length)
        {
            random = t_random ??= new byte[RandomBytes * IdsPerRefill];
            RandomNumberGenerator.Fill(random);
            t_next = 0;
        }

        Span<byte> id = random.AsSpan(t_next, RandomBytes);
        t_next += RandomBytes;
        return id;
    }
}
