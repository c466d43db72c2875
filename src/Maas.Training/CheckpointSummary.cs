using Maas.Core.Runs;

namespace Maas.Training;

/// <summary>What a checkpoint says about the training it saved, read without loading any weights.</summary>
/// <param name="Epoch">The last complete epoch, 1-based.</param>
/// <param name="Epochs">The metrics of every epoch up to <paramref name="Epoch"/>.</param>
/// <param name="Architecture">The architecture of the saved network.</param>
/// <param name="Optimizer">The optimizer whose state was saved.</param>
/// <param name="Seed">The seed of the run.</param>
public sealed record CheckpointSummary(int Epoch, IReadOnlyList<EpochMetrics> Epochs, string Architecture, string Optimizer, long Seed);
