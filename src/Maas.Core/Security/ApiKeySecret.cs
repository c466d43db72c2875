using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Maas.Core.Security;

/// <summary>
/// The text of an API key, <c>maas_&lt;id&gt;_&lt;secret&gt;</c>: a 12-hex-digit public id that finds the stored row,
/// then a 256-bit random secret of which only the SHA-256 is stored. A fast hash is enough: the secret has 256 bits
/// of entropy, so there is nothing to brute-force that a slow password hash would protect.
/// </summary>
public static class ApiKeySecret
{
    private const string Prefix = "maas_";
    private const int IdLength = 12;

    /// <summary>Makes a new key: its id, the full text to hand to the user once, and the hash to store.</summary>
    public static (string Id, string Key, byte[] Hash) Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, $"{Prefix}{id}_{secret}", Hash(secret));
    }

    /// <summary>Splits a presented key into its id and secret; false when it is not shaped like a Maas key.</summary>
    public static bool TryParse(string? key, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out string? secret)
    {
        id = null;
        secret = null;
        if (key is null || key.Length < Prefix.Length + IdLength + 2 || !key.StartsWith(Prefix, StringComparison.Ordinal)
            || key[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        id = key.Substring(Prefix.Length, IdLength);
        secret = key[(Prefix.Length + IdLength + 1)..];
        return true;
    }

    /// <summary>The stored form of a secret.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="storedHash"/>, in time that does not depend on where they differ.</summary>
    public static bool Matches(string secret, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
