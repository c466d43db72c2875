namespace Maas.Core.Security;

/// <summary>A stored API key: everything but its secret, which is kept only as a hash.</summary>
/// <param name="Id">The public identifier, part of the key itself and recorded as the actor of what it does.</param>
/// <param name="Name">A label for people.</param>
/// <param name="Scope">What it allows.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="RevokedAt">When it was revoked, or null while it is valid.</param>
public sealed record ApiKey(string Id, string Name, ApiKeyScope Scope, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    /// <summary>Whether the key allows <paramref name="required"/>; a manage key allows prediction too.</summary>
    public bool Allows(ApiKeyScope required) => RevokedAt is null && (Scope == ApiKeyScope.Manage || Scope == required);
}
