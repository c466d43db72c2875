using Maas.Core;
using Maas.Core.Pipelines;

namespace Maas.Training.Jobs;

/// <summary>What to train, on what, and where to register the result.</summary>
/// <param name="Dataset">The dataset version (the latest when no version is named).</param>
/// <param name="Options">Architecture and hyperparameters.</param>
/// <param name="RegisterAs">The model name to register the result under, or null to keep it as a run only.</param>
/// <param name="Pipeline">The preprocessing pipeline; null picks <see cref="DefaultPipeline"/>.</param>
public sealed record TrainingRequest(VersionedName Dataset, TrainingOptions Options, string? RegisterAs = null, PipelineSpec? Pipeline = null);
