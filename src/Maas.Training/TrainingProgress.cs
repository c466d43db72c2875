namespace Maas.Training;

/// <summary>Where a training run stands after one optimizer step.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="EpochCount">Epochs the run was asked for.</param>
/// <param name="Step">1-based step within the epoch.</param>
/// <param name="StepsPerEpoch">Steps in a full epoch.</param>
/// <param name="RunningLoss">Mean training loss over the epoch's samples so far.</param>
/// <param name="RunningAccuracy">Training accuracy over the epoch's samples so far.</param>
/// <param name="ImagesPerSecond">Training throughput over the epoch so far.</param>
/// <param name="Elapsed">Time since training started.</param>
public sealed record TrainingProgress(
    int Epoch,
    int EpochCount,
    int Step,
    int StepsPerEpoch,
    double RunningLoss,
    double RunningAccuracy,
    double ImagesPerSecond,
    TimeSpan Elapsed)
{
    /// <summary>The learning rate of this step.</summary>
    public double LearningRate { get; init; }
}
