using Maas.Workflows.Training;

namespace Maas.Workflows.Tuning;

/// <summary>What a tuning study found.</summary>
/// <param name="TuneId">The study's id, recorded as parameter <c>tune</c> of every trial's run.</param>
/// <param name="Trials">Every trial, best first.</param>
/// <param name="Best">The best trial: the furthest rung reached, then the highest accuracy.</param>
/// <param name="BestRun">The best trial's run, finished: evaluated, exported and registered when asked.</param>
/// <param name="Elapsed">Wall-clock time of the study.</param>
public sealed record TuningOutcome(string TuneId, IReadOnlyList<TuningTrial> Trials, TuningTrial Best, TrainingOutcome BestRun, TimeSpan Elapsed);
