using Maas.Core;
using Maas.Core.Errors;
using Maas.Storage.Locking;

namespace Maas.Storage;

/// <summary>What removing a dataset version did.</summary>
/// <param name="Dataset">The removed version, e.g. <c>fashion@1</c>.</param>
/// <param name="SampleCount">How many samples its manifest held.</param>
/// <param name="DatasetRemoved">Whether the dataset itself went too, because that was its last version.</param>
/// <param name="ReferencingModels">Model versions trained on it, removed anyway because of <c>force</c>.</param>
/// <param name="BlobsDeleted">Images deleted from the blob store because no remaining sample refers to them.</param>
/// <param name="BlobsKept">Images of the version kept because another version still refers to them.</param>
/// <param name="BytesReclaimed">Disk space the blob store gave back by compacting after the deletions.</param>
public sealed record DatasetRemoval(
    string Dataset,
    int SampleCount,
    bool DatasetRemoved,
    IReadOnlyList<string> ReferencingModels,
    int BlobsDeleted,
    int BlobsKept,
    long BytesReclaimed)
{
    /// <summary>
    /// Removes the dataset version <paramref name="reference"/> names: refuses when a registered model version was
    /// trained on it unless <paramref name="force"/>, removes its metadata in one transaction, and only after that
    /// commit deletes the blobs of its samples that no remaining sample refers to.
    /// </summary>
    /// <remarks>
    /// Only the removed version's own blobs are candidates, never every unreferenced blob. The whole removal holds the
    /// home lock exclusively: an import (shared) that finds an image already stored commits a sample pointing at it, and
    /// were a removal to delete that blob between the import's check and its commit, the sample would point at nothing.
    /// </remarks>
    /// <param name="stores">The stores of the home folder.</param>
    /// <param name="reference">A dataset version with its number (<c>name@3</c>).</param>
    /// <param name="force">Remove it even when model versions were trained on it.</param>
    /// <param name="cancellationToken">Cancels before the metadata commit; once committed, the blob clean-up runs to the end.</param>
    /// <exception cref="InvalidInputException">The reference names no version number.</exception>
    /// <exception cref="NotFoundException">No such dataset or version.</exception>
    /// <exception cref="ConflictException">
    /// Model versions were trained on it and <paramref name="force"/> is false, or another process holds the home (busy).
    /// </exception>
    public static async Task<DatasetRemoval> RemoveAsync(MaasStores stores, VersionedName reference, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Version is null)
        {
            throw new InvalidInputException($"dataset '{reference}': name the version to remove (e.g. {reference.Name}@1).");
        }

        using var homeLock = await HomeLock.AcquireExclusiveAsync(stores.Home, $"removing dataset {reference}", cancellationToken);
        var version = await stores.Datasets.GetVersionAsync(reference, cancellationToken);
        var models = (await stores.Models.ListVersionsAsync(cancellationToken))
            .Where(m => string.Equals(m.Dataset, version.Reference, StringComparison.Ordinal))
            .Select(m => m.Reference)
            .ToArray();
        if (models.Length > 0 && !force)
        {
            throw new ConflictException($"dataset {version.Reference} is the training data of model version(s) {string.Join(", ", models)}; " +
                "pass --force to remove it anyway.");
        }

        var samples = await stores.Datasets.GetSamplesAsync(version.Name, version.Version, cancellationToken);
        var blobs = samples.Select(s => s.BlobHash).Distinct(StringComparer.Ordinal).ToArray();
        var datasetRemoved = await stores.Datasets.RemoveVersionAsync(version.Name, version.Version, cancellationToken);

        // Committed: from here on, a cancelled clean-up would only leave unreferenced blobs behind, so it is not cancelled.
        var stillReferenced = await stores.Datasets.FindReferencedBlobsAsync(blobs, CancellationToken.None);
        var deleted = 0;
        foreach (var hash in blobs.Where(h => !stillReferenced.Contains(h)))
        {
            deleted += await stores.Blobs.DeleteAsync(hash, CancellationToken.None) ? 1 : 0;
        }

        var reclaimed = await stores.Blobs.CompactAsync(CancellationToken.None);
        return new DatasetRemoval(version.Reference, samples.Count, datasetRemoved, models, deleted, stillReferenced.Count, reclaimed);
    }
}
