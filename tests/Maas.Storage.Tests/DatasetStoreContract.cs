using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;

namespace Maas.Storage.Tests;

/// <summary>
/// What every <see cref="IDatasetStore"/> must do, written once: each backend's test class derives from this and
/// says how to create an empty store.
/// </summary>
public abstract class DatasetStoreContract
{
    private IDatasetStore? _store;

    /// <summary>A new, empty store; called once per test.</summary>
    protected abstract IDatasetStore CreateStore();

    private IDatasetStore Store => _store ??= CreateStore();

    private static Sample SampleOf(string id, int label, Split split, char blob = 'a') =>
        new(id, new string(blob, 63) + label, label, split, id + ".png", 28, 28, 1, "png");

    private static string Blob(int i) => i.ToString("D64", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task CommitVersion_Twice_NumbersVersionsAndKeepsBoth()
    {
        string[] classes = ["cat", "dog"];
        var first = await Store.CommitVersionAsync("pets", classes, [SampleOf("a", 0, Split.Train)], "/src", CancellationToken.None);
        var second = await Store.CommitVersionAsync("pets", classes, [SampleOf("a", 0, Split.Train), SampleOf("b", 1, Split.Test)], "/src", CancellationToken.None);

        Assert.Equal(("pets@1", "pets@2"), (first.Reference, second.Reference));
        Assert.Single(await Store.GetSamplesAsync("pets", 1, CancellationToken.None));
        var samples = await Store.GetSamplesAsync("pets", 2, CancellationToken.None);
        Assert.Equal([SampleOf("a", 0, Split.Train), SampleOf("b", 1, Split.Test)], samples);
        Assert.Equal(2, (await Store.GetVersionAsync(VersionedName.Parse("pets"), CancellationToken.None)).Version);
        Assert.Equal(classes, (await Store.GetVersionAsync(VersionedName.Parse("pets@1"), CancellationToken.None)).Classes);
    }

    [Fact]
    public async Task CommitVersion_WithABadSample_LeavesNoHalfVersion()
    {
        await Store.CommitVersionAsync("pets", ["cat"], [SampleOf("a", 0, Split.Train)], "/src", CancellationToken.None);

        await Assert.ThrowsAsync<InvalidInputException>(() =>
            Store.CommitVersionAsync("pets", ["cat"], [SampleOf("a", 0, Split.Train), SampleOf("b", 5, Split.Train)], "/src", CancellationToken.None));

        var versions = await Store.ListVersionsAsync(CancellationToken.None);
        Assert.Equal(["pets@1"], versions.Select(v => v.Reference));
        Assert.Empty(await Store.GetSamplesAsync("pets", 2, CancellationToken.None));
    }

    [Fact]
    public async Task ManifestHash_DoesNotDependOnSampleOrder()
    {
        Sample[] samples = [SampleOf("a", 0, Split.Train), SampleOf("b", 0, Split.Test)];
        var one = await Store.CommitVersionAsync("x", ["c"], samples, "/s", CancellationToken.None);
        var two = await Store.CommitVersionAsync("x", ["c"], samples.Reverse().ToArray(), "/s", CancellationToken.None);

        Assert.Equal(one.ManifestHash, two.ManifestHash);
    }

    [Fact]
    public async Task GetVersion_Unknown_ThrowsNotFoundListingKnownVersions()
    {
        await Store.CommitVersionAsync("pets", ["cat"], [SampleOf("a", 0, Split.Train)], "/src", CancellationToken.None);

        var error = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetVersionAsync(VersionedName.Parse("pets@7"), CancellationToken.None));

        Assert.Equal("dataset 'pets@7' does not exist (known: pets@1).", error.Message);
    }

    [Fact]
    public async Task RemoveVersion_RemovesItsManifestAndKeepsTheOtherVersions()
    {
        await Store.CommitVersionAsync("pets", ["cat"], [SampleOf("a", 0, Split.Train)], "/src", CancellationToken.None);
        await Store.CommitVersionAsync("pets", ["cat"], [SampleOf("a", 0, Split.Train), SampleOf("b", 0, Split.Test)], "/src", CancellationToken.None);

        var datasetRemoved = await Store.RemoveVersionAsync("pets", 1, CancellationToken.None);

        Assert.False(datasetRemoved);
        Assert.Equal(["pets@2"], (await Store.ListVersionsAsync(CancellationToken.None)).Select(v => v.Reference));
        Assert.Empty(await Store.GetSamplesAsync("pets", 1, CancellationToken.None));
        Assert.Equal(2, (await Store.GetSamplesAsync("pets", 2, CancellationToken.None)).Count);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetVersionAsync(VersionedName.Parse("pets@1"), CancellationToken.None));
    }

    [Fact]
    public async Task RemoveVersion_ThenCommit_DoesNotReuseTheNumber()
    {
        await Store.CommitVersionAsync("pets", ["cat"], [SampleOf("a", 0, Split.Train)], "/src", CancellationToken.None);
        await Store.CommitVersionAsync("pets", ["cat"], [SampleOf("b", 0, Split.Train)], "/src", CancellationToken.None);

        await Store.RemoveVersionAsync("pets", 2, CancellationToken.None);
        var next = await Store.CommitVersionAsync("pets", ["cat"], [SampleOf("c", 0, Split.Train)], "/src", CancellationToken.None);

        Assert.Equal("pets@3", next.Reference);
    }

    [Fact]
    public async Task RemoveVersion_TheLastOne_RemovesTheDataset()
    {
        await Store.CommitVersionAsync("pets", ["cat"], [SampleOf("a", 0, Split.Train)], "/src", CancellationToken.None);
        await Store.CommitVersionAsync("other", ["cat"], [SampleOf("a", 0, Split.Train)], "/src", CancellationToken.None);

        var datasetRemoved = await Store.RemoveVersionAsync("pets", 1, CancellationToken.None);

        Assert.True(datasetRemoved);
        Assert.Equal(["other@1"], (await Store.ListVersionsAsync(CancellationToken.None)).Select(v => v.Reference));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetVersionAsync(VersionedName.Parse("pets"), CancellationToken.None));
        var again = await Store.CommitVersionAsync("pets", ["dog"], [SampleOf("z", 0, Split.Train)], "/src", CancellationToken.None);
        Assert.Equal("pets@1", again.Reference);
    }

    [Fact]
    public async Task RemoveVersion_Unknown_ThrowsNotFoundAndRemovesNothing()
    {
        await Store.CommitVersionAsync("pets", ["cat"], [SampleOf("a", 0, Split.Train)], "/src", CancellationToken.None);

        var error = await Assert.ThrowsAsync<NotFoundException>(() => Store.RemoveVersionAsync("pets", 2, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.RemoveVersionAsync("nope", 1, CancellationToken.None));

        Assert.Equal("dataset 'pets@2' does not exist (known: pets@1).", error.Message);
        Assert.Single(await Store.GetSamplesAsync("pets", 1, CancellationToken.None));
    }

    [Fact]
    public async Task FindReferencedBlobs_ReturnsOnlyTheHashesSomeVersionStillRefersTo()
    {
        var shared = SampleOf("shared", 0, Split.Train, blob: 's');
        var onlyInOne = SampleOf("one", 0, Split.Train, blob: 'o');
        var onlyInTwo = SampleOf("two", 0, Split.Train, blob: 't');
        await Store.CommitVersionAsync("pets", ["cat"], [shared, onlyInOne], "/src", CancellationToken.None);
        await Store.CommitVersionAsync("pets", ["cat"], [shared, onlyInTwo], "/src", CancellationToken.None);
        await Store.RemoveVersionAsync("pets", 1, CancellationToken.None);

        var referenced = await Store.FindReferencedBlobsAsync([shared.BlobHash, onlyInOne.BlobHash, onlyInTwo.BlobHash, Blob(7)], CancellationToken.None);

        Assert.Equal([shared.BlobHash, onlyInTwo.BlobHash], referenced.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindReferencedBlobs_ManyHashes_AnswersForEachOne()
    {
        var samples = Enumerable.Range(0, 1500).Select(i => new Sample($"s{i}", Blob(i), 0, Split.Train, "x.png", 1, 1, 1, "png")).ToArray();
        await Store.CommitVersionAsync("many", ["c"], samples, "/src", CancellationToken.None);

        var referenced = await Store.FindReferencedBlobsAsync(Enumerable.Range(750, 1500).Select(Blob).ToArray(), CancellationToken.None);

        Assert.Equal(750, referenced.Count);
        Assert.Contains(Blob(1499), referenced);
        Assert.DoesNotContain(Blob(1500), referenced);
    }
}
