using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Ana;

/// <summary>Unguessable request ids: 96 random bits as 16 base64url characters, safe as a subject token.</summary>
internal static class RequestIds
{
    public const int Length = 16;

    public static string New()
    {
        Span<byte> random = stackalloc byte[12];
        Span<byte> text = stackalloc byte[Length];
        RandomNumberGenerator.Fill(random);
        Base64.EncodeToUtf8(random, text, out _, out _);
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
}
