using Maas.Storage;

namespace Maas.Workflows.Datasets;

/// <summary>Removes a dataset version and the images only it referred to.</summary>
/// <param name="stores">The stores the version and its images are removed from.</param>
public sealed class RemoveDataset(MaasStores stores)
{
    /// <summary>Removes <see cref="RemoveDatasetRequest.Dataset"/>; refused while model versions were trained on it, unless forced.</summary>
    /// <param name="request">The version (its number is required) and whether to force.</param>
    /// <param name="cancellationToken">Cancels before the removal commits.</param>
    /// <returns>What was removed, kept and freed, and the model versions that were trained on it.</returns>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such version.</exception>
    /// <exception cref="Maas.Core.Errors.ConflictException">Model versions were trained on it and <see cref="RemoveDatasetRequest.Force"/> is false.</exception>
    public Task<DatasetRemoval> RunAsync(RemoveDatasetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DatasetRemoval.RemoveAsync(stores, request.Dataset, request.Force, cancellationToken);
    }
}
