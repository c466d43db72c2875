using Maas.Core.Models;
using Maas.Core.Runs;
using Maas.Training.Evaluation;

namespace Maas.Workflows.Training;

/// <summary>What a training job produced.</summary>
/// <param name="Run">The finished run.</param>
/// <param name="Epochs">Per-epoch metrics.</param>
/// <param name="Evaluation">The evaluation on the test split (or validation, when there is no test split).</param>
/// <param name="EvaluatedSplit">The split <paramref name="Evaluation"/> was measured on.</param>
/// <param name="Registered">The registered model version, when one was asked for.</param>
/// <param name="StoppedByTimeBudget">Whether the time budget ended training before the last epoch.</param>
public sealed record TrainingOutcome(Run Run, IReadOnlyList<EpochMetrics> Epochs, EvaluationReport Evaluation, string EvaluatedSplit,
    ModelVersion? Registered, bool StoppedByTimeBudget)
{
    /// <summary>Why registration failed when one was asked for and the run completed; the run is kept either way.</summary>
    public RegistrationFailure? RegistrationFailed { get; init; }
}
