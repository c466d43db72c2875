namespace Maas.Monitoring;

/// <summary>Compares a window of served samples with a model version's reference and says whether it drifted.</summary>
public interface IDriftDetector
{
    /// <summary>The detector's name, as it appears in a <see cref="DriftReport"/>.</summary>
    string Name { get; }

    /// <summary>
    /// Evaluates <paramref name="window"/> against <paramref name="reference"/>. A window too small for the detector's
    /// false-alarm control reports <see cref="DetectorStatus.InsufficientData"/>, never a detection.
    /// </summary>
    /// <exception cref="Maas.Core.Errors.InvalidInputException">The window's vectors do not match the reference's in length.</exception>
    DetectorResult Evaluate(MonitoringReference reference, IReadOnlyList<MonitoringSample> window, CancellationToken cancellationToken);
}
