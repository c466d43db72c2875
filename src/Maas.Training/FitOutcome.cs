using Maas.Core.Runs;

namespace Maas.Training;

/// <summary>How the epochs of a fit went, before the trainer wraps them with the network into a <see cref="TrainingResult"/>.</summary>
internal sealed record FitOutcome(IReadOnlyList<EpochMetrics> Epochs, bool StoppedByTimeBudget, bool StoppedEarly, int? BestEpoch);
