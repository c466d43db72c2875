using Maas.Core.Runs;
using Maas.Training.Networks;

namespace Maas.Training;

/// <summary>What a training run produced. It owns <see cref="Network"/>: dispose the result, or the network, when done.</summary>
/// <param name="Network">The trained network, left in evaluation mode.</param>
/// <param name="Spec">The spec the network was built from.</param>
/// <param name="Epochs">Metrics of each epoch trained, including an epoch cut short by the time budget.</param>
/// <param name="StoppedByTimeBudget">Whether <see cref="TrainingOptions.MaxDuration"/> ran out before the last epoch ended.</param>
/// <param name="Elapsed">Wall-clock time of the whole run, validation included.</param>
public sealed record TrainingResult(
    Network Network,
    NetworkSpec Spec,
    IReadOnlyList<EpochMetrics> Epochs,
    bool StoppedByTimeBudget,
    TimeSpan Elapsed) : IDisposable
{
    /// <summary>
    /// With early stopping (<see cref="TrainingOptions.Patience"/>): the epoch of the lowest validation loss, whose
    /// weights <see cref="Network"/> holds. Null without early stopping: the network holds the last epoch's weights.
    /// </summary>
    public int? BestEpoch { get; init; }

    /// <summary>Whether early stopping ended training before the last epoch.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Frees the network's native memory.</summary>
    public void Dispose() => Network.Dispose();
}
