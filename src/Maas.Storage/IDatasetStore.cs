using Maas.Core;
using Maas.Core.Datasets;

namespace Maas.Storage;

/// <summary>Dataset versions and their manifests.</summary>
public interface IDatasetStore
{
    /// <summary>
    /// Commits a new version of <paramref name="name"/> (creating the dataset when new) in one transaction: either
    /// the whole version becomes visible or none of it does. <paramref name="samples"/> is read once, in order, and
    /// need not fit in memory.
    /// </summary>
    Task<DatasetVersion> CommitVersionAsync(string name, IReadOnlyList<string> classes, IEnumerable<Sample> samples,
        string source, CancellationToken cancellationToken);

    /// <summary>The version <paramref name="reference"/> names, or the latest when it names none.</summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such dataset or version.</exception>
    Task<DatasetVersion> GetVersionAsync(VersionedName reference, CancellationToken cancellationToken);

    /// <summary>The manifest of a version, in import order.</summary>
    Task<IReadOnlyList<Sample>> GetSamplesAsync(string name, int version, CancellationToken cancellationToken);

    /// <summary>Every version of every dataset.</summary>
    Task<IReadOnlyList<DatasetVersion>> ListVersionsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Removes version <paramref name="version"/> of <paramref name="name"/> and its manifest in one transaction,
    /// and the dataset itself when that was its last version. Version numbers are not reused while the dataset
    /// exists: the next commit after removing <c>name@3</c> is still <c>name@4</c>. Blobs are left to the caller
    /// (see <see cref="FindReferencedBlobsAsync"/>).
    /// </summary>
    /// <returns>True when the dataset itself was removed, because no version of it remains.</returns>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such dataset or version.</exception>
    Task<bool> RemoveVersionAsync(string name, int version, CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="blobHashes"/> that a sample of any stored version still refers to.</summary>
    Task<IReadOnlySet<string>> FindReferencedBlobsAsync(IReadOnlyCollection<string> blobHashes, CancellationToken cancellationToken);
}
