namespace Maas.Storage.Blobs;

/// <summary>
/// What <c>maas gc</c> and <c>maas doctor</c> need of a blob store beyond reading and writing: every stored hash, a
/// sweep of the unreferenced ones, and a check of every stored byte. Callers hold the home lock (exclusive for a sweep).
/// </summary>
public interface IBlobMaintenance
{
    /// <summary>The hash of every stored blob.</summary>
    IReadOnlyList<string> ListHashes();

    /// <summary>
    /// Deletes every blob not in <paramref name="keep"/> and gives back the space (deleting packs with no live blob,
    /// compacting mostly dead ones); with <paramref name="dryRun"/>, changes nothing and says what it would free.
    /// </summary>
    Task<BlobSweep> SweepAsync(IReadOnlySet<string> keep, bool dryRun, CancellationToken cancellationToken);

    /// <summary>
    /// Containers that hold no live blob and that no writer is filling (a pack a crashed writer left before its first
    /// commit, or one copied in by hand): not damage, but space a sweep gives back.
    /// </summary>
    IReadOnlyList<string> OrphanContainers();

    /// <summary>Reads every stored blob back and checks it against its SHA-256, and every container's structure.</summary>
    IReadOnlyList<BlobDamage> Verify(CancellationToken cancellationToken);
}
