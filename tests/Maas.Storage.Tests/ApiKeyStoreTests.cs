using Maas.Core.Errors;
using Maas.Core.Security;
using Maas.Storage.Sqlite;
using Maas.Testing;
using Microsoft.Data.Sqlite;

namespace Maas.Storage.Tests;

public sealed class ApiKeyStoreTests : IDisposable
{
    private readonly TempFolder _home = new();
    private readonly SqliteApiKeyStore _store;

    public ApiKeyStoreTests() => _store = new SqliteApiKeyStore(new SqliteDatabase(_home.Combine("maas.db")));

    [Fact]
    public async Task Create_ThenVerify_FindsTheKeyAndItsScope()
    {
        var (key, secret) = await _store.CreateAsync("ci", ApiKeyScope.Manage, CancellationToken.None);

        var verified = await _store.VerifyAsync(secret, CancellationToken.None);

        Assert.StartsWith($"maas_{key.Id}_", secret, StringComparison.Ordinal);
        Assert.Equal(key, verified);
        Assert.True(verified!.Allows(ApiKeyScope.Predict));
    }

    [Fact]
    public async Task Verify_AWrongSecretOrGarbage_ReturnsNull()
    {
        var (_, secret) = await _store.CreateAsync("ci", ApiKeyScope.Predict, CancellationToken.None);
        var tampered = secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A');

        Assert.Null(await _store.VerifyAsync(tampered, CancellationToken.None));
        Assert.Null(await _store.VerifyAsync("maas_000000000000_whatever", CancellationToken.None));
        Assert.Null(await _store.VerifyAsync("Bearer nonsense", CancellationToken.None));
        Assert.Null(await _store.VerifyAsync("", CancellationToken.None));
    }

    [Fact]
    public async Task TheSecret_IsNeverStored_OnlyItsHash()
    {
        var (_, secret) = await _store.CreateAsync("ci", ApiKeyScope.Predict, CancellationToken.None);
        ApiKeySecret.TryParse(secret, out _, out var secretPart);

        var bytes = await File.ReadAllBytesAsync(_home.Combine("maas.db"));
        var wal = File.Exists(_home.Combine("maas.db-wal")) ? await File.ReadAllBytesAsync(_home.Combine("maas.db-wal")) : [];

        var text = System.Text.Encoding.Latin1.GetString([.. bytes, .. wal]);
        Assert.DoesNotContain(secretPart!, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_MakesTheKeyFailVerification_AndListShowsWhen()
    {
        var (key, secret) = await _store.CreateAsync("ci", ApiKeyScope.Predict, CancellationToken.None);
        var (other, otherSecret) = await _store.CreateAsync("ops", ApiKeyScope.Manage, CancellationToken.None);

        var revoked = await _store.RevokeAsync(key.Id, CancellationToken.None);

        Assert.NotNull(revoked.RevokedAt);
        Assert.False(revoked.Allows(ApiKeyScope.Predict));
        Assert.Null(await _store.VerifyAsync(secret, CancellationToken.None));
        Assert.Equal(other, await _store.VerifyAsync(otherSecret, CancellationToken.None));
        var list = await _store.ListAsync(CancellationToken.None);
        Assert.Equal([(key.Id, true), (other.Id, false)], list.Select(k => (k.Id, k.RevokedAt is not null)));
    }

    [Fact]
    public async Task Revoke_AnUnknownKey_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _store.RevokeAsync("ffffffffffff", CancellationToken.None));
    }

    [Fact]
    public void PredictKey_DoesNotAllowManagement()
    {
        var key = new ApiKey("a", "n", ApiKeyScope.Predict, DateTimeOffset.UtcNow, null);

        Assert.True(key.Allows(ApiKeyScope.Predict));
        Assert.False(key.Allows(ApiKeyScope.Manage));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _home.Dispose();
    }
}
