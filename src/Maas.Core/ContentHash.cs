using System.Security.Cryptography;

namespace Maas.Core;

/// <summary>SHA-256 content addresses, written as 64 lowercase hex digits.</summary>
public static class ContentHash
{
    /// <summary>The SHA-256 of <paramref name="data"/> as lowercase hex.</summary>
    public static string Of(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>The SHA-256 of a stream's remaining bytes as lowercase hex.</summary>
    public static async Task<string> OfAsync(Stream stream, CancellationToken cancellationToken) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));

    /// <summary>Whether <paramref name="hash"/> looks like a content address this class produced.</summary>
    public static bool IsValid(string hash) =>
        hash.Length == 64 && hash.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
