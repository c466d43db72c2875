using Maas.Core;
using Maas.Core.Datasets;
using Maas.Storage;

namespace Maas.Workflows.Datasets;

/// <summary>Compares two dataset versions sample by sample (matched by sample id, classes by name).</summary>
/// <param name="stores">The stores the versions are read from.</param>
public sealed class DiffDatasets(MaasStores stores)
{
    /// <summary>Resolves both references and lists the samples added, removed, relabelled, changed and moved.</summary>
    /// <param name="from">The older version.</param>
    /// <param name="to">The newer version.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The differences.</returns>
    /// <exception cref="Maas.Core.Errors.NotFoundException">Either version does not exist.</exception>
    public async Task<DatasetDiff> RunAsync(VersionedName from, VersionedName to, CancellationToken cancellationToken)
    {
        var datasets = stores.Datasets;
        var a = await datasets.GetVersionAsync(from, cancellationToken);
        var b = await datasets.GetVersionAsync(to, cancellationToken);
        return DatasetDiff.Compute(a, await datasets.GetSamplesAsync(a.Name, a.Version, cancellationToken),
            b, await datasets.GetSamplesAsync(b.Name, b.Version, cancellationToken));
    }
}
