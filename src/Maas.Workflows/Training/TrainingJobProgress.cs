using Maas.Training;

namespace Maas.Workflows.Training;

/// <summary>How far a training job has come.</summary>
/// <param name="Stage">What it is doing: loading a split, training, evaluating, exporting.</param>
/// <param name="Done">Units done in this stage (images or steps).</param>
/// <param name="Total">Units in this stage.</param>
/// <param name="Step">The trainer's own report, while training.</param>
public sealed record TrainingJobProgress(string Stage, long Done, long Total, TrainingProgress? Step = null);
