using Maas.Core;
using Maas.Core.Datasets;
using Maas.Storage;

namespace Maas.Workflows.Datasets;

/// <summary>Summarizes one dataset version: counts per split and class, image sizes, channels and formats.</summary>
/// <param name="stores">The stores the version is read from.</param>
public sealed class ShowDataset(MaasStores stores)
{
    /// <summary>Resolves <paramref name="dataset"/> and summarizes its samples.</summary>
    /// <param name="dataset">NAME@VERSION, or NAME for the latest version.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The version and its summary.</returns>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such version.</exception>
    public async Task<DatasetSummary> RunAsync(VersionedName dataset, CancellationToken cancellationToken)
    {
        var version = await stores.Datasets.GetVersionAsync(dataset, cancellationToken);
        var samples = await stores.Datasets.GetSamplesAsync(version.Name, version.Version, cancellationToken);
        return new DatasetSummary(version, SplitCounts.Of(version.Classes, samples), ImageStatistics.Of(samples));
    }
}
