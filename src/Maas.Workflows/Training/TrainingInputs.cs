using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Datasets.Preprocessing;
using Maas.Imaging;
using Maas.Storage;
using Maas.Training;

namespace Maas.Workflows.Training;

/// <summary>
/// A training job's data: the dataset version, its pipeline (with "auto" normalization resolved), and its splits
/// loaded as tensors. Holds the shard cache open while augmented training reads from it.
/// </summary>
internal sealed class TrainingInputs : IDisposable
{
    private readonly PreprocessedShards? _shards;

    private TrainingInputs(DatasetVersion dataset, PipelineSpec pipeline, PipelineExecutor executor, PreprocessedShards? shards)
    {
        Dataset = dataset;
        Pipeline = pipeline;
        Executor = executor;
        _shards = shards;
    }

    public DatasetVersion Dataset { get; }

    public PipelineSpec Pipeline { get; }

    public PipelineExecutor Executor { get; }

    public required TrainingData Train { get; init; }

    public TrainingData? Validation { get; init; }

    /// <summary>What the trained network is evaluated on: the test split, else validation, else train.</summary>
    public required TrainingData Evaluation { get; init; }

    public required Split EvaluatedSplit { get; init; }

    /// <summary>Reads the dataset version <paramref name="request"/> names and loads its splits through the pipeline.</summary>
    /// <exception cref="InvalidInputException">The dataset has no training split.</exception>
    public static async Task<TrainingInputs> LoadAsync(MaasStores stores, TrainingRequest request, IProgress<TrainingJobProgress>? progress,
        CancellationToken cancellationToken)
    {
        var dataset = await stores.Datasets.GetVersionAsync(request.Dataset, cancellationToken);
        var samples = await stores.Datasets.GetSamplesAsync(dataset.Name, dataset.Version, cancellationToken);
        // ImageNet's stem shrinks each side 32-fold; pretrained weights also want more than a few pixels to look at.
        var pipeline = (request.Pipeline ?? DefaultPipeline.For(samples, request.Options.Pretrained is null ? 1 : DefaultPipeline.MaxSide)).Validate();
        var bySplit = Enumerable.Range(0, samples.Count).GroupBy(i => samples[i].Split)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<int>)g.ToList());
        if (!bySplit.TryGetValue(Split.Train, out var trainIndices))
        {
            throw new InvalidInputException($"dataset {dataset.Reference} has no training split.");
        }

        // Random ops need the decoded images every epoch, and "auto" normalization needs the training split's
        // statistics: both read the pipeline's deterministic prefix from the shard cache.
        var shards = pipeline.HasRandomOps || pipeline.HasAutoNormalization
            ? await new ShardCache(stores.Home.PreprocessedCachePath).OpenOrBuildAsync(dataset, samples, new PipelineExecutor(pipeline), stores.Blobs,
                rebuild: false, new InlineProgress<int>(n => progress?.Report(new TrainingJobProgress("preprocessing", n, samples.Count))), cancellationToken)
            : null;
        try
        {
            if (pipeline.HasAutoNormalization)
            {
                var (mean, std) = ChannelStatistics.Of(shards!, trainIndices, cancellationToken).ForNormalize();
                pipeline = pipeline.ResolveNormalization(mean, std);
            }

            var executor = new PipelineExecutor(pipeline);
            var evaluatedSplit = bySplit.ContainsKey(Split.Test) ? Split.Test : bySplit.ContainsKey(Split.Validation) ? Split.Validation : Split.Train;
            TrainingData LoadSplit(Split split)
            {
                var indices = bySplit[split];
                var splitProgress = new InlineProgress<int>(n => progress?.Report(new TrainingJobProgress($"loading {split.ToName()}", n, indices.Count)));
                return shards is null
                    ? SplitLoader.Load(indices.Select(i => samples[i]).ToList(), executor, stores.Blobs, dataset.Classes.Count, splitProgress, cancellationToken)
                    : SplitLoader.Load(indices, samples, executor, shards, dataset.Classes.Count, splitProgress, cancellationToken);
            }

            var train = pipeline.HasRandomOps
                ? SplitLoader.Augmented(trainIndices, samples, executor, shards!, dataset.Classes.Count, (ulong)request.Options.Seed)
                : LoadSplit(Split.Train);
            var validation = bySplit.ContainsKey(Split.Validation) ? LoadSplit(Split.Validation) : null;
            var evaluation = evaluatedSplit == Split.Validation ? validation!
                : evaluatedSplit == Split.Train && train.Augmentation is null ? train
                : LoadSplit(evaluatedSplit);
            return new TrainingInputs(dataset, pipeline, executor, shards)
            {
                Train = train,
                Validation = validation,
                Evaluation = evaluation,
                EvaluatedSplit = evaluatedSplit,
            };
        }
        catch
        {
            shards?.Dispose();
            throw;
        }
    }

    public void Dispose() => _shards?.Dispose();
}
