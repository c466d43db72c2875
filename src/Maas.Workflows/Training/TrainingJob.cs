using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Core.Runs;
using Maas.Datasets.Preprocessing;
using Maas.Imaging;
using Maas.Storage;
using Maas.Storage.Locking;
using Maas.Training;
using Maas.Training.Evaluation;
using Maas.Training.Export;

namespace Maas.Workflows.Training;

/// <summary>
/// The whole of <c>maas train</c>: load the dataset version through its pipeline, train, evaluate on the test split,
/// export ONNX with the pipeline and labels beside it, record everything as a run, and optionally register the
/// result and move its <c>production</c> alias. A failure or cancellation marks the run so and registers nothing.
/// </summary>
/// <param name="stores">The home's stores.</param>
public sealed class TrainingJob(MaasStores stores)
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>The file a training process holds locked while it trains a run, so a second process cannot resume it too.</summary>
    public const string LockFileName = RunLock.FileName;

    /// <summary>Runs the job.</summary>
    public Task<TrainingOutcome> RunAsync(TrainingRequest request, IProgress<TrainingJobProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ExecuteAsync(request, null, progress, cancellationToken);
    }

    /// <summary>
    /// Continues a run that was cancelled, failed or killed from its last checkpoint (or from the start, when it
    /// never finished an epoch), with the parameters, dataset version and pipeline it recorded; the remaining
    /// epochs are added to the same run, which then finishes as a new run would: evaluation, export, registration.
    /// </summary>
    /// <exception cref="NotFoundException">No such run.</exception>
    /// <exception cref="ConflictException">The run is completed, or another process is training it now.</exception>
    public Task<TrainingOutcome> ResumeAsync(string runId, IProgress<TrainingJobProgress>? progress, CancellationToken cancellationToken) =>
        ResumeAsync(new ResumeRequest(runId), progress, cancellationToken);

    /// <summary>As <see cref="ResumeAsync(string, IProgress{TrainingJobProgress}?, CancellationToken)"/>, stopping or pausing as <paramref name="request"/> asks.</summary>
    public async Task<TrainingOutcome> ResumeAsync(ResumeRequest request, IProgress<TrainingJobProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = await stores.Runs.GetAsync(request.RunId, cancellationToken);
        if (run.Status == RunStatus.Completed)
        {
            throw new ConflictException($"run '{request.RunId}' is completed; there is nothing to resume.");
        }

        var recorded = RunParameters.ToRequest(run);
        return await ExecuteAsync(recorded with
        {
            StopAfterEpoch = request.StopAfterEpoch,
            Pause = request.Pause,
            RegisterAs = request.RegisterAs ?? recorded.RegisterAs,
        }, run, progress, cancellationToken);
    }

    private async Task<TrainingOutcome> ExecuteAsync(TrainingRequest request, Run? resumed, IProgress<TrainingJobProgress>? progress,
        CancellationToken cancellationToken)
    {
        request.Options.Validate();
        if (request.RegisterAs is { } modelName)
        {
            VersionedName.ValidateName(modelName, "--register model name");
        }

        // Shared: training reads blobs that a dataset removal (exclusive) would delete.
        using var homeLock = await HomeLock.AcquireSharedAsync(stores.Home, resumed is null ? $"training on {request.Dataset}" : $"resuming run {resumed.Id}",
            cancellationToken);
        // Taken before any data is read: a run that another process still trains is refused at once.
        using var runLock = resumed is null ? null : LockRun(resumed);
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
        using var shards = pipeline.HasRandomOps || pipeline.HasAutoNormalization
            ? await new ShardCache(stores.Home.PreprocessedCachePath).OpenOrBuildAsync(dataset, samples, new PipelineExecutor(pipeline), stores.Blobs,
                rebuild: false, new InlineProgress<int>(n => progress?.Report(new TrainingJobProgress("preprocessing", n, samples.Count))), cancellationToken)
            : null;
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

        var run = resumed ?? NewRun(dataset, request, pipeline);
        var runFolder = Path.Combine(stores.Home.ArtifactsPath, run.ArtifactDir);
        Directory.CreateDirectory(runFolder);
        using var newRunLock = resumed is null ? LockRun(run) : null;
        if (resumed is null)
        {
            await stores.Runs.CreateAsync(run, cancellationToken);
        }
        else
        {
            await stores.Runs.ReopenAsync(run.Id, cancellationToken);
        }

        var checkpoints = new Checkpointing(runFolder)
        {
            Resume = resumed is not null,
            PauseAfterEpoch = request.StopAfterEpoch,
            // Each epoch is recorded once its checkpoint is on disk: a killed run shows exactly the epochs it can resume after.
            Saved = epochs =>
            {
                stores.Runs.RecordEpochAsync(run.Id, epochs[^1], CancellationToken.None).GetAwaiter().GetResult();
                progress?.Report(new TrainingJobProgress("checkpoint", epochs[^1].Epoch, request.Options.Epochs));
            },
        };
        try
        {
            var steps = (long)Math.Ceiling(train.Count / (double)request.Options.BatchSize) * request.Options.Epochs;
            using var result = await new Trainer { Checkpoints = checkpoints }.TrainAsync(train, validation, request.Options,
                new InlineProgress<TrainingProgress>(p => progress?.Report(new TrainingJobProgress("training",
                    ((long)(p.Epoch - 1) * p.StepsPerEpoch) + p.Step, steps, p))),
                cancellationToken);
            foreach (var epoch in result.Epochs)
            {
                await stores.Runs.RecordEpochAsync(run.Id, epoch, CancellationToken.None);
            }

            progress?.Report(new TrainingJobProgress($"evaluating on {evaluatedSplit.ToName()}", 0, evaluation.Count));
            var report = Evaluator.Evaluate(result.Network, evaluation, dataset.Classes, cancellationToken: cancellationToken);
            progress?.Report(new TrainingJobProgress($"evaluating on {evaluatedSplit.ToName()}", evaluation.Count, evaluation.Count));

            var last = result.Epochs.Count > 0 ? result.Epochs[^1] : null;
            var metrics = new Dictionary<string, double>
            {
                [$"{evaluatedSplit.ToName()}_accuracy"] = report.Accuracy,
                [$"{evaluatedSplit.ToName()}_macro_f1"] = report.MacroF1,
                ["epochs"] = result.Epochs.Count,
                ["train_seconds"] = result.Elapsed.TotalSeconds,
            };
            if (result.BestEpoch is { } bestEpoch)
            {
                metrics["best_epoch"] = bestEpoch;
                metrics["stopped_early"] = result.StoppedEarly ? 1 : 0;
            }

            if (last is not null)
            {
                metrics["train_loss"] = last.TrainLoss;
                metrics["train_accuracy"] = last.TrainAccuracy;
                metrics["images_per_second"] = last.ImagesPerSecond;
            }

            if (last?.ValidationAccuracy is { } validationAccuracy)
            {
                metrics["validation_accuracy"] = validationAccuracy;
            }

            if (request.Pause && result.Epochs.Count < request.Options.Epochs && !result.StoppedEarly && !result.StoppedByTimeBudget)
            {
                metrics["checkpoint_epoch"] = result.Epochs.Count;
                await stores.Runs.FinishAsync(run.Id, RunStatus.Paused, metrics, CancellationToken.None);
                return new TrainingOutcome(await stores.Runs.GetAsync(run.Id, CancellationToken.None), result.Epochs, report,
                    evaluatedSplit.ToName(), null, result.StoppedByTimeBudget);
            }

            var metadata = new Dictionary<string, string>
            {
                ["maas.labels"] = JsonSerializer.Serialize(dataset.Classes),
                ["maas.pipeline"] = pipeline.ToJson(),
                ["maas.input_shape"] = $"{executor.Shape.Channels},{executor.Shape.Height},{executor.Shape.Width}",
                ["maas.run"] = run.Id,
                ["maas.dataset"] = dataset.Reference,
            };
            var onnx = OnnxExporter.Export(result.Spec, result.Network, metadata);
            await AtomicFile.WriteAllBytesAsync(Path.Combine(runFolder, ModelVersion.OnnxFileName), onnx, CancellationToken.None);
            await AtomicFile.WriteAllTextAsync(Path.Combine(runFolder, ModelVersion.PipelineFileName), pipeline.ToJson(), CancellationToken.None);
            await AtomicFile.WriteAllTextAsync(Path.Combine(runFolder, ModelVersion.LabelsFileName), JsonSerializer.Serialize(dataset.Classes, s_json), CancellationToken.None);
            await AtomicFile.WriteAllTextAsync(Path.Combine(runFolder, "evaluation.json"), JsonSerializer.Serialize(report, s_json), CancellationToken.None);

            await stores.Runs.FinishAsync(run.Id, RunStatus.Completed, metrics, CancellationToken.None);
            ModelVersion? registered = null;
            if (request.RegisterAs is { } model)
            {
                registered = await RegisterAsync(model, runFolder, run.Id, dataset.Reference, dataset.Classes, metrics);
            }

            return new TrainingOutcome(await stores.Runs.GetAsync(run.Id, CancellationToken.None), result.Epochs, report,
                evaluatedSplit.ToName(), registered, result.StoppedByTimeBudget);
        }
        catch (Exception e)
        {
            var status = e is OperationCanceledException ? RunStatus.Cancelled : RunStatus.Failed;
            var stopped = new Dictionary<string, double>();
            if (TrainingCheckpoint.TryReadSummary(runFolder) is { } checkpoint)
            {
                // The run can be resumed after this epoch (maas train --resume).
                stopped["checkpoint_epoch"] = checkpoint.Epoch;
            }

            await stores.Runs.FinishAsync(run.Id, status, stopped, CancellationToken.None);
            if (e is OperationCanceledException cancelled)
            {
                throw new TrainingCancelledException(run.Id, cancelled);
            }

            throw;
        }
    }

    private async Task<ModelVersion> RegisterAsync(string model, string runFolder, string runId, string dataset,
        IReadOnlyList<string> labels, IReadOnlyDictionary<string, double> metrics)
    {
        // The run keeps its own copy; the registry takes ownership of a staged copy, moved into place atomically.
        // The lease's lock marks the copy as in use; one a killed process left is removed by the next registration.
        using var lease = new StagingArea(stores.Home.StagingPath).Reserve("model");
        var staging = lease.Path;
        Directory.CreateDirectory(staging);
        foreach (var file in new[] { ModelVersion.OnnxFileName, ModelVersion.PipelineFileName, ModelVersion.LabelsFileName })
        {
            File.Copy(Path.Combine(runFolder, file), Path.Combine(staging, file));
        }

        var version = await stores.Models.RegisterAsync(model, staging, runId, dataset, labels, metrics, CancellationToken.None);
        await stores.Models.SetAliasAsync(model, WellKnownAliases.Production, version.Version, $"registered by {runId}", CancellationToken.None);
        return version;
    }

    /// <summary>Registers the model a completed run exported, and points the model's <c>production</c> alias at it.</summary>
    /// <exception cref="ConflictException">The run is not completed, so it exported nothing.</exception>
    public async Task<ModelVersion> RegisterRunAsync(string runId, string model, CancellationToken cancellationToken)
    {
        VersionedName.ValidateName(model, "--register model name");
        var run = await stores.Runs.GetAsync(runId, cancellationToken);
        if (run.Status != RunStatus.Completed)
        {
            throw new ConflictException($"run '{runId}' is {run.Status.ToString().ToLowerInvariant()}; only a completed run has a model to register.");
        }

        var dataset = await stores.Datasets.GetVersionAsync(VersionedName.Parse(run.Dataset, "dataset"), cancellationToken);
        using var homeLock = await HomeLock.AcquireSharedAsync(stores.Home, $"registering run {runId} as {model}", cancellationToken);
        return await RegisterAsync(model, Path.Combine(stores.Home.ArtifactsPath, run.ArtifactDir), run.Id, run.Dataset, dataset.Classes, run.Metrics);
    }

    // An exclusive lock the system drops when the process ends, however it ends: a killed run is resumable at once.
    private FileStream LockRun(Run run) => RunLock.Acquire(Path.Combine(stores.Home.ArtifactsPath, run.ArtifactDir), run.Id);

    private static Run NewRun(DatasetVersion dataset, TrainingRequest request, Core.Pipelines.PipelineSpec pipeline)
    {
        var now = DateTimeOffset.UtcNow;
        var id = string.Create(CultureInfo.InvariantCulture, $"run_{now:yyyyMMdd_HHmmss}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}");
        var parameters = RunParameters.Of(request, pipeline);
        return new Run(id, dataset.Reference, parameters, RunStatus.Running, new Dictionary<string, double>(), now, null, Path.Combine("runs", id));
    }
}
