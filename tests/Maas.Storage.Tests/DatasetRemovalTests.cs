using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Testing;

namespace Maas.Storage.Tests;

public sealed class DatasetRemovalTests : IDisposable
{
    private readonly TempFolder _home = new();
    private readonly MaasStores _stores;

    public DatasetRemovalTests() => _stores = MaasStores.Open(new MaasHome(_home.Path));

    private async Task<Sample> StoredSample(string id, string content)
    {
        var hash = await _stores.Blobs.PutAsync(System.Text.Encoding.UTF8.GetBytes(content), CancellationToken.None);
        return new Sample(id, hash, 0, Split.Train, id + ".png", 1, 1, 1, "png");
    }

    private async Task RegisterModelTrainedOn(string dataset)
    {
        var staged = _home.Combine("staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staged);
        foreach (var file in new[] { ModelVersion.OnnxFileName, ModelVersion.PipelineFileName, ModelVersion.LabelsFileName })
        {
            File.WriteAllText(Path.Combine(staged, file), "{}");
        }

        await _stores.Models.RegisterAsync("cnn", staged, null, dataset, ["cat"], new Dictionary<string, double>(), CancellationToken.None);
    }

    [Fact]
    public async Task Remove_VersionAModelWasTrainedOn_IsRefusedNamingTheModel()
    {
        await _stores.Datasets.CommitVersionAsync("pets", ["cat"], [await StoredSample("a", "A")], "/src", CancellationToken.None);
        await RegisterModelTrainedOn("pets@1");

        var error = await Assert.ThrowsAsync<ConflictException>(() =>
            DatasetRemoval.RemoveAsync(_stores, VersionedName.Parse("pets@1"), force: false, CancellationToken.None));

        Assert.Contains("cnn@1", error.Message, StringComparison.Ordinal);
        Assert.Single(await _stores.Datasets.ListVersionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Remove_WithForce_RemovesAVersionAModelWasTrainedOn()
    {
        await _stores.Datasets.CommitVersionAsync("pets", ["cat"], [await StoredSample("a", "A")], "/src", CancellationToken.None);
        await RegisterModelTrainedOn("pets@1");

        var removal = await DatasetRemoval.RemoveAsync(_stores, VersionedName.Parse("pets@1"), force: true, CancellationToken.None);

        Assert.Equal(["cnn@1"], removal.ReferencingModels);
        Assert.True(removal.DatasetRemoved);
        Assert.Empty(await _stores.Datasets.ListVersionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Remove_DeletesOnlyTheBlobsNoRemainingVersionRefersTo()
    {
        var shared = await StoredSample("shared", "S");
        var own = await StoredSample("own", "O");
        var unrelated = await _stores.Blobs.PutAsync("U"u8.ToArray(), CancellationToken.None);
        await _stores.Datasets.CommitVersionAsync("pets", ["cat"], [shared, own], "/src", CancellationToken.None);
        await _stores.Datasets.CommitVersionAsync("pets", ["cat"], [shared], "/src", CancellationToken.None);

        var removal = await DatasetRemoval.RemoveAsync(_stores, VersionedName.Parse("pets@1"), force: false, CancellationToken.None);

        Assert.Equal(("pets@1", 2, 1, 1, false), (removal.Dataset, removal.SampleCount, removal.BlobsDeleted, removal.BlobsKept, removal.DatasetRemoved));
        Assert.False(_stores.Blobs.Contains(own.BlobHash));
        Assert.True(_stores.Blobs.Contains(shared.BlobHash));
        // Only the removed version's blobs are candidates: a blob stored by an import not yet committed survives.
        Assert.True(_stores.Blobs.Contains(unrelated));
    }

    [Fact]
    public async Task Remove_WithoutAVersionNumber_IsRefused()
    {
        await _stores.Datasets.CommitVersionAsync("pets", ["cat"], [await StoredSample("a", "A")], "/src", CancellationToken.None);

        await Assert.ThrowsAsync<InvalidInputException>(() =>
            DatasetRemoval.RemoveAsync(_stores, VersionedName.Parse("pets"), force: false, CancellationToken.None));
    }

    public void Dispose() => _home.Dispose();
}
