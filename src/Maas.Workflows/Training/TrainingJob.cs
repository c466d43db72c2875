using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Core.Runs;
using Maas.Storage;
using Maas.Storage.Locking;
using Maas.Training;
using Maas.Training.Evaluation;
using Maas.Training.Export;
using Maas.Workflows.Models;

namespace Maas.Workflows.Training;

/// <summary>
/// The whole of <c>maas train</c>: load the dataset version through its pipeline, train, evaluate on the test split,
/// export ONNX with the pipeline and labels beside it (a <see cref="ModelBundle"/>), record everything as a run, and
/// optionally register the result and move its <c>production</c> alias. A failure or cancellation marks the run so
/// and registers nothing; a failed registration leaves the run completed and says how to retry it.
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
        using var inputs = await TrainingInputs.LoadAsync(stores, request, progress, cancellationToken);
        var run = resumed ?? NewRun(inputs.Dataset, request, inputs.Pipeline);
        var runFolder = Path.Combine(stores.Home.ArtifactsPath, run.ArtifactDir);
        Directory.CreateDirectory(runFolder);
        using var newRunLock = resumed is null ? LockRun(run) : null;
        await StartRunAsync(run, resumed is not null, cancellationToken);

        TrainingOutcome outcome;
        try
        {
            outcome = await TrainEvaluateAndExportAsync(request, inputs, run, runFolder, resumed is not null, progress, cancellationToken);
        }
        catch (Exception e)
        {
            await MarkStoppedAsync(run.Id, runFolder, e is OperationCanceledException ? RunStatus.Cancelled : RunStatus.Failed);
            if (e is OperationCanceledException cancelled)
            {
                throw new TrainingCancelledException(run.Id, cancelled);
            }

            throw;
        }

        // Outside the try above: the run is completed and stays so, with its metrics, whatever registration does.
        return outcome.Run.Status == RunStatus.Completed && request.RegisterAs is { } model
            ? await RegisterCompletedAsync(outcome, model)
            : outcome;
    }

    private async Task StartRunAsync(Run run, bool resuming, CancellationToken cancellationToken)
    {
        if (resuming)
        {
            await stores.Runs.ReopenAsync(run.Id, cancellationToken);
        }
        else
        {
            await stores.Runs.CreateAsync(run, cancellationToken);
        }
    }

    private async Task<TrainingOutcome> TrainEvaluateAndExportAsync(TrainingRequest request, TrainingInputs inputs, Run run, string runFolder, bool resuming,
        IProgress<TrainingJobProgress>? progress, CancellationToken cancellationToken)
    {
        using var result = await TrainAsync(request, inputs, run, runFolder, resuming, progress, cancellationToken);
        foreach (var epoch in result.Epochs)
        {
            await stores.Runs.RecordEpochAsync(run.Id, epoch, CancellationToken.None);
        }

        var split = inputs.EvaluatedSplit.ToName();
        progress?.Report(new TrainingJobProgress($"evaluating on {split}", 0, inputs.Evaluation.Count));
        var report = Evaluator.Evaluate(result.Network, inputs.Evaluation, inputs.Dataset.Classes, cancellationToken: cancellationToken);
        progress?.Report(new TrainingJobProgress($"evaluating on {split}", inputs.Evaluation.Count, inputs.Evaluation.Count));
        var metrics = Metrics(result, report, split);

        if (request.Pause && result.Epochs.Count < request.Options.Epochs && !result.StoppedEarly && !result.StoppedByTimeBudget)
        {
            metrics["checkpoint_epoch"] = result.Epochs.Count;
            await stores.Runs.FinishAsync(run.Id, RunStatus.Paused, metrics, CancellationToken.None);
            return new TrainingOutcome(await stores.Runs.GetAsync(run.Id, CancellationToken.None), result.Epochs, report, split, null, result.StoppedByTimeBudget);
        }

        await ExportAsync(result, inputs, run, runFolder, report, metrics);
        await stores.Runs.FinishAsync(run.Id, RunStatus.Completed, metrics, CancellationToken.None);
        return new TrainingOutcome(await stores.Runs.GetAsync(run.Id, CancellationToken.None), result.Epochs, report, split, null, result.StoppedByTimeBudget);
    }

    private async Task<TrainingResult> TrainAsync(TrainingRequest request, TrainingInputs inputs, Run run, string runFolder, bool resuming,
        IProgress<TrainingJobProgress>? progress, CancellationToken cancellationToken)
    {
        var checkpoints = new Checkpointing(runFolder)
        {
            Resume = resuming,
            PauseAfterEpoch = request.StopAfterEpoch,
            // Each epoch is recorded once its checkpoint is on disk: a killed run shows exactly the epochs it can resume after.
            Saved = epochs =>
            {
                stores.Runs.RecordEpochAsync(run.Id, epochs[^1], CancellationToken.None).GetAwaiter().GetResult();
                progress?.Report(new TrainingJobProgress("checkpoint", epochs[^1].Epoch, request.Options.Epochs));
            },
        };
        var steps = (long)Math.Ceiling(inputs.Train.Count / (double)request.Options.BatchSize) * request.Options.Epochs;
        return await new Trainer { Checkpoints = checkpoints }.TrainAsync(inputs.Train, inputs.Validation, request.Options,
            new InlineProgress<TrainingProgress>(p => progress?.Report(new TrainingJobProgress("training",
                ((long)(p.Epoch - 1) * p.StepsPerEpoch) + p.Step, steps, p))),
            cancellationToken);
    }

    private static Dictionary<string, double> Metrics(TrainingResult result, EvaluationReport report, string evaluatedSplit)
    {
        var last = result.Epochs.Count > 0 ? result.Epochs[^1] : null;
        var metrics = new Dictionary<string, double>
        {
            [$"{evaluatedSplit}_accuracy"] = report.Accuracy,
            [$"{evaluatedSplit}_macro_f1"] = report.MacroF1,
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

        return metrics;
    }

    // The run folder holds the exported model as a bundle, so registering it later (maas models register --run) can verify it.
    private static async Task ExportAsync(TrainingResult result, TrainingInputs inputs, Run run, string runFolder, EvaluationReport report,
        IReadOnlyDictionary<string, double> metrics)
    {
        var shape = inputs.Executor.Shape;
        var onnxMetadata = new Dictionary<string, string>
        {
            ["maas.labels"] = JsonSerializer.Serialize(inputs.Dataset.Classes),
            ["maas.pipeline"] = inputs.Pipeline.ToJson(),
            ["maas.input_shape"] = $"{shape.Channels},{shape.Height},{shape.Width}",
            ["maas.run"] = run.Id,
            ["maas.dataset"] = inputs.Dataset.Reference,
        };
        var onnx = OnnxExporter.Export(result.Spec, result.Network, onnxMetadata);
        await ModelBundle.WriteAsync(runFolder, new ModelBundleContents(onnx, inputs.Pipeline, inputs.Dataset.Classes,
            new ModelBundleMetadata(ModelBundleMetadata.Trained, run.Id, inputs.Dataset.Reference, [shape.Channels, shape.Height, shape.Width], metrics,
                DateTimeOffset.UtcNow)), CancellationToken.None);
        await AtomicFile.WriteAllTextAsync(Path.Combine(runFolder, "evaluation.json"), JsonSerializer.Serialize(report, s_json), CancellationToken.None);
    }

    private async Task MarkStoppedAsync(string runId, string runFolder, RunStatus status)
    {
        var stopped = new Dictionary<string, double>();
        if (TrainingCheckpoint.TryReadSummary(runFolder) is { } checkpoint)
        {
            // The run can be resumed after this epoch (maas train --resume).
            stopped["checkpoint_epoch"] = checkpoint.Epoch;
        }

        await stores.Runs.FinishAsync(runId, status, stopped, CancellationToken.None);
    }

    private async Task<TrainingOutcome> RegisterCompletedAsync(TrainingOutcome outcome, string model)
    {
        try
        {
            return outcome with { Registered = await RegisterRunAsync(outcome.Run.Id, model, CancellationToken.None) };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return outcome with
            {
                RegistrationFailed = new RegistrationFailure(model, e.Message, $"maas models register {model} --run {outcome.Run.Id}",
                    e is MaasException known ? known.ExitCode : ExitCodes.InternalError),
            };
        }
    }

    /// <summary>Registers the model a completed run exported, and points the model's <c>production</c> alias at it in the same transaction.</summary>
    /// <exception cref="ConflictException">The run is not completed, so it exported nothing.</exception>
    /// <exception cref="InvalidInputException">The run's exported files do not verify.</exception>
    public async Task<ModelVersion> RegisterRunAsync(string runId, string model, CancellationToken cancellationToken)
    {
        VersionedName.ValidateName(model, "--register model name");
        var registered = await new RegistrationJob(stores).RunAsync(
            new RegistrationRequest(model) { RunId = runId, Aliases = [WellKnownAliases.Production] }, null, cancellationToken);
        return registered.Version;
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
