using Maas.Core;
using Maas.Core.Pipelines;

namespace Maas.Workflows.Tuning;

/// <summary>What a tuning study searches, on what data, for how long.</summary>
/// <param name="Dataset">The dataset version.</param>
/// <param name="Space">The hyperparameters to draw from.</param>
/// <param name="Budget">Wall-clock time for the study; no trial step starts after it, and the best trial is then finished.</param>
public sealed record TuningRequest(VersionedName Dataset, SearchSpace Space, TimeSpan Budget)
{
    /// <summary>Seeds the draws of configurations; trial n trains with seed <c>Seed + n</c>. The default is 42.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>The most configurations drawn. The default is 27 (nine full-length survivors' worth at reduction factor 3).</summary>
    public int MaxTrials { get; init; } = 27;

    /// <summary>Epochs at which trials are compared (successive halving); the last is a trial's full length. The default is 1, 3, 9.</summary>
    public IReadOnlyList<int> Rungs { get; init; } = [1, 3, 9];

    /// <summary>The fraction 1/ReductionFactor of each rung that is promoted to the next. The default is 3.</summary>
    public int ReductionFactor { get; init; } = 3;

    /// <summary>The preprocessing pipeline of every trial; null picks the default. The default is null.</summary>
    public PipelineSpec? Pipeline { get; init; }

    /// <summary>Register the best trial's model under this name. The default is null: keep it as a run.</summary>
    public string? RegisterAs { get; init; }
}
