using Maas.Core.Security;

namespace Maas.Storage;

/// <summary>API keys: created once, listed, revoked; verified on every request.</summary>
public interface IApiKeyStore
{
    /// <summary>Creates a key; the returned text is the only copy of its secret.</summary>
    Task<(ApiKey Key, string Secret)> CreateAsync(string name, ApiKeyScope scope, CancellationToken cancellationToken);

    /// <summary>Every key, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Revokes the key with <paramref name="id"/>; revoking it again changes nothing.</summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such key.</exception>
    Task<ApiKey> RevokeAsync(string id, CancellationToken cancellationToken);

    /// <summary>The stored key <paramref name="presented"/> is the text of, or null when it is malformed, unknown, wrong or revoked.</summary>
    Task<ApiKey?> VerifyAsync(string presented, CancellationToken cancellationToken);
}
