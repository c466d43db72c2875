using Maas.Core.Runs;
using Maas.Storage;
using Maas.Storage.Blobs;
using Maas.Storage.Locking;
using Maas.Training;

namespace Maas.Workflows.Maintenance;

/// <summary>
/// <c>maas gc</c>: under the exclusive home lock, so nothing reads or adds meanwhile, deletes stored images no dataset
/// version refers to (and the packs that leaves dead or mostly dead), artifact folders no run or model version points
/// at, staging that killed imports and registrations left, and optionally the checkpoints of completed runs.
/// </summary>
/// <param name="stores">The home's stores.</param>
public sealed class GarbageCollection(MaasStores stores)
{
    /// <summary>Collects (or, as a dry run, measures) the garbage.</summary>
    /// <exception cref="Maas.Core.Errors.ConflictException">Another process holds the home (busy).</exception>
    public async Task<GarbageCollectionResult> RunAsync(GarbageCollectionRequest request, IProgress<MaintenanceProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A dry run deletes nothing, so it only needs what readers need and works while a server runs; the figures
        // are a snapshot. Collecting deletes, so it waits until nobody else reads or writes.
        using var homeLock = request.DryRun
            ? await HomeLock.AcquireSharedAsync(stores.Home, "measuring garbage (gc --dry-run)", cancellationToken)
            : await HomeLock.AcquireExclusiveAsync(stores.Home, "collecting garbage", cancellationToken);
        var dryRun = request.DryRun;

        progress?.Report(new MaintenanceProgress("sweeping blobs", 0, 1));
        var maintenance = stores.Blobs as IBlobMaintenance
            ?? throw new InvalidOperationException($"the blob store {stores.Blobs.GetType().Name} cannot be swept.");
        var keep = await stores.Datasets.FindReferencedBlobsAsync(maintenance.ListHashes(), cancellationToken);
        var blobs = await maintenance.SweepAsync(keep, dryRun, cancellationToken);
        progress?.Report(new MaintenanceProgress("sweeping blobs", 1, 1));

        var runs = await stores.Runs.ListAsync(cancellationToken);
        var versions = await stores.Models.ListVersionsAsync(cancellationToken);
        var orphans = OrphanArtifacts.Find(stores.Home, runs, versions);
        long orphanBytes = 0;
        foreach (var orphan in orphans)
        {
            var path = Path.Combine(stores.Home.ArtifactsPath, orphan);
            orphanBytes += SizeOf(path);
            if (!dryRun)
            {
                Directory.Delete(path, recursive: true);
            }
        }

        var staging = new StagingArea(stores.Home.StagingPath).RemoveAbandoned(dryRun);
        var imports = new StagingArea(stores.Home.ImportStagingPath).RemoveAbandoned(dryRun);

        var checkpoints = new List<string>();
        long checkpointBytes = 0;
        if (request.Checkpoints)
        {
            foreach (var run in runs.Where(r => r.Status == RunStatus.Completed))
            {
                var files = new[] { TrainingCheckpoint.FileName, TrainingCheckpoint.FileName + ".tmp" }
                    .Select(f => Path.Combine(stores.Home.ArtifactsPath, run.ArtifactDir, f)).Where(File.Exists).ToList();
                if (files.Count == 0)
                {
                    continue;
                }

                checkpoints.Add(run.Id);
                checkpointBytes += files.Sum(f => new FileInfo(f).Length);
                if (!dryRun)
                {
                    files.ForEach(File.Delete);
                }
            }
        }

        return new GarbageCollectionResult(dryRun, blobs.BlobsDeleted, blobs.PacksRemoved, blobs.BytesFreed, orphans, orphanBytes,
            staging.Pieces + imports.Pieces, staging.Bytes + imports.Bytes, checkpoints, checkpointBytes);
    }

    private static long SizeOf(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
