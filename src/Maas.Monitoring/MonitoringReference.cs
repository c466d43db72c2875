namespace Maas.Monitoring;

/// <summary>
/// What a model version's served traffic is compared against: held-out data the model was not trained on, measured
/// exactly as served images are.
/// </summary>
/// <param name="Samples">The held-out reference samples.</param>
/// <param name="Temperature">The calibration temperature fitted for the model version, or null when uncalibrated.</param>
public sealed record MonitoringReference(IReadOnlyList<MonitoringSample> Samples, double? Temperature = null);
