using Maas.Datasets;
using Maas.Storage;

namespace Maas.Workflows.Datasets;

/// <summary>Imports images into a new immutable dataset version.</summary>
/// <param name="stores">The stores the version and its images are written to.</param>
public sealed class ImportDataset(MaasStores stores)
{
    /// <summary>Reads, validates, deduplicates and splits <see cref="ImportDatasetRequest.Source"/>, then commits it as one version.</summary>
    /// <param name="request">The source, name and options.</param>
    /// <param name="progress">Receives each stage's progress, if given.</param>
    /// <param name="cancellationToken">Cancels the import; nothing half-written is kept.</param>
    /// <returns>The committed version, its counts, and the files rejected and why.</returns>
    /// <exception cref="Maas.Core.Errors.InvalidInputException">The source or the options are not usable.</exception>
    public Task<ImportResult> RunAsync(ImportDatasetRequest request, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new DatasetImporter(stores).ImportAsync(request.Source, request.Name, request.Options, progress, cancellationToken);
    }
}
