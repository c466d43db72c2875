using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Runs;
using Maas.Datasets;
using Maas.Storage;
using Maas.Storage.Blobs;
using Maas.Testing;
using Maas.Training;
using Maas.Workflows.Maintenance;
using Maas.Workflows.Training;

namespace Maas.Workflows.Tests;

/// <summary>gc and doctor on a real home: an imported dataset, a trained and registered model, and planted damage.</summary>
[Collection(TorchCollection.Name)]
public sealed class HomeMaintenanceTests : IDisposable
{
    private static readonly TrainingOptions s_options = new() { Architecture = "tiny-cnn", Epochs = 1, BatchSize = 64, Threads = 1, Seed = 5 };
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Doctor_NamesAFlippedImageByte_ATruncatedModel_AndAnOrphanPack_AndGcRemovesOnlyThePack_AfterADryRunThatRemovesNothing()
    {
        var home = new MaasHome(_temp.Combine("home"));
        string flipped;
        string orphan;
        string modelFile;
        string runId;
        using (var stores = MaasStores.Open(home))
        {
            var dataset = await ImportAsync(stores);
            var trained = await new TrainingJob(stores).RunAsync(new TrainingRequest(dataset, s_options, "fashion-cnn"), null, CancellationToken.None);
            runId = trained.Run.Id;
            Assert.True((await new HomeCheck(stores).RunAsync(null, CancellationToken.None)).Healthy);

            var samples = await stores.Datasets.GetSamplesAsync("fashion", 1, CancellationToken.None);
            flipped = samples[17].BlobHash;
            var image = stores.Blobs.Get(flipped);
            stores.Dispose();
            FlipByteInside(Directory.GetFiles(Path.Combine(home.BlobsPath, "packs"), "*.pack"), image);
            modelFile = Path.Combine(home.ArtifactsPath, "models", "fashion-cnn", "1", "model.onnx");
            using (var stream = new FileStream(modelFile, FileMode.Open, FileAccess.Write))
            {
                stream.SetLength(stream.Length / 2);
            }

            // A flipped weight byte leaves a structurally valid ONNX file: only the bundle's recorded SHA-256 sees it.
            var runModel = Path.Combine(home.ArtifactsPath, "runs", runId, "model.onnx");
            var bytes = File.ReadAllBytes(runModel);
            bytes[bytes.Length / 2] ^= 0x01;
            File.WriteAllBytes(runModel, bytes);

            orphan = PlantOrphanPack(home);
        }

        var ghostRun = Path.Combine(home.ArtifactsPath, "runs", "run_ghost");
        Directory.CreateDirectory(ghostRun);
        File.WriteAllBytes(Path.Combine(ghostRun, "model.onnx"), new byte[4096]);

        using (var stores = MaasStores.Open(home))
        {
            var check = await new HomeCheck(stores).RunAsync(null, CancellationToken.None);

            Assert.False(check.Healthy);
            Assert.Equal(3, check.Damaged.Count);
            Assert.Contains(check.Damaged, d => d.Object == $"blob {flipped}");
            Assert.Contains(check.Damaged, d => d.Object == $"artifact runs/{runId}" && d.Problem.Contains("model.onnx", StringComparison.Ordinal));
            Assert.Contains(check.Damaged, d => d.Object == "artifact models/fashion-cnn/1/model.onnx" && d.Problem.Contains("truncated", StringComparison.Ordinal));
            Assert.Contains(check.Reclaimable, d => d.Object == $"pack {Path.GetFileName(orphan)}");
            Assert.Contains(check.Reclaimable, d => d.Object == "artifact folder runs/run_ghost");

            var dry = await new GarbageCollection(stores).RunAsync(new GarbageCollectionRequest(Checkpoints: true, DryRun: true), null, CancellationToken.None);

            Assert.Equal(1, dry.PacksRemoved);
            Assert.Equal(0, dry.BlobsDeleted);
            Assert.Equal(["runs/run_ghost"], dry.OrphanArtifacts);
            Assert.Equal([runId], dry.Checkpoints);
            Assert.True(dry.TotalBytes >= new FileInfo(orphan).Length + 4096);
            Assert.True(File.Exists(orphan));
            Assert.True(Directory.Exists(ghostRun));
            Assert.True(File.Exists(Path.Combine(home.ArtifactsPath, "runs", runId, TrainingCheckpoint.FileName)));

            var collected = await new GarbageCollection(stores).RunAsync(new GarbageCollectionRequest(Checkpoints: true), null, CancellationToken.None);

            Assert.Equal(dry with { DryRun = false }, collected with { OrphanArtifacts = dry.OrphanArtifacts, Checkpoints = dry.Checkpoints });
            Assert.False(File.Exists(orphan));
            Assert.False(Directory.Exists(ghostRun));
            Assert.False(File.Exists(Path.Combine(home.ArtifactsPath, "runs", runId, TrainingCheckpoint.FileName)));
            // gc reclaims; it repairs nothing: the damage is still there and still named.
            var after = await new HomeCheck(stores).RunAsync(null, CancellationToken.None);
            Assert.Equal(check.Damaged.Select(d => d.Object).Order(), after.Damaged.Select(d => d.Object).Order());
            Assert.Empty(after.Reclaimable);
        }
    }

    [Fact]
    public async Task Gc_DeletesImagesOnlyARemovedVersionUsed_AndAbandonedStaging()
    {
        var home = new MaasHome(_temp.Combine("home"));
        using var stores = MaasStores.Open(home);
        await ImportAsync(stores);
        var staged = Path.Combine(home.StagingPath, "model-0badc0de");
        Directory.CreateDirectory(staged);
        File.WriteAllBytes(Path.Combine(staged, "model.onnx"), new byte[1000]);
        File.WriteAllBytes(staged + ".lock", []);
        // A dataset whose samples are gone from the metadata only (as after a crash between a removal's commit and its clean-up).
        var stored = ((IBlobMaintenance)stores.Blobs).ListHashes().Count;
        await stores.Datasets.RemoveVersionAsync("fashion", 1, CancellationToken.None);

        var collected = await new GarbageCollection(stores).RunAsync(new GarbageCollectionRequest(), null, CancellationToken.None);

        Assert.Equal(stored, collected.BlobsDeleted);
        Assert.Equal(1, collected.StagingPieces);
        Assert.False(Directory.Exists(staged));
        Assert.Empty(((IBlobMaintenance)stores.Blobs).ListHashes());
        Assert.True((await new HomeCheck(stores).RunAsync(null, CancellationToken.None)).Healthy);
    }

    [Fact]
    public async Task ARunWhoseProcessDied_IsInterrupted_AndResumesToItsFullEpochCount()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        var dataset = await ImportAsync(stores);
        var options = s_options with { Epochs = 3 };
        var paused = await new TrainingJob(stores).RunAsync(new TrainingRequest(dataset, options) { StopAfterEpoch = 1, Pause = true }, null,
            CancellationToken.None);
        // What a kill after the first checkpoint leaves: the row says running, and no process holds the run's lock.
        await stores.Runs.ReopenAsync(paused.Run.Id, CancellationToken.None);

        Assert.Equal(RunStatus.Interrupted, Assert.Single(await stores.Runs.ListAsync(CancellationToken.None)).Status);

        var resumed = await new TrainingJob(stores).ResumeAsync(paused.Run.Id, null, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, resumed.Run.Status);
        Assert.Equal([1, 2, 3], (await stores.Runs.GetEpochsAsync(paused.Run.Id, CancellationToken.None)).Select(e => e.Epoch));
    }

    [Fact]
    public async Task ImportAndRemove_StartedTogether_BothCompleteOrOneIsBusy_AndEveryCommittedSampleReadsBack()
    {
        var home = new MaasHome(_temp.Combine("home"));
        using (var stores = MaasStores.Open(home))
        {
            await ImportAsync(stores);
        }

        // Two processes' worth of stores over one home: the second import finds every image already stored, which is
        // exactly what a removal of the first version would delete under it without the home lock.
        using var importing = MaasStores.Open(home);
        using var removing = MaasStores.Open(home);
        var import = Task.Run(() => new DatasetImporter(importing).ImportAsync(_temp.Combine("idx"), "copy",
            new ImportOptions(Testing.FashionMnist.ClassNames), null, CancellationToken.None));
        var remove = Task.Run(() => DatasetRemoval.RemoveAsync(removing, VersionedName.Parse("fashion@1"), force: false, CancellationToken.None));
        var outcomes = await Task.WhenAll(Settle(import), Settle(remove));

        foreach (var error in outcomes.OfType<ConflictException>())
        {
            Assert.StartsWith("busy:", error.Message, StringComparison.Ordinal);
            Assert.Contains($"(PID {Environment.ProcessId}, ", error.Message, StringComparison.Ordinal);
        }

        Assert.True(outcomes.Count(o => o is not null) <= 1, string.Join("; ", outcomes.Select(o => o?.Message)));
        using var after = MaasStores.Open(home);
        var versions = await after.Datasets.ListVersionsAsync(CancellationToken.None);
        Assert.NotEmpty(versions);
        foreach (var version in versions)
        {
            foreach (var sample in await after.Datasets.GetSamplesAsync(version.Name, version.Version, CancellationToken.None))
            {
                Assert.Equal(sample.BlobHash, ContentHash.Of(after.Blobs.Get(sample.BlobHash)));
            }
        }
    }

    private static async Task<Exception?> Settle(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (ConflictException e)
        {
            return e;
        }
    }

    private async Task<VersionedName> ImportAsync(MaasStores stores)
    {
        Testing.FashionMnist.WriteSubset(_temp.Combine("idx"), 256, 64, gzip: true);
        var import = await new DatasetImporter(stores).ImportAsync(_temp.Combine("idx"), "fashion", new ImportOptions(Testing.FashionMnist.ClassNames), null,
            CancellationToken.None);
        return VersionedName.Parse(import.Version.Reference);
    }

    /// <summary>A pack another store wrote, copied in: records that no index row points at.</summary>
    private string PlantOrphanPack(MaasHome home)
    {
        var elsewhere = _temp.Combine("elsewhere");
        using (var other = new PackedBlobStore(elsewhere))
        {
            other.PutAsync(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, CancellationToken.None).GetAwaiter().GetResult();
        }

        var target = Path.Combine(home.BlobsPath, "packs", "20200101000000-orphan.pack");
        File.Copy(Assert.Single(Directory.GetFiles(Path.Combine(elsewhere, "packs"), "*.pack")), target);
        return target;
    }

    private static void FlipByteInside(string[] packs, byte[] content)
    {
        foreach (var pack in packs)
        {
            var bytes = File.ReadAllBytes(pack);
            var at = bytes.AsSpan().IndexOf(content);
            if (at > 0)
            {
                bytes[at + (content.Length / 2)] ^= 0x55;
                File.WriteAllBytes(pack, bytes);
                return;
            }
        }

        Assert.Fail("the image's bytes are in no pack.");
    }

    public void Dispose() => _temp.Dispose();
}
