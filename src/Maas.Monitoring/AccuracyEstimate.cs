namespace Maas.Monitoring;

/// <summary>How accurate the model seems on a window, with and without labels.</summary>
/// <param name="Estimated">The mean calibrated top-1 probability over the window: the expected accuracy if the model is calibrated.</param>
/// <param name="ReferenceEstimated">The same over the reference, for comparison.</param>
/// <param name="Realized">The share of labelled window samples predicted right, or null when none is labelled.</param>
/// <param name="Labelled">How many window samples carry a true label.</param>
public sealed record AccuracyEstimate(double Estimated, double ReferenceEstimated, double? Realized, int Labelled);
