using Maas.Core.Errors;
using Maas.Core.Security;
using Microsoft.Data.Sqlite;

namespace Maas.Storage.Sqlite;

/// <summary>API keys in SQLite, secrets stored as SHA-256 hashes.</summary>
/// <param name="database">The metadata database.</param>
public sealed class SqliteApiKeyStore(SqliteDatabase database) : IApiKeyStore
{
    /// <inheritdoc />
    public Task<(ApiKey Key, string Secret)> CreateAsync(string name, ApiKeyScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > 100)
        {
            throw new InvalidInputException($"key name '{name[..20]}...': at most 100 characters.");
        }

        var (id, text, hash) = ApiKeySecret.Create();
        var key = new ApiKey(id, name, scope, DateTimeOffset.UtcNow, null);
        using var connection = database.Open();
        connection.Execute(null, "INSERT INTO api_keys (id, name, scope, secret_hash, created_at) VALUES ($id, $name, $scope, $hash, $at)",
            ("$id", id), ("$name", name), ("$scope", ScopeText(scope)), ("$hash", hash), ("$at", StoredJson.Time(key.CreatedAt)));
        return Task.FromResult((key, text));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        return Task.FromResult<IReadOnlyList<ApiKey>>(connection.Query("SELECT * FROM api_keys ORDER BY created_at, id", Read));
    }

    /// <inheritdoc />
    public Task<ApiKey> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        connection.Execute(null, "UPDATE api_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL",
            ("$id", id), ("$at", StoredJson.Time(DateTimeOffset.UtcNow)));
        var rows = connection.Query("SELECT * FROM api_keys WHERE id = $id", Read, ("$id", id));
        return rows.Count == 1 ? Task.FromResult(rows[0]) : throw new NotFoundException($"API key '{id}' does not exist (see 'maas keys list').");
    }

    /// <inheritdoc />
    public Task<ApiKey?> VerifyAsync(string presented, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryParse(presented, out var id, out var secret))
        {
            return Task.FromResult<ApiKey?>(null);
        }

        using var connection = database.Open();
        using var command = connection.Command(null, "SELECT * FROM api_keys WHERE id = $id", ("$id", id));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return Task.FromResult<ApiKey?>(null);
        }

        var key = Read(reader);
        var hash = (byte[])reader["secret_hash"];
        return Task.FromResult(ApiKeySecret.Matches(secret, hash) && key.RevokedAt is null ? key : null);
    }

    private static string ScopeText(ApiKeyScope scope) => scope == ApiKeyScope.Manage ? "manage" : "predict";

    private static ApiKey Read(SqliteDataReader reader)
    {
        var revoked = reader.GetOrdinal("revoked_at");
        return new ApiKey(
            reader.GetString(reader.GetOrdinal("id")),
            reader.GetString(reader.GetOrdinal("name")),
            reader.GetString(reader.GetOrdinal("scope")) == "manage" ? ApiKeyScope.Manage : ApiKeyScope.Predict,
            StoredJson.Time(reader.GetString(reader.GetOrdinal("created_at"))),
            reader.IsDBNull(revoked) ? null : StoredJson.Time(reader.GetString(revoked)));
    }
}
