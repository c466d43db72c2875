using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Models;
using Maas.Core.Pipelines;
using Maas.Datasets;
using Maas.Imaging;
using Maas.Storage;
using Maas.Testing;
using Maas.Training;
using Maas.Workflows.Training;

namespace Maas.Workflows.Tests;

/// <summary>
/// A run whose pipeline augments and normalizes with "auto": the prefix comes from the shard cache, every epoch sees
/// new augmentations, the statistics are measured on the training split and stored with the model.
/// </summary>
public sealed class AugmentedTrainingJobTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Run_ResolvesAutoNormalizationFromTheTrainingSplit_AndRecordsDataWait()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        Testing.FashionMnist.WriteSubset(_temp.Combine("idx"), 600, 100, gzip: true);
        var import = await new DatasetImporter(stores).ImportAsync(_temp.Combine("idx"), "fashion", new ImportOptions(Testing.FashionMnist.ClassNames), null,
            CancellationToken.None);
        var pipeline = PipelineSpec.FromJson("""
            {"ops": [{"op": "decode", "color": "gray"}, {"op": "random_resized_crop", "width": 24, "height": 24, "scale": [0.6, 1]},
                     {"op": "horizontal_flip", "p": 0.5}, {"op": "normalize", "mean": "auto", "std": "auto"}]}
            """);

        var outcome = await new TrainingJob(stores).RunAsync(
            new TrainingRequest(VersionedName.Parse(import.Version.Reference), new TrainingOptions { Architecture = "tiny-cnn", Epochs = 2, BatchSize = 64 },
                "fashion-aug", pipeline),
            null, CancellationToken.None);

        // Independently: the mean and standard deviation of the decoded training images' pixels on a [0, 1] scale.
        var samples = await stores.Datasets.GetSamplesAsync("fashion", 1, CancellationToken.None);
        var pixels = samples.Where(s => s.Split == Split.Train)
            .SelectMany(s => ImageDecoder.Decode(stores.Blobs.Get(s.BlobHash), ColorMode.Gray, null, s.SampleId).Pixels.ToArray())
            .Select(p => p / 255.0)
            .ToArray();
        var mean = pixels.Average();
        var std = Math.Sqrt(pixels.Select(p => (p - mean) * (p - mean)).Average());
        var version = await stores.Models.ResolveAsync(VersionedName.Parse("fashion-aug@1"), CancellationToken.None);
        var stored = PipelineSpec.FromJson(await File.ReadAllTextAsync(Path.Combine(stores.Models.ArtifactPath(version), ModelVersion.PipelineFileName)));
        var normalize = stored.Ops.OfType<NormalizeOp>().Single();
        Assert.False(normalize.IsAuto);
        Assert.Equal(mean, normalize.MeanOf(0), 4);
        Assert.Equal(std, normalize.StdOf(0), 4);
        Assert.Equal(2, outcome.Epochs.Count);
        Assert.All(outcome.Epochs, e => Assert.NotNull(e.DataWaitSeconds));
        Assert.Single(Directory.GetDirectories(stores.Home.PreprocessedCachePath, "*", SearchOption.AllDirectories),
            d => File.Exists(Path.Combine(d, "cache.json")));
    }

    [Fact]
    public async Task AugmentedSamples_DifferByEpoch_AndRepeatForTheSameEpoch()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        Testing.FashionMnist.WriteSubset(_temp.Combine("idx"), 50, 10, gzip: true);
        var import = await new DatasetImporter(stores).ImportAsync(_temp.Combine("idx"), "fashion", new ImportOptions(Testing.FashionMnist.ClassNames), null,
            CancellationToken.None);
        var samples = await stores.Datasets.GetSamplesAsync("fashion", 1, CancellationToken.None);
        var executor = new PipelineExecutor(PipelineSpec.FromJson("""
            {"ops": [{"op": "decode", "color": "gray"}, {"op": "random_resized_crop", "width": 20, "height": 20, "scale": [0.3, 1]},
                     {"op": "normalize", "mean": [0.5], "std": [0.5]}]}
            """));
        using var shards = await new Maas.Datasets.Preprocessing.ShardCache(stores.Home.PreprocessedCachePath)
            .OpenOrBuildAsync(import.Version, samples, executor, stores.Blobs, false, null, CancellationToken.None);
        var data = SplitLoader.Augmented([0, 1, 2], samples, executor, shards, 10, seed: 7);

        float[] Tensor(int sample, int epoch)
        {
            var tensor = new float[executor.Shape.Length];
            data.Augmentation!.Fill(sample, epoch, tensor);
            return tensor;
        }

        Assert.Equal(Tensor(1, 0), Tensor(1, 0));
        Assert.NotEqual(Tensor(1, 0), Tensor(1, 1));
        // The same as running the whole pipeline on the encoded image in that context.
        var direct = new float[executor.Shape.Length];
        executor.Run(stores.Blobs.Get(samples[1].BlobHash), direct, samples[1].SampleId, SampleContext.Training(7, samples[1].SampleId, 1));
        Assert.Equal(direct, Tensor(1, 1));
    }

    public void Dispose() => _temp.Dispose();
}
