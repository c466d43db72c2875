using Maas.Core;
using Maas.Core.Errors;
using Maas.Storage.Blobs;

namespace Maas.Storage.Tests;

/// <summary>What every <see cref="IBlobStore"/> must do; each backend's test class says how to create an empty store.</summary>
public abstract class BlobStoreContract
{
    private IBlobStore? _store;

    /// <summary>A new, empty store; called once per test.</summary>
    protected abstract IBlobStore CreateStore();

    private IBlobStore Store => _store ??= CreateStore();

    [Fact]
    public async Task Put_ThenGet_ReturnsTheBytesUnderTheirHash()
    {
        var hash = await Store.PutAsync("hello"u8.ToArray(), CancellationToken.None);

        Assert.Equal(ContentHash.Of("hello"u8), hash);
        Assert.True(Store.Contains(hash));
        Assert.Equal("hello"u8.ToArray(), await Store.GetAsync(hash, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_RemovesTheBlobAndSaysWhetherItWasThere()
    {
        var hash = await Store.PutAsync("bye"u8.ToArray(), CancellationToken.None);
        var kept = await Store.PutAsync("stay"u8.ToArray(), CancellationToken.None);

        Assert.True(await Store.DeleteAsync(hash, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(hash, CancellationToken.None));

        Assert.False(Store.Contains(hash));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetAsync(hash, CancellationToken.None));
        Assert.True(Store.Contains(kept));
    }

    [Fact]
    public async Task Delete_ThenPutAgain_StoresTheBlobAnew()
    {
        var hash = await Store.PutAsync("again"u8.ToArray(), CancellationToken.None);
        await Store.DeleteAsync(hash, CancellationToken.None);

        await Store.PutAsync("again"u8.ToArray(), CancellationToken.None);

        Assert.Equal("again"u8.ToArray(), await Store.GetAsync(hash, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_NotAHash_ThrowsInvalidInput() =>
        await Assert.ThrowsAsync<InvalidInputException>(() => Store.DeleteAsync("../../maas.db", CancellationToken.None));
}
