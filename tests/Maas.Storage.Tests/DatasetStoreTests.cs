using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Storage.Sqlite;
using Maas.Testing;

namespace Maas.Storage.Tests;

public sealed class DatasetStoreTests : IDisposable
{
    private readonly TempFolder _home = new();
    private readonly IDatasetStore _store;

    public DatasetStoreTests() => _store = new SqliteDatasetStore(new SqliteDatabase(_home.Combine("maas.db")));

    private static Sample SampleOf(string id, int label, Split split) =>
        new(id, new string('a', 63) + label, label, split, id + ".png", 28, 28, 1, "png");

    [Fact]
    public async Task CommitVersion_Twice_NumbersVersionsAndKeepsBoth()
    {
        string[] classes = ["cat", "dog"];
        var first = await _store.CommitVersionAsync("pets", classes, [SampleOf("a", 0, Split.Train)], "/src", CancellationToken.None);
        var second = await _store.CommitVersionAsync("pets", classes, [SampleOf("a", 0, Split.Train), SampleOf("b", 1, Split.Test)], "/src", CancellationToken.None);

        Assert.Equal(("pets@1", "pets@2"), (first.Reference, second.Reference));
        Assert.Single(await _store.GetSamplesAsync("pets", 1, CancellationToken.None));
        var samples = await _store.GetSamplesAsync("pets", 2, CancellationToken.None);
        Assert.Equal([SampleOf("a", 0, Split.Train), SampleOf("b", 1, Split.Test)], samples);
        Assert.Equal(2, (await _store.GetVersionAsync(VersionedName.Parse("pets"), CancellationToken.None)).Version);
        Assert.Equal(classes, (await _store.GetVersionAsync(VersionedName.Parse("pets@1"), CancellationToken.None)).Classes);
    }

    [Fact]
    public async Task CommitVersion_WithABadSample_LeavesNoHalfVersion()
    {
        await _store.CommitVersionAsync("pets", ["cat"], [SampleOf("a", 0, Split.Train)], "/src", CancellationToken.None);

        await Assert.ThrowsAsync<InvalidInputException>(() =>
            _store.CommitVersionAsync("pets", ["cat"], [SampleOf("a", 0, Split.Train), SampleOf("b", 5, Split.Train)], "/src", CancellationToken.None));

        var versions = await _store.ListVersionsAsync(CancellationToken.None);
        Assert.Equal(["pets@1"], versions.Select(v => v.Reference));
        Assert.Empty(await _store.GetSamplesAsync("pets", 2, CancellationToken.None));
    }

    [Fact]
    public async Task ManifestHash_DoesNotDependOnSampleOrder()
    {
        Sample[] samples = [SampleOf("a", 0, Split.Train), SampleOf("b", 0, Split.Test)];
        var one = await _store.CommitVersionAsync("x", ["c"], samples, "/s", CancellationToken.None);
        var two = await _store.CommitVersionAsync("x", ["c"], samples.Reverse().ToArray(), "/s", CancellationToken.None);

        Assert.Equal(one.ManifestHash, two.ManifestHash);
    }

    [Fact]
    public async Task GetVersion_Unknown_ThrowsNotFoundListingKnownVersions()
    {
        await _store.CommitVersionAsync("pets", ["cat"], [SampleOf("a", 0, Split.Train)], "/src", CancellationToken.None);

        var error = await Assert.ThrowsAsync<NotFoundException>(() => _store.GetVersionAsync(VersionedName.Parse("pets@7"), CancellationToken.None));

        Assert.Equal("dataset 'pets@7' does not exist (known: pets@1).", error.Message);
    }

    public void Dispose() => _home.Dispose();
}
