namespace Maas.Monitoring.Detectors;

/// <summary>Folds per-part tests into one verdict with the Bonferroni correction.</summary>
internal static class Bonferroni
{
    /// <summary>
    /// Statistic: the largest part statistic; p-value: min(1, k · smallest part p-value); detected when that is below
    /// <paramref name="alpha"/>, i.e. when any part's p-value is below alpha / k.
    /// </summary>
    public static DetectorResult Combine(string name, IReadOnlyList<DetectorComponent> components, double alpha)
    {
        var smallest = components.Min(c => c.PValue ?? 1);
        var adjusted = Math.Min(1, smallest * components.Count);
        return DetectorResult.Of(name, components.Max(c => c.Statistic), adjusted, alpha, components.Any(c => c.Detected), components);
    }
}
