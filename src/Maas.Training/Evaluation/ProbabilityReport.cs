namespace Maas.Training.Evaluation;

/// <summary>How well a model's probabilities classify a labelled set, and how far they can be trusted as probabilities.</summary>
/// <param name="Report">Accuracy, mean negative log-likelihood as the loss, per-class metrics and the confusion matrix.</param>
/// <param name="TopK">The k of <paramref name="TopKAccuracy"/>.</param>
/// <param name="TopKAccuracy">Share of samples whose label is among their k most probable classes.</param>
/// <param name="ExpectedCalibrationError">
/// The support-weighted mean gap between accuracy and confidence over <paramref name="Bins"/>: 0 for probabilities
/// that mean what they say.
/// </param>
/// <param name="Bins">The reliability bins the calibration error was measured over.</param>
public sealed record ProbabilityReport(
    EvaluationReport Report,
    int TopK,
    double TopKAccuracy,
    double ExpectedCalibrationError,
    IReadOnlyList<CalibrationBin> Bins);
