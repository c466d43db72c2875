namespace Maas.Monitoring;

/// <summary>Every detector's verdict on one window, and the window's accuracy estimate.</summary>
/// <param name="WindowSize">Samples in the window.</param>
/// <param name="ReferenceSize">Samples in the reference.</param>
/// <param name="Detectors">Each detector's result, in the order the detectors were given.</param>
/// <param name="Accuracy">Estimated (and, where labels exist, realized) accuracy.</param>
public sealed record DriftReport(int WindowSize, int ReferenceSize, IReadOnlyList<DetectorResult> Detectors, AccuracyEstimate Accuracy)
{
    /// <summary>
    /// Whether any detector detected drift. Each detector holds its own false-alarm rate; with several of them the
    /// chance that one alarms on an unshifted window is higher (at most their sum).
    /// </summary>
    public bool DriftDetected => Detectors.Any(d => d.Detected);
}
