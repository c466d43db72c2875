using Maas.Monitoring.Statistics;

namespace Maas.Monitoring.Detectors;

/// <summary>
/// A drop in estimated accuracy: is the window's mean calibrated top-1 probability (the accuracy a calibrated model
/// expects of itself) lower than the reference's? One-sided Welch z-test on the two means. The statistic is the
/// window's estimated accuracy.
/// </summary>
/// <remarks>
/// False-alarm control: when the window is drawn like the reference, the chance of an alarm is <see cref="Alpha"/>
/// (0.05), up to the normal approximation of the means, which the minimum window of 30 makes adequate for values in [0, 1].
/// </remarks>
public sealed class ConfidenceDropDetector(double alpha = 0.05, int minimumWindow = 30) : IDriftDetector
{
    /// <summary>The false-alarm rate.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc />
    public string Name => "confidence_drop";

    /// <inheritdoc />
    public DetectorResult Evaluate(MonitoringReference reference, IReadOnlyList<MonitoringSample> window, CancellationToken cancellationToken)
    {
        var (classes, _) = SampleShapes.Check(reference, window);
        if (window.Count < minimumWindow || reference.Samples.Count < minimumWindow || classes == 0)
        {
            return DetectorResult.InsufficientData(Name, Alpha);
        }

        var (referenceMean, referenceVariance) = MeanAndVariance(reference.Samples, reference.Temperature);
        var (windowMean, windowVariance) = MeanAndVariance(window, reference.Temperature);
        var standardError = Math.Sqrt((referenceVariance / reference.Samples.Count) + (windowVariance / window.Count));
        var pValue = standardError > 0 ? Normal.Survival((referenceMean - windowMean) / standardError) : windowMean < referenceMean ? 0 : 1;
        return DetectorResult.Of(Name, windowMean, pValue, Alpha, pValue < Alpha);
    }

    private static (double Mean, double Variance) MeanAndVariance(IReadOnlyList<MonitoringSample> samples, double? temperature)
    {
        var values = samples.Select(s => AccuracyEstimator.CalibratedConfidence(s.Probabilities, temperature)).ToArray();
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, variance);
    }
}
