using Maas.Core;
using Maas.Core.Errors;
using Maas.Datasets;
using Maas.Storage;
using Maas.Testing;
using Maas.Workflows.Datasets;

namespace Maas.Workflows.Tests;

/// <summary><see cref="RemoveDataset"/> deletes a version and only the images no other version uses.</summary>
public sealed class RemoveDatasetTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Remove_TheFirstOfTwoOverlappingVersions_DeletesOnlyItsOwnImages()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        var import = new ImportDataset(stores);
        var split = new ImportOptions(null, [1.0, 0, 0]);
        await import.RunAsync(new ImportDatasetRequest(ImageTree.Write(_temp.Combine("one"), ("train", "cat", 4, 0)), "pets", split), null, CancellationToken.None);
        // The second version keeps images 0..2 and adds two of its own, so one image is the first version's alone.
        var two = ImageTree.Write(_temp.Combine("two"), ("train", "cat", 3, 0), ("train", "dog", 2, 100));
        await import.RunAsync(new ImportDatasetRequest(two, "pets", split), null, CancellationToken.None);
        var remove = new RemoveDataset(stores);
        var kept = (await stores.Datasets.GetSamplesAsync("pets", 2, CancellationToken.None)).Select(s => s.BlobHash).ToHashSet();
        var own = Assert.Single((await stores.Datasets.GetSamplesAsync("pets", 1, CancellationToken.None)).Select(s => s.BlobHash), h => !kept.Contains(h));

        var removal = await remove.RunAsync(new RemoveDatasetRequest(VersionedName.Parse("pets@1"), Force: false), CancellationToken.None);

        Assert.Equal(("pets@1", 4, false), (removal.Dataset, removal.SampleCount, removal.DatasetRemoved));
        Assert.Equal((1, 3), (removal.BlobsDeleted, removal.BlobsKept));
        Assert.False(stores.Blobs.Contains(own));
        await Assert.ThrowsAsync<NotFoundException>(() => new ShowDataset(stores).RunAsync(VersionedName.Parse("pets@1"), CancellationToken.None));
        Assert.All(kept, h => Assert.True(stores.Blobs.Contains(h)));

        await Assert.ThrowsAsync<InvalidInputException>(() => remove.RunAsync(new RemoveDatasetRequest(VersionedName.Parse("pets"), Force: false), CancellationToken.None));
        var last = await remove.RunAsync(new RemoveDatasetRequest(VersionedName.Parse("pets@2"), Force: false), CancellationToken.None);
        Assert.True(last.DatasetRemoved);
        Assert.Equal(5, last.BlobsDeleted);
        Assert.All(kept, h => Assert.False(stores.Blobs.Contains(h)));
    }

    public void Dispose() => _temp.Dispose();
}
