namespace Maas.Core.Runs;

/// <summary>What one epoch of a run measured.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch.</param>
/// <param name="TrainAccuracy">Training accuracy over the epoch.</param>
/// <param name="ValidationLoss">Validation loss, if there is a validation split.</param>
/// <param name="ValidationAccuracy">Validation accuracy, if there is a validation split.</param>
/// <param name="LearningRate">The learning rate at the end of the epoch.</param>
/// <param name="ImagesPerSecond">Training throughput.</param>
/// <param name="DataWaitSeconds">
/// How long the epoch's steps waited for their batch (gathered and augmented while the previous step computes); near
/// zero means data loading kept up. Null in runs recorded before it was measured.
/// </param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    double ImagesPerSecond,
    double? DataWaitSeconds = null);
