using Maas.Analysis.Statistics;

namespace Maas.Monitoring.Detectors;

/// <summary>
/// Black-box shift detection (BBSD, Lipton et al. 2018; Rabanser et al. 2019): a two-sample Kolmogorov–Smirnov test
/// on each dimension of the model's softmax output, window against reference.
/// </summary>
/// <remarks>
/// False-alarm control: Bonferroni across the classes, so when the window is drawn like the reference the chance of
/// an alarm is at most <see cref="Alpha"/> (0.05) overall.
/// </remarks>
public sealed class PredictionDriftDetector(double alpha = 0.05, int minimumWindow = 20) : IDriftDetector
{
    /// <summary>The overall false-alarm rate across all classes.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc />
    public string Name => "bbsd_ks";

    /// <inheritdoc />
    public DetectorResult Evaluate(MonitoringReference reference, IReadOnlyList<MonitoringSample> window, CancellationToken cancellationToken)
    {
        var (classes, _) = SampleShapes.Check(reference, window);
        if (window.Count < minimumWindow || reference.Samples.Count < minimumWindow || classes == 0)
        {
            return DetectorResult.InsufficientData(Name, Alpha);
        }

        var components = new List<DetectorComponent>(classes);
        var perTest = Alpha / classes;
        for (var c = 0; c < classes; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var a = reference.Samples.Select(s => (double)s.Probabilities[c]).ToArray();
            var b = window.Select(s => (double)s.Probabilities[c]).ToArray();
            var (d, pValue) = KolmogorovSmirnov.TwoSample(a, b);
            components.Add(new DetectorComponent($"p[{c}]", d, pValue, pValue < perTest));
        }

        return Bonferroni.Combine(Name, components, Alpha);
    }
}
