using Maas.Core.Runs;

namespace Maas.Training;

/// <summary>
/// Where a <see cref="Trainer"/> keeps the checkpoint it writes at the end of every complete epoch, and whether it
/// starts from one. See <see cref="TrainingCheckpoint"/> for what a checkpoint holds.
/// </summary>
/// <param name="Folder">The folder of the checkpoint file (a run's artifact folder); created if missing.</param>
public sealed record Checkpointing(string Folder)
{
    /// <summary>
    /// Continue from the checkpoint in <see cref="Folder"/>, when there is one: weights, optimizer state, early-stopping
    /// state and the metrics of the epochs already done are restored and training goes on with the next epoch. The
    /// default is false: start afresh (an old checkpoint is overwritten after the first epoch).
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>
    /// Stop after this 1-based epoch, once its checkpoint is written, even if <see cref="TrainingOptions.Epochs"/>
    /// asks for more; a later <see cref="Resume"/> goes on with the same schedule. Tuning uses it to train a trial
    /// rung by rung. The default is null: train every epoch.
    /// </summary>
    public int? PauseAfterEpoch { get; init; }

    /// <summary>Told, on the training thread, after each checkpoint is safely on disk, with the metrics of every epoch so far.</summary>
    public Action<IReadOnlyList<EpochMetrics>>? Saved { get; init; }

    /// <summary>The checkpoint file's path.</summary>
    public string FilePath => Path.Combine(Folder, TrainingCheckpoint.FileName);
}
