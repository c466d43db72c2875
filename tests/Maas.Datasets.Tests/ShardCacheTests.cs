using Maas.Core.Datasets;
using Maas.Core.Pipelines;
using Maas.Datasets.Preprocessing;
using Maas.Imaging;
using Maas.Testing;

namespace Maas.Datasets.Tests;

/// <summary>The shard cache: what it stores, when it is reused, when it is rebuilt, and that a cancelled build leaves nothing.</summary>
public sealed class ShardCacheTests : ImportTestBase
{
    private static readonly PipelineSpec s_augmenting = PipelineSpec.FromJson("""
        {"ops": [{"op": "decode", "color": "gray"}, {"op": "resize", "width": 20, "height": 20},
                 {"op": "horizontal_flip", "p": 0.5}, {"op": "normalize", "mean": [0.5], "std": [0.5]}]}
        """);

    private ShardCache Cache => new(Stores.Home.PreprocessedCachePath);

    [Fact]
    public async Task Build_StoresThePrefixOutputOfEverySample_InManifestOrder()
    {
        var (version, samples) = await ImportAsync("fashion");
        var executor = new PipelineExecutor(s_augmenting);

        using var shards = await Cache.OpenOrBuildAsync(version, samples, executor, Stores.Blobs, rebuild: false, null, CancellationToken.None);

        Assert.False(shards.Reused);
        Assert.Equal(samples.Count, shards.Count);
        foreach (var i in new[] { 0, 1, samples.Count / 2, samples.Count - 1 })
        {
            var expected = executor.RunPrefix(Stores.Blobs.Get(samples[i].BlobHash), samples[i].SampleId);
            Assert.Equal((20, 20, 1), shards.SizeOf(i));
            var actual = new byte[20 * 20];
            shards.Read(i, actual);
            Assert.Equal(expected.Pixels, actual);
        }
    }

    [Fact]
    public async Task SameVersionAndPrefix_IsReused_AndAChangeOfEitherBuildsAnother()
    {
        var (version, samples) = await ImportAsync("fashion");
        using var first = await Cache.OpenOrBuildAsync(version, samples, new PipelineExecutor(s_augmenting), Stores.Blobs, false, null, CancellationToken.None);

        // Only the ops after the prefix differ: the prefix images are the same, so the cache is too.
        var otherSuffix = new PipelineSpec([.. s_augmenting.Ops.Take(2), new VerticalFlipOp(0.3), new NormalizeOp([0.2f], [0.3f])]).Validate();
        using var again = await Cache.OpenOrBuildAsync(version, samples, new PipelineExecutor(otherSuffix), Stores.Blobs, false, null, CancellationToken.None);
        var otherPrefix = new PipelineSpec([s_augmenting.Ops[0], new ResizeOp(16, 16), .. s_augmenting.Ops.Skip(2)]).Validate();
        using var rebuilt = await Cache.OpenOrBuildAsync(version, samples, new PipelineExecutor(otherPrefix), Stores.Blobs, false, null, CancellationToken.None);
        var (version2, samples2) = await ImportAsync("fashion", 40);
        using var otherVersion = await Cache.OpenOrBuildAsync(version2, samples2, new PipelineExecutor(s_augmenting), Stores.Blobs, false, null, CancellationToken.None);

        Assert.True(again.Reused);
        Assert.Equal(first.Folder, again.Folder);
        Assert.False(rebuilt.Reused);
        Assert.NotEqual(first.Folder, rebuilt.Folder);
        Assert.Equal((16, 16, 1), rebuilt.SizeOf(0));
        Assert.False(otherVersion.Reused);
        Assert.NotEqual(first.Folder, otherVersion.Folder);
    }

    [Fact]
    public async Task CancelledBuild_LeavesNoCacheAndNoTemporaryFolder()
    {
        var (version, samples) = await ImportAsync("fashion");
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress<int>(_ => cancel.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Cache.OpenOrBuildAsync(version, samples, new PipelineExecutor(s_augmenting), Stores.Blobs, false, progress, cancel.Token));

        var parent = Path.GetDirectoryName(Cache.FolderFor(version, s_augmenting))!;
        Assert.Empty(Directory.Exists(parent) ? Directory.GetFileSystemEntries(parent) : []);
        Assert.Null(ShardCache.TryOpen(Cache.FolderFor(version, s_augmenting)));
    }

    private async Task<(DatasetVersion Version, IReadOnlyList<Sample> Samples)> ImportAsync(string name, int extra = 0)
    {
        var folder = Temp.Combine($"idx-{extra}");
        // More than one build chunk (1,024 images), so chunk boundaries are exercised.
        FashionMnist.WriteSubset(folder, 1100 + extra, 100, gzip: true);
        var result = await Importer.ImportAsync(folder, name, new ImportOptions(ClassNames: FashionMnist.ClassNames), null, CancellationToken.None);
        return (result.Version, await Stores.Datasets.GetSamplesAsync(name, result.Version.Version, CancellationToken.None));
    }

    /// <summary>Calls back on the reporting thread, so the test can cancel mid-build deterministically.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
