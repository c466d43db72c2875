namespace Maas.Core.Pipelines;

/// <summary>Whether a pipeline runs its random augmentations or their deterministic evaluation counterparts.</summary>
public enum PipelineMode
{
    /// <summary>Evaluation and serving: every random op is replaced by its counterpart (see <see cref="PipelineSpec.ForEvaluation"/>).</summary>
    Evaluation,

    /// <summary>Training: random ops draw from a stream derived from the <see cref="SampleContext"/>.</summary>
    Training,
}
