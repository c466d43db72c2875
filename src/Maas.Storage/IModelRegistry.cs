using Maas.Core;
using Maas.Core.Models;

namespace Maas.Storage;

/// <summary>Registered models, their immutable versions and movable aliases.</summary>
public interface IModelRegistry
{
    /// <summary>
    /// Registers the files in <paramref name="stagedDirectory"/> (<c>model.onnx</c>, <c>pipeline.json</c>,
    /// <c>labels.json</c>) as the next version of <paramref name="model"/>. The folder is moved into the artifact
    /// store and the version row committed together; on failure neither is kept.
    /// </summary>
    Task<ModelVersion> RegisterAsync(string model, string stagedDirectory, string? runId, string? dataset,
        IReadOnlyList<string> labels, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken);

    /// <summary>
    /// Registers the files in <see cref="ModelRegistration.StagedDirectory"/> (<c>model.onnx</c>, <c>pipeline.json</c>,
    /// <c>labels.json</c> and any others) as the next version of <see cref="ModelRegistration.Model"/> and points its
    /// <see cref="ModelRegistration.Aliases"/> at it. Every file and folder is synced to disk, then the folder is
    /// moved into the artifact store, synced there, and the version row and alias moves are committed in one
    /// transaction: after a crash or an error at any point there is either no version (and no alias move) or a
    /// complete one.
    /// </summary>
    /// <exception cref="Maas.Core.Errors.InvalidInputException">A required file is missing, or a name or alias is malformed.</exception>
    Task<ModelVersion> RegisterAsync(ModelRegistration registration, CancellationToken cancellationToken);

    /// <summary>
    /// The version <paramref name="reference"/> names: a number, an alias, or with neither the <c>production</c>
    /// alias when set, else the latest version.
    /// </summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such model, version or alias.</exception>
    Task<ModelVersion> ResolveAsync(VersionedName reference, CancellationToken cancellationToken);

    /// <summary>Points <paramref name="alias"/> of <paramref name="model"/> at <paramref name="version"/>, recording the move as made by <see cref="AliasMove.Cli"/>.</summary>
    Task<ModelAlias> SetAliasAsync(string model, string alias, int version, string reason, CancellationToken cancellationToken) =>
        SetAliasAsync(model, alias, version, reason, AliasMove.Cli, cancellationToken);

    /// <summary>
    /// Points <paramref name="alias"/> of <paramref name="model"/> at <paramref name="version"/>, recording the move
    /// (from, to, when, <paramref name="movedBy"/>, <paramref name="reason"/>) in the same transaction.
    /// </summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such version.</exception>
    Task<ModelAlias> SetAliasAsync(string model, string alias, int version, string reason, string movedBy, CancellationToken cancellationToken);

    /// <summary>Every recorded move of <paramref name="model"/>'s aliases, oldest first.</summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such model.</exception>
    Task<IReadOnlyList<AliasMove>> GetAliasHistoryAsync(string model, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a version: its row first, then (once that is committed) its artifact folder. Its number is never
    /// given to another version.
    /// </summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such version.</exception>
    /// <exception cref="Maas.Core.Errors.ConflictException">An alias points at it; the message names the alias.</exception>
    Task<ModelVersion> RemoveVersionAsync(string model, int version, CancellationToken cancellationToken);

    /// <summary>All versions of all models.</summary>
    Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(CancellationToken cancellationToken);

    /// <summary>All aliases of all models.</summary>
    Task<IReadOnlyList<ModelAlias>> ListAliasesAsync(CancellationToken cancellationToken);

    /// <summary>The absolute folder of a version's artifacts.</summary>
    string ArtifactPath(ModelVersion version);
}
