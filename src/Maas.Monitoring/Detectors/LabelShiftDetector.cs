using Maas.Monitoring.Statistics;

namespace Maas.Monitoring.Detectors;

/// <summary>
/// Label shift seen through the predictions: are the predicted-class shares of the window those of the reference?
/// Pearson's chi-square test on the 2 × k table of predicted-class counts (reference row, window row).
/// </summary>
/// <remarks>
/// The test is one of homogeneity rather than goodness of fit against the reference shares taken as exact: the
/// reference is a sample too, and treating its shares as exact inflates the false-alarm rate when it is small.
/// Classes whose expected window count is below 5 are pooled into one column, as the chi-square approximation asks.
/// False-alarm control: when the window is drawn like the reference, the chance of an alarm is <see cref="Alpha"/>
/// (0.05), up to the chi-square approximation.
/// </remarks>
public sealed class LabelShiftDetector(double alpha = 0.05, int minimumWindow = 20) : IDriftDetector
{
    /// <summary>The smallest expected window count a class keeps its own column with.</summary>
    public const double MinimumExpectedCount = 5;

    /// <summary>The false-alarm rate.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc />
    public string Name => "label_shift_chi2";

    /// <inheritdoc />
    public DetectorResult Evaluate(MonitoringReference reference, IReadOnlyList<MonitoringSample> window, CancellationToken cancellationToken)
    {
        var (classes, _) = SampleShapes.Check(reference, window);
        if (window.Count < minimumWindow || reference.Samples.Count < minimumWindow || classes < 2)
        {
            return DetectorResult.InsufficientData(Name, Alpha);
        }

        var referenceCounts = new double[classes];
        var windowCounts = new double[classes];
        foreach (var s in reference.Samples)
        {
            referenceCounts[s.PredictedClass]++;
        }

        foreach (var s in window)
        {
            windowCounts[s.PredictedClass]++;
        }

        var total = (double)(reference.Samples.Count + window.Count);
        var kept = new List<(double Reference, double Window, string Name)>();
        double pooledReference = 0, pooledWindow = 0;
        for (var c = 0; c < classes; c++)
        {
            var expectedWindow = window.Count * (referenceCounts[c] + windowCounts[c]) / total;
            if (expectedWindow >= MinimumExpectedCount)
            {
                kept.Add((referenceCounts[c], windowCounts[c], $"class {c}"));
            }
            else
            {
                pooledReference += referenceCounts[c];
                pooledWindow += windowCounts[c];
            }
        }

        if (pooledReference + pooledWindow > 0)
        {
            kept.Add((pooledReference, pooledWindow, "pooled"));
        }

        if (kept.Count < 2)
        {
            return DetectorResult.InsufficientData(Name, Alpha);
        }

        var (statistic, pValue, _) = ChiSquare.Homogeneity(
            kept.Select(k => k.Reference).ToArray(), kept.Select(k => k.Window).ToArray());
        var components = kept
            .Select(k => new DetectorComponent(k.Name, k.Window / window.Count, null, false))
            .ToArray();
        return DetectorResult.Of(Name, statistic, pValue, Alpha, pValue < Alpha, components);
    }
}
