namespace Maas.Training.Evaluation;

/// <summary>A temperature fitted on one split and what it does to the probabilities of the evaluated split.</summary>
/// <param name="Temperature">The fitted T; the logits are divided by it. Above 1 means the model was overconfident.</param>
/// <param name="FittedOn">The split T was fitted on.</param>
/// <param name="FitSamples">Samples T was fitted on.</param>
/// <param name="EceBefore">Expected calibration error of the evaluated split before scaling.</param>
/// <param name="EceAfter">Expected calibration error of the evaluated split after scaling.</param>
/// <param name="NllBefore">Mean negative log-likelihood of the evaluated split before scaling.</param>
/// <param name="NllAfter">Mean negative log-likelihood of the evaluated split after scaling.</param>
public sealed record CalibrationReport(
    double Temperature,
    string FittedOn,
    int FitSamples,
    double EceBefore,
    double EceAfter,
    double NllBefore,
    double NllAfter);
