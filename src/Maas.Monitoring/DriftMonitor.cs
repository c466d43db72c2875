using Maas.Monitoring.Detectors;

namespace Maas.Monitoring;

/// <summary>Runs a set of drift detectors over one window and gathers their verdicts into a <see cref="DriftReport"/>.</summary>
/// <param name="detectors">The detectors to run; <see cref="DefaultDetectors"/> when null.</param>
public sealed class DriftMonitor(IReadOnlyList<IDriftDetector>? detectors = null)
{
    private readonly IReadOnlyList<IDriftDetector> _detectors = detectors ?? DefaultDetectors();

    /// <summary>Every detector with its default threshold.</summary>
    public static IReadOnlyList<IDriftDetector> DefaultDetectors() =>
    [
        new PropertyDriftDetector(),
        new PredictionDriftDetector(),
        new LabelShiftDetector(),
        new EmbeddingMmdDetector(),
        new DomainClassifierDetector(),
        new OutOfDistributionDetector(),
        new ConfidenceDropDetector(),
    ];

    /// <summary>Evaluates <paramref name="window"/> against <paramref name="reference"/> with every detector.</summary>
    /// <exception cref="Maas.Core.Errors.InvalidInputException">The window's vectors do not match the reference's in length.</exception>
    public DriftReport Evaluate(MonitoringReference reference, IReadOnlyList<MonitoringSample> window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        SampleShapes.Check(reference, window);
        var results = new List<DetectorResult>(_detectors.Count);
        foreach (var detector in _detectors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(detector.Evaluate(reference, window, cancellationToken));
        }

        return new DriftReport(window.Count, reference.Samples.Count, results, AccuracyEstimator.Estimate(reference, window));
    }
}
