using Maas.Analysis.Statistics;

namespace Maas.Monitoring.Detectors;

/// <summary>
/// Input drift on image properties: a two-sample Kolmogorov–Smirnov test per property (brightness, contrast,
/// sharpness, entropy, width, height, aspect, channels), with the population stability index of each reported beside it.
/// </summary>
/// <remarks>
/// False-alarm control: Bonferroni across the eight properties, so when the window is drawn like the reference the
/// chance that any property alarms is at most <see cref="Alpha"/> (0.05) overall. Only KS decides; PSI (10 quantile
/// bins, rule-of-thumb threshold <see cref="PsiThreshold"/> = 0.2) has no false-alarm control at small windows and is
/// reported for reading, not alarmed on.
/// </remarks>
public sealed class PropertyDriftDetector(double alpha = 0.05, int minimumWindow = 20) : IDriftDetector
{
    /// <summary>The rule-of-thumb PSI above which a property is read as shifted.</summary>
    public const double PsiThreshold = 0.2;

    /// <summary>The overall false-alarm rate across all properties.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc />
    public string Name => "property_ks";

    /// <inheritdoc />
    public DetectorResult Evaluate(MonitoringReference reference, IReadOnlyList<MonitoringSample> window, CancellationToken cancellationToken)
    {
        SampleShapes.Check(reference, window);
        var referenceSamples = SampleShapes.Measured(reference.Samples);
        var windowSamples = SampleShapes.Measured(window);
        if (windowSamples.Count < minimumWindow || referenceSamples.Count < minimumWindow)
        {
            return DetectorResult.InsufficientData(Name, Alpha);
        }

        var names = ImageProperties.Names;
        var referenceValues = referenceSamples.Select(s => s.Properties!.Values()).ToArray();
        var windowValues = windowSamples.Select(s => s.Properties!.Values()).ToArray();
        var components = new List<DetectorComponent>(names.Count);
        var perTest = Alpha / names.Count;
        for (var p = 0; p < names.Count; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var a = referenceValues.Select(v => v[p]).ToArray();
            var b = windowValues.Select(v => v[p]).ToArray();
            var (d, pValue) = KolmogorovSmirnov.TwoSample(a, b);
            components.Add(new DetectorComponent(names[p], d, pValue, pValue < perTest, PopulationStability.Index(a, b)));
        }

        return Bonferroni.Combine(Name, components, Alpha);
    }
}
