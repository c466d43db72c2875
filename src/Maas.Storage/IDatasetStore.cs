using Maas.Core;
using Maas.Core.Datasets;

namespace Maas.Storage;

/// <summary>Dataset versions and their manifests.</summary>
public interface IDatasetStore
{
    /// <summary>
    /// Commits a new version of <paramref name="name"/> (creating the dataset when new) in one transaction: either
    /// the whole version becomes visible or none of it does.
    /// </summary>
    Task<DatasetVersion> CommitVersionAsync(string name, IReadOnlyList<string> classes, IReadOnlyList<Sample> samples,
        string source, CancellationToken cancellationToken);

    /// <summary>The version <paramref name="reference"/> names, or the latest when it names none.</summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such dataset or version.</exception>
    Task<DatasetVersion> GetVersionAsync(VersionedName reference, CancellationToken cancellationToken);

    /// <summary>The manifest of a version, in import order.</summary>
    Task<IReadOnlyList<Sample>> GetSamplesAsync(string name, int version, CancellationToken cancellationToken);

    /// <summary>Every version of every dataset.</summary>
    Task<IReadOnlyList<DatasetVersion>> ListVersionsAsync(CancellationToken cancellationToken);
}
