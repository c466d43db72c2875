
namespace Maas.Workflows.Tuning;

/// <summary>The standing of a tuning study after a trial finished a rung.</summary>
/// <param name="TuneId">The study.</param>
/// <param name="Trials">Every trial so far, best first.</param>
/// <param name="Latest">The trial that just finished a rung.</param>
/// <param name="Elapsed">Time since the study started.</param>
public sealed record TuningLeaderboard(string TuneId, IReadOnlyList<TuningTrial> Trials, TuningTrial Latest, TimeSpan Elapsed);
