namespace Maas.Workflows.Maintenance;

/// <summary>What <c>maas gc</c> is asked to reclaim.</summary>
/// <param name="Checkpoints">Also delete the checkpoints of completed runs (they are needed only to resume a run).</param>
/// <param name="DryRun">Change nothing; report what would be freed.</param>
public sealed record GarbageCollectionRequest(bool Checkpoints = false, bool DryRun = false);
