using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Core.Runs;
using Maas.Storage;
using Maas.Storage.Blobs;
using Maas.Storage.Locking;
using Maas.Storage.Sqlite;
using Maas.Training;
using Maas.Workflows.Models;

namespace Maas.Workflows.Maintenance;

/// <summary>
/// <c>maas doctor</c>: checks a home end to end and names every damaged object: SQLite's integrity check of the
/// metadata, every stored image against its SHA-256 and every pack's structure, every sample's image present, and the
/// files of completed runs and model versions (present, non-empty, and structurally whole). Holds the home lock shared,
/// so no removal deletes what it reads; changes nothing.
/// </summary>
/// <param name="stores">The home's stores.</param>
public sealed class HomeCheck(MaasStores stores)
{
    private static readonly string[] s_modelFiles = [ModelVersion.OnnxFileName, ModelVersion.PipelineFileName, ModelVersion.LabelsFileName];
    private static readonly string[] s_completedRunFiles = [.. s_modelFiles, "evaluation.json"];

    /// <summary>Checks the home.</summary>
    /// <exception cref="ConflictException">Another process holds the home exclusively (busy).</exception>
    public async Task<HomeCheckResult> RunAsync(IProgress<MaintenanceProgress>? progress, CancellationToken cancellationToken)
    {
        using var homeLock = await HomeLock.AcquireSharedAsync(stores.Home, "checking the home (doctor)", cancellationToken);
        var damaged = new List<HomeDamage>();

        progress?.Report(new MaintenanceProgress("checking the database", 0, 1));
        damaged.AddRange(SqliteIntegrity.Check(stores.Home.DatabasePath).Select(p => new HomeDamage("database maas.db", p)));
        progress?.Report(new MaintenanceProgress("checking the database", 1, 1));

        var maintenance = stores.Blobs as IBlobMaintenance
            ?? throw new InvalidOperationException($"the blob store {stores.Blobs.GetType().Name} cannot be checked.");
        var stored = maintenance.ListHashes().ToHashSet(StringComparer.Ordinal);
        progress?.Report(new MaintenanceProgress("checking blobs", 0, stored.Count));
        damaged.AddRange(maintenance.Verify(cancellationToken).Select(d => new HomeDamage(d.Object, d.Problem)));
        progress?.Report(new MaintenanceProgress("checking blobs", stored.Count, stored.Count));

        var samples = 0;
        foreach (var version in await stores.Datasets.ListVersionsAsync(cancellationToken))
        {
            foreach (var sample in await stores.Datasets.GetSamplesAsync(version.Name, version.Version, cancellationToken))
            {
                samples++;
                if (!stored.Contains(sample.BlobHash))
                {
                    damaged.Add(new HomeDamage($"sample {version.Reference}/{sample.SampleId}", $"its image (blob {sample.BlobHash}) is missing from the blob store."));
                }
            }
        }

        var files = 0;
        var runs = (await stores.Runs.ListAsync(cancellationToken)).Where(r => r.Status == RunStatus.Completed).ToList();
        var versions = await stores.Models.ListVersionsAsync(cancellationToken);
        progress?.Report(new MaintenanceProgress("checking artifacts", 0, runs.Count + versions.Count));
        foreach (var run in runs)
        {
            files += CheckFolder(run.ArtifactDir, s_completedRunFiles, damaged);
            var folder = Path.Combine(stores.Home.ArtifactsPath, run.ArtifactDir);
            if (File.Exists(Path.Combine(folder, TrainingCheckpoint.FileName)))
            {
                files++;
                try
                {
                    TrainingCheckpoint.TryReadSummary(folder);
                }
                catch (InvalidInputException e)
                {
                    damaged.Add(new HomeDamage($"artifact {Relative(run.ArtifactDir, TrainingCheckpoint.FileName)}", e.Message));
                }
            }
        }

        foreach (var version in versions)
        {
            files += CheckFolder(version.ArtifactDir, s_modelFiles, damaged);
        }

        progress?.Report(new MaintenanceProgress("checking artifacts", runs.Count + versions.Count, runs.Count + versions.Count));

        var reclaimable = maintenance.OrphanContainers().Select(c => new HomeDamage(c, "no indexed image lies in it; maas gc removes it.")).ToList();
        reclaimable.AddRange(OrphanArtifacts.Find(stores.Home, await stores.Runs.ListAsync(cancellationToken), versions)
            .Select(f => new HomeDamage($"artifact folder {f}", "no run or model version points at it; maas gc removes it.")));
        foreach (var staging in new[] { stores.Home.StagingPath, stores.Home.ImportStagingPath })
        {
            if (new StagingArea(staging).RemoveAbandoned(dryRun: true) is { Pieces: > 0 } abandoned)
            {
                reclaimable.Add(new HomeDamage($"staging {staging}", $"{abandoned.Pieces} piece(s) killed writers left; maas gc removes them."));
            }
        }

        return new HomeCheckResult(stored.Count, samples, files, damaged, reclaimable);
    }

    private int CheckFolder(string artifactDir, IReadOnlyList<string> required, List<HomeDamage> damaged)
    {
        var before = damaged.Count;
        foreach (var file in required)
        {
            if (ArtifactFileCheck.Problem(Path.Combine(stores.Home.ArtifactsPath, artifactDir, file)) is { } problem)
            {
                damaged.Add(new HomeDamage($"artifact {Relative(artifactDir, file)}", problem));
            }
        }

        // A bundle's manifest records every file's size and SHA-256: that also catches a flipped byte the structural
        // checks above cannot see. Folders from before the manifest keep the structural checks alone.
        var folder = Path.Combine(stores.Home.ArtifactsPath, artifactDir);
        if (damaged.Count == before && File.Exists(Path.Combine(folder, ModelBundle.ManifestFileName)))
        {
            try
            {
                ModelBundle.Open(folder).Verify();
            }
            catch (MaasException e)
            {
                damaged.Add(new HomeDamage($"artifact {artifactDir.Replace('\\', '/')}", e.Message));
            }
        }

        return required.Count;
    }

    private static string Relative(string artifactDir, string file) => Path.Combine(artifactDir, file).Replace('\\', '/');
}
