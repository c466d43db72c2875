namespace Maas.Monitoring;

/// <summary>The verdict of one drift detector on one window.</summary>
/// <param name="Name">The detector's name, e.g. <c>property_ks</c>.</param>
/// <param name="Statistic">The detector's headline statistic (its meaning is in the detector's documentation); 0 when the data were insufficient (not NaN, so a report serializes).</param>
/// <param name="PValue">The (corrected) p-value where the detector has one, else null.</param>
/// <param name="Threshold">The threshold the statistic or p-value was compared with.</param>
/// <param name="Detected">Whether drift was detected; always false when the status is insufficient data.</param>
/// <param name="Status">Ok, detected, or insufficient data.</param>
/// <param name="Components">Per-part results for detectors that test several things, else empty.</param>
public sealed record DetectorResult(
    string Name,
    double Statistic,
    double? PValue,
    double Threshold,
    bool Detected,
    DetectorStatus Status,
    IReadOnlyList<DetectorComponent> Components)
{
    /// <summary>A result that claims nothing because the window (or reference) is too small.</summary>
    public static DetectorResult InsufficientData(string name, double threshold) =>
        new(name, 0, null, threshold, false, DetectorStatus.InsufficientData, []);

    /// <summary>A result whose status follows from <paramref name="detected"/>.</summary>
    public static DetectorResult Of(string name, double statistic, double? pValue, double threshold, bool detected,
        IReadOnlyList<DetectorComponent>? components = null) =>
        new(name, statistic, pValue, threshold, detected, detected ? DetectorStatus.Detected : DetectorStatus.Ok, components ?? []);
}
