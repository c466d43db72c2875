namespace Maas.Workflows.Maintenance;

/// <summary>What <c>maas gc</c> freed (or, as a dry run, would free).</summary>
/// <param name="DryRun">Whether nothing was changed.</param>
/// <param name="BlobsDeleted">Stored images no dataset version refers to.</param>
/// <param name="PacksRemoved">Pack files deleted (dead ones, and mostly dead ones compacted into a new pack).</param>
/// <param name="BlobBytes">Disk space the blob store gives back.</param>
/// <param name="OrphanArtifacts">Artifact folders (relative to <c>artifacts/</c>) that no run or model version points at.</param>
/// <param name="OrphanArtifactBytes">Their size.</param>
/// <param name="StagingPieces">Staging folders and files that killed imports or registrations left.</param>
/// <param name="StagingBytes">Their size.</param>
/// <param name="Checkpoints">Runs whose checkpoints were deleted (only with <see cref="GarbageCollectionRequest.Checkpoints"/>).</param>
/// <param name="CheckpointBytes">Their size.</param>
public sealed record GarbageCollectionResult(
    bool DryRun,
    int BlobsDeleted,
    int PacksRemoved,
    long BlobBytes,
    IReadOnlyList<string> OrphanArtifacts,
    long OrphanArtifactBytes,
    int StagingPieces,
    long StagingBytes,
    IReadOnlyList<string> Checkpoints,
    long CheckpointBytes)
{
    /// <summary>All the space freed (or that would be).</summary>
    public long TotalBytes => BlobBytes + OrphanArtifactBytes + StagingBytes + CheckpointBytes;
}
