using Maas.Core.Errors;

namespace Maas.Training;

/// <summary>
/// The learning rate of every optimizer step of a run, from its peak rate, its schedule, its warm-up and its length.
/// </summary>
/// <remarks>
/// <c>constant</c>: the peak rate. <c>cosine</c>: the peak rate annealed along half a cosine to 0 at the end of the
/// run. Both start with a linear warm-up from peak/W to the peak over the W warm-up steps, when asked. <c>one-cycle</c>
/// (Smith and Topin, 2018, as PyTorch's OneCycleLR): a linear rise from peak/25 to the peak over the warm-up steps
/// (30% of the run when no warm-up is given), then cosine annealing to peak/250,000 at the last step.
/// </remarks>
public sealed class LearningRateSchedule
{
    /// <summary>The schedule names: <c>constant</c>, <c>cosine</c>, <c>one-cycle</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["constant", "cosine", "one-cycle"];

    // PyTorch's OneCycleLR defaults: start at max/25, end at start/1e4, rise over 30% of the steps.
    private const double OneCycleDivisor = 25;
    private const double OneCycleFinalDivisor = 1e4;
    private const double OneCycleRiseFraction = 0.3;

    private readonly string _kind;
    private readonly double _peak;
    private readonly long _totalSteps;
    private readonly long _warmupSteps;

    /// <summary>Builds the schedule of a run.</summary>
    /// <param name="kind">One of <see cref="Names"/>.</param>
    /// <param name="peak">The peak learning rate.</param>
    /// <param name="totalSteps">Optimizer steps in the whole run (epochs times steps per epoch).</param>
    /// <param name="warmupSteps">Steps of linear warm-up (of rise, for one-cycle); 0 for none (the default rise, for one-cycle).</param>
    /// <exception cref="InvalidInputException">The kind is unknown, or a count is out of range.</exception>
    public LearningRateSchedule(string kind, double peak, long totalSteps, long warmupSteps)
    {
        if (!Names.Contains(kind))
        {
            throw new InvalidInputException($"Unknown learning-rate schedule '{kind}'; known schedules are: {string.Join(", ", Names)}.");
        }

        if (!(peak > 0) || totalSteps < 1 || warmupSteps < 0)
        {
            throw new InvalidInputException($"A learning-rate schedule needs a positive rate and step count, got {peak} over {totalSteps} steps with {warmupSteps} of warm-up.");
        }

        _kind = kind;
        _peak = peak;
        _totalSteps = totalSteps;
        _warmupSteps = kind == "one-cycle" && warmupSteps == 0
            ? Math.Max(1, (long)Math.Round(OneCycleRiseFraction * totalSteps))
            : Math.Min(warmupSteps, totalSteps);
    }

    /// <summary>The learning rate of a step.</summary>
    /// <param name="step">0-based index of the optimizer step in the run; past the end, the last step's rate.</param>
    public double At(long step)
    {
        step = Math.Clamp(step, 0, _totalSteps - 1);
        if (_kind == "one-cycle")
        {
            double start = _peak / OneCycleDivisor;
            if (step <= _warmupSteps)
            {
                return start + ((_peak - start) * step / _warmupSteps);
            }

            double end = start / OneCycleFinalDivisor;
            return Anneal(_peak, end, step - _warmupSteps, _totalSteps - 1 - _warmupSteps);
        }

        if (step < _warmupSteps)
        {
            return _peak * (step + 1) / _warmupSteps;
        }

        return _kind == "cosine" ? Anneal(_peak, 0, step - _warmupSteps, _totalSteps - _warmupSteps) : _peak;
    }

    // Half a cosine from `from` (at 0) to `to` (at `length`).
    private static double Anneal(double from, double to, long position, long length) =>
        length <= 0 ? from : to + ((from - to) * 0.5 * (1 + Math.Cos(Math.PI * position / length)));
}
