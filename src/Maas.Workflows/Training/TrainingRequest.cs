using Maas.Core;
using Maas.Core.Pipelines;
using Maas.Training;

namespace Maas.Workflows.Training;

/// <summary>What to train, on what, and where to register the result.</summary>
/// <param name="Dataset">The dataset version (the latest when no version is named).</param>
/// <param name="Options">Architecture and hyperparameters.</param>
/// <param name="RegisterAs">The model name to register the result under, or null to keep it as a run only.</param>
/// <param name="Pipeline">The preprocessing pipeline; null picks <see cref="DefaultPipeline"/>.</param>
public sealed record TrainingRequest(VersionedName Dataset, TrainingOptions Options, string? RegisterAs = null, PipelineSpec? Pipeline = null)
{
    /// <summary>
    /// Train no further than this 1-based epoch, with the schedule of all <see cref="TrainingOptions.Epochs"/>. The
    /// default is null: train every epoch.
    /// </summary>
    public int? StopAfterEpoch { get; init; }

    /// <summary>
    /// When training stops at <see cref="StopAfterEpoch"/> before the last epoch: leave the run
    /// <see cref="Core.Runs.RunStatus.Paused"/>, evaluated but neither exported nor registered, to be resumed later
    /// (tuning promotes trials so). The default is false: finish the run with the epochs it has.
    /// </summary>
    public bool Pause { get; init; }

    /// <summary>Extra parameters recorded with the run, such as the tuning study it belongs to. The default is none.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}
